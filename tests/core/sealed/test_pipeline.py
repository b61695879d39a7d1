"""The whole box, as properties: whatever is sealed, packed, mixed and opened by any k of the n
trustees comes out as the same ballots (a multiset: the mix hides the order), and no change to
the box goes unnoticed by its digest."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings, strategies as st

from consejo.core.sealed import ballots, dkg, mix
from consejo.core.sealed.elgamal import Multiples

from .conftest import ceremony

CEREMONY = ceremony(4, 3, context=b"pipeline")
TABLE_SIZE = 4096


@st.composite
def box(draw: st.DrawFn) -> tuple[int, bool, list[tuple[int, ...]]]:
    width = draw(st.integers(min_value=1, max_value=5))
    ranked = draw(st.booleans())
    rankings = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        order = draw(st.permutations(range(width)))
        rankings.append(tuple(order[: draw(st.integers(min_value=0, max_value=width))]))
    return width, ranked, rankings


@settings(max_examples=20, deadline=None)
@given(box(), st.sets(st.integers(min_value=1, max_value=4), min_size=3, max_size=4))
def test_any_k_trustees_open_the_mix_to_the_ballots_sealed(
    drawn: tuple[int, bool, list[tuple[int, ...]]], trustees: set[int]
) -> None:
    width, ranked, rankings = drawn
    shape = ballots.layout(width, ranked=ranked, max_table=TABLE_SIZE)
    table = Multiples(shape.table_size)
    sealed = [
        ballots.seal(CEREMONY.key, ballots.ranks_of(r, width, ranked=ranked), table)
        for r in rankings
    ]
    mixed = mix.shuffle(CEREMONY.key, [ballots.pack(v, shape) for v in sealed])
    flat = [c for b in mixed for c in b]
    partials = {}
    for i in sorted(trustees):
        images, proof = dkg.partial_decrypt(CEREMONY.context, i, CEREMONY.shares[i], flat)
        assert dkg.check_partial(
            CEREMONY.context, i, CEREMONY.verification_key(i), flat, images, proof
        )
        partials[i] = images
    values = ballots.read_plaintexts(dkg.combine(flat, partials), table)
    per = len(shape.groups)
    opened = [
        ballots.choices_of(ballots.unpack(values[b * per : (b + 1) * per], shape), ranked=ranked)
        for b in range(len(mixed))
    ]
    expected = [r if ranked else tuple(sorted(r)) for r in rankings]
    assert Counter(opened) == Counter(expected)


@settings(max_examples=20, deadline=None)
@given(box(), st.data())
def test_the_digest_changes_with_any_ballot_added_removed_or_replaced(
    drawn: tuple[int, bool, list[tuple[int, ...]]], data: st.DataObject
) -> None:
    width, ranked, rankings = drawn
    table = Multiples(width + 1)
    sealed = [
        ballots.encode(ballots.seal(CEREMONY.key, ballots.ranks_of(r, width, ranked=ranked), table))
        for r in rankings
    ]
    digest = ballots.box_digest(sealed)
    assert ballots.box_digest(data.draw(st.permutations(sealed))) == digest
    extra = ballots.encode(ballots.seal(CEREMONY.key, [0] * width, table))
    assert ballots.box_digest([*sealed, extra]) != digest
    assert ballots.box_digest(sealed[1:]) != digest
    assert ballots.box_digest([extra, *sealed[1:]]) != digest
