"""The sealed box's trustees and key ceremony: a vote needs the election key complete; the
ceremony takes each trustee's steps only from that trustee, once and in order; a trustee given a
bad share accuses its sender and the key is never made; the trustees are named, checked, when the
vote is called."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from consejo.bodies.models import Member
from consejo.boxes import ceremony
from consejo.boxes.models import Box, SealedBallot, Trustee
from consejo.boxes.selectors import box_status
from consejo.boxes.services import trustee_step
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.core.sealed import dkg
from consejo.elections import services
from consejo.elections.models import Election
from consejo.ledger.models import LedgerEntry
from tests.builders import SmallFederation, make_secretary, trustee_logins, trustee_members
from tests.elections.instants import CLOSES, OPENS
from tests.elections.sealed_vote import Vote

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_vote_cannot_start_before_the_key_is_complete(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    with pytest.raises(Conflict, match="have not finished the election key"):
        vote.cast([vote.keys[0]])
    assert not SealedBallot.objects.exists()


def test_the_ceremony_takes_each_step_once_in_order_from_the_trustee_only(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    seeds = {i: bytes([i]) * 32 for i in vote.logins}
    reference = vote.box.reference
    commit = ceremony.step_file(vote.box, 1, seeds[1], "commit")
    with pytest.raises(PermissionDenied):  # another trustee's login
        trustee_step(actor=vote.logins[2], reference=reference, step=commit)
    with pytest.raises(PermissionDenied):  # the secretary's
        trustee_step(actor=vote.secretary, reference=reference, step=commit)
    trustee_step(actor=vote.logins[1], reference=reference, step=commit)
    with pytest.raises(Conflict, match="already committed"):
        trustee_step(actor=vote.logins[1], reference=reference, step=commit)
    with pytest.raises(InvalidInput):  # trustee 2 has not committed: no shares can be made yet
        ceremony.step_file(vote.box, 1, seeds[1], "shares")
    for i in (2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "commit"),
        )
    shares = ceremony.step_file(vote.box, 1, seeds[1], "shares")
    trustee_step(actor=vote.logins[1], reference=reference, step=shares)
    with pytest.raises(InvalidInput):  # nobody can confirm before everyone has sealed shares
        ceremony.step_file(vote.box, 1, seeds[1], "confirm")
    # A step for another box, or garbage, is refused with a message.
    wrong = dict(shares, box="0" * 32)
    with pytest.raises((InvalidInput, Conflict)):
        trustee_step(actor=vote.logins[1], reference=reference, step=wrong)
    for garbage in (
        "{",
        "[]",
        json.dumps(
            {"format": "consejo-trustee-step/1", "box": reference, "trustee": 9, "step": "commit"}
        ),
    ):
        with pytest.raises(InvalidInput):
            trustee_step(actor=vote.logins[1], reference=reference, step=garbage)
    for i in (2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "shares"),
        )
    for i in (1, 2, 3):
        done = trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "confirm"),
        )
    assert done.keyed
    vote.box.refresh_from_db()
    commitments = {
        t.index: dkg.Commitment.decode(t.index, vote.box.threshold, bytes(t.commitment))
        for t in Trustee.objects.filter(box=vote.box)
    }
    assert bytes(vote.box.public_key) == dkg.election_key(commitments)
    kinds = list(
        LedgerEntry.objects.filter(kind__startswith="trustee.").values_list("kind", flat=True)
    )
    assert kinds == ["trustee.committed"] * 3 + ["trustee.shared"] * 3 + ["trustee.confirmed"] * 3
    assert LedgerEntry.objects.filter(kind="box.keyed").count() == 1


def test_a_trustee_who_receives_a_bad_share_accuses_its_sender_and_the_key_is_never_made(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    seeds = {i: bytes([i]) * 32 for i in vote.logins}
    reference = vote.box.reference
    for i in (1, 2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "commit"),
        )
    for i in (1, 2, 3):
        step = ceremony.step_file(vote.box, i, seeds[i], "shares")
        if i == 2:  # trustee 2 cheats: a share for trustee 3 that matches nothing it committed
            step["shares"]["3"] = "11" * 32
        trustee_step(actor=vote.logins[i], reference=reference, step=step)
    confirm = ceremony.step_file(vote.box, 3, seeds[3], "confirm")
    assert confirm["accuse"] == [2]
    trustee_step(actor=vote.logins[3], reference=reference, step=confirm)
    status = box_status(vote.box)
    assert status.failed
    assert status.step == "confirm"
    for i in (1, 2):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "confirm"),
        )
    vote.box.refresh_from_db()
    assert vote.box.keyed_at is None
    with pytest.raises(Conflict):
        vote.cast([vote.keys[0]])


def test_trustees_are_named_when_the_vote_is_called(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    secretary = make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")
    logins = trustee_logins(actor=operator, body=fed.neighborhood, count=4)
    members = trustee_members(logins)
    minero = Member.objects.get(name=fed.mine_names[0])
    no_login = Member.objects.get(name=fed.neighborhood_names[0])

    def call(trustees: list[Member], threshold: int | None = None) -> Election:
        return services.election_create(
            actor=secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Delegados",
            method="scottish-stv",
            mode="secret",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in trustees],
            threshold=threshold,
        )

    before = (LedgerEntry.objects.count(), Election.objects.count(), Box.objects.count())
    for trustees, threshold, message in (
        (members[:2], None, "at least three trustees"),
        ([*members[:2], minero], None, "not a member"),
        ([*members[:2], no_login], None, "has no login"),
        ([*members[:2], members[0]], None, "named twice"),
        (members[:3], 1, "from 2 to 3"),
        (members[:3], 4, "from 2 to 3"),
    ):
        with pytest.raises(InvalidInput, match=message):
            call(trustees, threshold)
    assert (LedgerEntry.objects.count(), Election.objects.count(), Box.objects.count()) == before
    election = call(members)
    box = Box.objects.get(purpose=f"election:{election.pk}")
    assert box.threshold == 3  # a majority of four
    [prepared] = [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind="box.prepared").values_list("payload", flat=True)
    ]
    assert prepared["trustees"] == [[i, m.pk] for i, m in enumerate(members, start=1)]
    with pytest.raises(InvalidInput, match="only a secret ballot has trustees"):
        services.election_create(
            actor=secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Abierta",
            method="scottish-stv",
            mode="open",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in members[:3]],
        )
