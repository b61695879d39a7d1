"""Sealed ballots as vectors: every ballot the same size, packed and read back exactly."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from consejo.core.errors import InvalidInput
from consejo.core.sealed import ballots, elgamal, group, mix
from consejo.core.sealed.elgamal import Multiples

SECRET = group.random_scalar()
KEY = group.base_mul(SECRET)
TABLE_SIZE = 512


@st.composite
def ballot(draw: st.DrawFn, max_width: int = 12) -> tuple[int, tuple[int, ...], bool]:
    width = draw(st.integers(min_value=1, max_value=max_width))
    choices = draw(st.permutations(range(width)))
    length = draw(st.integers(min_value=0, max_value=width))
    return width, tuple(choices[:length]), draw(st.booleans())


@given(ballot(max_width=ballots.MAX_WIDTH))
def test_ranks_and_choices_are_inverse(drawn: tuple[int, tuple[int, ...], bool]) -> None:
    width, choices, ranked = drawn
    ranks = ballots.ranks_of(choices, width, ranked=ranked)
    assert len(ranks) == width
    back = ballots.choices_of(ranks, ranked=ranked)
    assert back == (choices if ranked else tuple(sorted(choices)))


@given(st.integers(min_value=1, max_value=ballots.MAX_WIDTH), st.booleans())
def test_the_layout_covers_every_candidate_within_the_table(width: int, ranked: bool) -> None:
    shape = ballots.layout(width, ranked=ranked)
    assert sum(shape.groups) == width
    assert shape.table_size <= ballots.MAX_TABLE
    assert max(shape.groups) - min(shape.groups) <= 1
    # As few packed values as the table allows.
    most = max(g for g in range(1, width + 1) if shape.base**g <= ballots.MAX_TABLE)
    assert len(shape.groups) == -(-width // most)


def test_ten_candidates_ranked_pack_into_two_values() -> None:
    assert ballots.layout(10, ranked=True).groups == (5, 5)
    assert ballots.layout(10, ranked=False).groups == (10,)


@settings(max_examples=25, deadline=None)
@given(ballot(max_width=6))
def test_packing_then_decrypting_gives_back_the_ranks(
    drawn: tuple[int, tuple[int, ...], bool],
) -> None:
    width, choices, ranked = drawn
    shape = ballots.layout(width, ranked=ranked, max_table=TABLE_SIZE)
    table = Multiples(TABLE_SIZE)  # a small table: several packed values per ballot
    ranks = ballots.ranks_of(choices, width, ranked=ranked)
    sealed = ballots.seal(KEY, ranks, table)
    packed = ballots.pack(sealed, shape)
    points = [group.sub(c.b, group.mul(SECRET, c.a)) for c in packed]
    assert ballots.unpack(ballots.read_plaintexts(points, table), shape) == ranks


def test_invalid_rank_vectors_are_refused() -> None:
    for ranks in ([1, 1, 0], [2, 0, 0], [1, 3, 0]):
        with pytest.raises(InvalidInput):
            ballots.choices_of(ranks, ranked=True)
    with pytest.raises(InvalidInput):
        ballots.choices_of([2, 0], ranked=False)
    with pytest.raises(InvalidInput):
        ballots.read_plaintexts([group.base_mul(group.scalar(10))], Multiples(4))


def test_every_sealed_ballot_has_the_same_size() -> None:
    table = Multiples(8)
    sizes = {
        len(ballots.encode(ballots.seal(KEY, ballots.ranks_of(c, 5, ranked=True), table)))
        for c in ((), (0,), (4, 3, 2, 1, 0))
    }
    assert sizes == {5 * elgamal.CIPHERTEXT_BYTES}


def test_the_box_digest_ignores_the_order_of_voting_but_not_the_contents() -> None:
    table = Multiples(4)
    sealed = [ballots.encode(ballots.seal(KEY, [r, 0], table)) for r in (1, 0, 1)]
    assert ballots.box_digest(sealed) == ballots.box_digest(sealed[::-1])
    assert ballots.box_digest(sealed) != ballots.box_digest(sealed[:2])
    assert ballots.box_digest(sealed) != ballots.box_digest([*sealed, sealed[0]])
    assert ballots.encode(ballots.decode(sealed[0], 2)) == sealed[0]
    with pytest.raises(InvalidInput):
        ballots.decode(sealed[0], 3)


def test_the_mix_keeps_the_ballots_and_changes_every_byte() -> None:
    table = Multiples(4)
    box = [ballots.seal(KEY, [m, 3 - m], table) for m in (0, 1, 2, 3, 1)]
    mixed = mix.shuffle(KEY, box)
    before = {c.encode() for b in box for c in b}
    assert not before & {c.encode() for b in mixed for c in b}
    read = sorted(tuple(elgamal.decrypt(SECRET, c, table) for c in b) for b in mixed)
    assert read == sorted(tuple(elgamal.decrypt(SECRET, c, table) for c in b) for b in box)
