"""Opening the sealed box: the count waits for k trustees' partial decryptions and names the
missing; any k of them open the box; a tampered partial decryption is refused and its trustee
named; a stuffed, removed or swapped sealed ballot, or a changed mix, stops the count."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from consejo.boxes import ceremony
from consejo.boxes.models import Box, PartialDecryption, SealedBallot, Trustee
from consejo.boxes.selectors import box_status
from consejo.boxes.services import trustee_step
from consejo.core.errors import Conflict
from consejo.core.sealed import ballots, group
from consejo.core.sealed.elgamal import Multiples
from consejo.elections.models import Ballot, Election
from consejo.ledger.models import LedgerEntry
from tests.builders import SmallFederation
from tests.elections.sealed_vote import Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_count_waits_for_k_trustees_and_names_the_missing(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, trustees=5, threshold=3)
    a, b, c, d = vote.keys
    cast = [[a, b], [b, a, c], [c], [d, a], [a, c, d, b]]
    for choices in cast:
        vote.cast(choices)
    vote.close()
    vote.decrypt(2, 5)
    before = (LedgerEntry.objects.count(), Ballot.objects.count())
    with pytest.raises(Conflict, match=r"2 of the 3 .* waiting for trustees 1, 3, 4"):
        vote.count()
    assert (LedgerEntry.objects.count(), Ballot.objects.count()) == before
    assert Election.objects.get(pk=vote.election.pk).counted_at is None
    vote.decrypt(4)
    counted = vote.count()
    assert counted.counted_at is not None
    rows = sorted(
        (tuple(ch), w)
        for ch, w in Ballot.objects.filter(election=vote.election).values_list("choices", "weight")
    )
    assert rows == sorted((tuple(ch), 1) for ch in cast)


@pytest.mark.parametrize("subset", [(1, 2), (1, 3), (2, 3)])
def test_any_k_trustees_open_the_box(
    operator: Any,
    fed: SmallFederation,
    clock: Callable[[datetime], datetime],
    subset: tuple[int, int],
) -> None:
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, c, d = vote.keys
    for choices in ([a, b], [d, c, b, a], [b]):
        vote.cast(choices)
    vote.close()
    vote.decrypt(*subset)
    vote.count()
    assert sum(Ballot.objects.filter(election=vote.election).values_list("weight", flat=True)) == 3


def test_a_tampered_partial_decryption_is_refused_and_its_trustee_named(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, _c, _d = vote.keys
    vote.cast([a, b])
    vote.cast([b, a])
    vote.close()
    step = ceremony.step_file(vote.box, 2, vote.seeds[2], "decrypt")
    images = base64.b64decode(step["images"])
    first = group.add(images[:32], group.GENERATOR)  # would move one plaintext by one
    step["images"] = base64.b64encode(first + images[32:]).decode()
    done = trustee_step(actor=vote.logins[2], reference=vote.box.reference, step=step)
    assert not done.valid
    assert PartialDecryption.objects.get(trustee__box=vote.box, trustee__index=2).valid is False
    [entry] = [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind="decryption.submitted").values_list(
            "payload", flat=True
        )
    ]
    assert (entry["trustee"], entry["valid"]) == (2, False)
    vote.decrypt(1)
    with pytest.raises(Conflict, match=r"proofs failed: trustees 2"):
        vote.count()
    assert (
        box_status(vote.box).row_of(Trustee.objects.get(box=vote.box, index=2).member_id).decrypted
        is False
    )
    vote.decrypt(3)  # any k honest trustees: 1 and 3
    vote.count()


def test_a_stuffed_or_removed_sealed_ballot_stops_the_count(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock)
    a, b, c, _d = vote.keys
    vote.cast([a, b])
    vote.cast([c])
    vote.close()
    vote.decrypt(1, 2)
    extra = ballots.encode(ballots.seal(bytes(vote.box.public_key), [1, 0, 0, 0], Multiples(5)))
    stuffed = SealedBallot.objects.create(box=vote.box, data=extra, tracker=ballots.tracker(extra))
    with pytest.raises(Conflict, match="does not add up"):
        vote.count()
    stuffed.delete()
    removed = SealedBallot.objects.filter(box=vote.box).first()
    assert removed is not None
    kept = (bytes(removed.data), removed.tracker, removed.pk)
    removed.delete()
    with pytest.raises(Conflict, match="does not add up"):
        vote.count()
    SealedBallot.objects.create(id=kept[2], box=vote.box, data=kept[0], tracker=kept[1])
    # A ballot swapped for another of the same count: the digest recorded at close differs.
    other = SealedBallot.objects.filter(box=vote.box).first()
    assert other is not None
    SealedBallot.objects.filter(pk=other.pk).update(data=extra, tracker=ballots.tracker(extra))
    with pytest.raises(Conflict, match="not those the box held"):
        vote.count()
    SealedBallot.objects.filter(pk=other.pk).update(data=bytes(other.data), tracker=other.tracker)
    # A mix changed after the fact is not the one the ledger recorded.
    mixed = bytes(vote.box.mixed)
    Box.objects.filter(pk=vote.box.pk).update(mixed=mixed[64:] + mixed[:64])
    with pytest.raises(Conflict, match="mix is not the one"):
        vote.count()
    Box.objects.filter(pk=vote.box.pk).update(mixed=mixed)
    assert vote.count().counted_at is not None
    assert not Ballot.objects.filter(election=vote.election, member__isnull=False).exists()
