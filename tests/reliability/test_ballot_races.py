"""Ballot races, with real transactions, real threads and a barrier, on PostgreSQL.

One ballot per member is kept by the database (the ``voter_one_ballot`` unique constraint), never
by a check in Python: the first test was seen failing with that constraint removed (every thread
of the same member had its ballot recorded: 8 voters, 8 ballots, 8 ``ballot.cast`` entries).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consejo.bodies.models import Member
from consejo.boxes import ceremony
from consejo.boxes.models import PartialDecryption
from consejo.boxes.services import trustee_step
from consejo.core.errors import Conflict, InvalidInput
from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.models import Mandate
from tests.builders import (
    RunningElection,
    build_running_election,
    build_small_federation,
    secret_box,
)
from tests.reliability.threads import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

THREADS = 8
T0 = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)
OK = "ok"


@pytest.fixture
def running(operator: Any, time_machine: Any) -> RunningElection:
    """A secret Scottish STV election with THREADS voters; the clock frozen inside voting."""
    time_machine.move_to(T0, tick=False)
    federation = build_small_federation(actor=operator)
    return build_running_election(
        actor=operator,
        federation=federation,
        traveller=time_machine,
        voters=THREADS,
        start=T0,
    )


def kinds(kind: str) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(kind=kind).order_by("seq"))


def test_one_member_voting_from_many_requests_at_once_casts_one_ballot(
    running: RunningElection,
) -> None:
    user = running.voters["votante-1"]
    keys = [c.pk for c in running.candidates]

    def vote(i: int) -> str:
        services.ballot_cast(
            actor=user, election_id=running.election.pk, choices=[keys[i % len(keys)]]
        )
        return OK

    results = race(vote)
    assert results.count(OK) == 1, results
    assert [type(r) for r in results if r != OK] == [Conflict] * (THREADS - 1), results
    assert Voter.objects.filter(election=running.election).count() == 1
    assert sum(secret_box(running.election).values()) == 1
    [entry] = kinds("ballot.cast")
    assert json.loads(entry.payload)["member"] == Member.objects.get(user=user).pk
    assert ledger_verify().ok


def test_many_members_voting_at_once_each_cast_one_ballot(running: RunningElection) -> None:
    users = list(running.voters.values())
    keys = [c.pk for c in running.candidates]

    def vote(i: int) -> str:
        choices = keys[i % len(keys) :] + keys[: i % len(keys)]
        services.ballot_cast(actor=users[i], election_id=running.election.pk, choices=choices)
        return OK

    results = race(vote)
    assert results == [OK] * THREADS
    assert Voter.objects.filter(election=running.election).count() == THREADS
    assert sum(secret_box(running.election).values()) == THREADS
    voted = {json.loads(e.payload)["member"] for e in kinds("ballot.cast")}
    assert voted == set(Member.objects.filter(user__in=users).values_list("pk", flat=True))
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_a_close_racing_late_ballots_closes_exactly_the_ballots_recorded_before_it(
    running: RunningElection, time_machine: Any
) -> None:
    users = list(running.voters.values())
    keys = [c.pk for c in running.candidates]
    election_id = running.election.pk
    # One ballot in time, so that the box has something to count whichever thread runs first.
    services.ballot_cast(actor=users[0], election_id=election_id, choices=keys[:2])
    time_machine.move_to(running.closes, tick=False)
    last_instant = running.closes - timedelta(microseconds=1)

    def act(i: int) -> object:
        if i == 0:
            return services.election_close(actor=running.secretary, election_id=election_id)
        services.ballot_cast(
            actor=users[i], election_id=election_id, choices=keys[i % 2 :], at=last_instant
        )
        return OK

    results = race(act)
    assert isinstance(results[0], Election), results
    accepted = results[1:].count(OK)
    refused = [r for r in results[1:] if r != OK]
    # A ballot dated before the close's entry cannot follow it into the ledger or the box.
    assert all(isinstance(r, InvalidInput) for r in refused), refused
    box = running.box
    assert box.ballots_at_close == box.voters_at_close == 1 + accepted
    closed = kinds("box.closed")[0].seq
    assert all(e.seq < closed for e in kinds("ballot.cast"))
    running.close_and_decrypt_only(time_machine)
    election = services.election_count(actor=running.secretary, election_id=election_id)
    assert election.result is not None
    assert election.result["valid_ballots"] == 1 + accepted
    counted_ballots = Ballot.objects.filter(election=election, member__isnull=True)
    assert sum(counted_ballots.values_list("weight", flat=True)) == 1 + accepted
    assert Voter.objects.filter(election=election).count() == 1 + accepted
    assert len(kinds("ballot.cast")) == 1 + accepted
    assert ledger_verify().ok


def test_a_box_closed_from_many_requests_at_once_is_closed_and_mixed_once(
    running: RunningElection, time_machine: Any
) -> None:
    keys = [c.pk for c in running.candidates]
    for i, user in enumerate(list(running.voters.values())[:3]):
        services.ballot_cast(actor=user, election_id=running.election.pk, choices=[keys[i]])
    time_machine.move_to(running.closes + timedelta(minutes=1), tick=False)
    results = race(
        lambda i: services.election_close(actor=running.secretary, election_id=running.election.pk)
    )
    assert len([r for r in results if isinstance(r, Election)]) == 1, results
    assert [type(r) for r in results if not isinstance(r, Election)] == [Conflict] * (THREADS - 1)
    assert len(kinds("box.closed")) == len(kinds("box.mixed")) == 1
    assert ledger_verify().ok


def test_a_trustee_step_brought_from_many_requests_at_once_is_taken_once(
    running: RunningElection, time_machine: Any
) -> None:
    keys = [c.pk for c in running.candidates]
    for i, user in enumerate(list(running.voters.values())[4:7]):
        services.ballot_cast(actor=user, election_id=running.election.pk, choices=[keys[i]])
    time_machine.move_to(running.closes + timedelta(minutes=1), tick=False)
    services.election_close(actor=running.secretary, election_id=running.election.pk)
    box = running.box
    step = ceremony.step_file(box, 1, running.seeds[1], "decrypt")
    results = race(
        lambda i: trustee_step(actor=running.trustees[1], reference=box.reference, step=step)
    )
    assert len([r for r in results if not isinstance(r, Exception)]) == 1, results
    assert [type(r) for r in results if isinstance(r, Exception)] == [Conflict] * (THREADS - 1)
    assert PartialDecryption.objects.filter(trustee__box=box).count() == 1
    assert len(kinds("decryption.submitted")) == 1
    assert ledger_verify().ok


def test_an_election_counted_from_many_requests_at_once_is_counted_once(
    running: RunningElection, time_machine: Any
) -> None:
    keys = [c.pk for c in running.candidates]
    for i, user in enumerate(running.voters.values()):
        services.ballot_cast(actor=user, election_id=running.election.pk, choices=[keys[i % 4]])
    running.close_and_decrypt(time_machine)

    results = race(
        lambda i: services.election_count(actor=running.secretary, election_id=running.election.pk)
    )
    assert len([r for r in results if isinstance(r, Election)]) == 1, results
    assert [type(r) for r in results if not isinstance(r, Election)] == [Conflict] * (THREADS - 1)
    assert len(kinds("election.counted")) == 1
    assert Mandate.objects.filter(origin=f"election:{running.election.pk}").count() == len(keys)
    assert ledger_verify().ok


def test_a_member_nominated_from_many_requests_at_once_stands_once(
    operator: Any, time_machine: Any
) -> None:
    time_machine.move_to(T0, tick=False)
    federation = build_small_federation(actor=operator)
    running = build_running_election(
        actor=operator,
        federation=federation,
        traveller=time_machine,
        mode="paper",
        method="plurality",
        voters=0,
        start=T0,
    )
    member = Member.objects.get(name=federation.neighborhood_names[20])
    results = race(
        lambda i: services.candidate_nominate(
            actor=running.secretary, election_id=running.election.pk, member_id=member.pk
        )
    )
    assert len([r for r in results if isinstance(r, Candidate)]) == 1, results
    assert [type(r) for r in results if not isinstance(r, Candidate)] == [Conflict] * (THREADS - 1)
    assert Candidate.objects.filter(election=running.election, member=member).count() == 1
    assert ledger_verify().ok
