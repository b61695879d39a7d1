"""Casting a ballot (consejo.elections.services.voting), on SQLite and on PostgreSQL: one
ballot a member, sealed when secret, only while voting is open, only for standing candidates, as
many marks as the method allows, and an open ballot with its voter.

State is built through the services; the clock is moved with ``time_machine`` (never a mocked
``now``), starting on 9 June 2005 so that every instant follows the previous one in the ledger.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.bodies import services as body_services
from consejo.bodies.models import Membership
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.elections import services
from consejo.elections.models import Ballot, Election, Voter
from tests.builders import SmallFederation, secret_box
from tests.elections.instants import CLOSES, OPENS
from tests.elections.services.calls import call, stand
from tests.elections.services.reads import entries, member_of, roster_member, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_member_casts_one_secret_ballot(vecina: Any, running: tuple[Election, list[int]]) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=[keys[2], keys[0]])
    assert secret_box(election) == {(keys[2], keys[0]): 1}
    assert not Ballot.objects.exists()  # no row of its own while voting is open
    assert Voter.objects.get(election=election).member == member_of(vecina)
    assert entries("ballot.cast") == [{"election": election.pk, "member": member_of(vecina).pk}]


def test_a_second_ballot_is_a_conflict_and_writes_nothing(
    vecina: Any, running: tuple[Election, list[int]]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=[keys[0]])
    before = snapshot()
    with pytest.raises(Conflict, match="already voted"):
        services.ballot_cast(actor=vecina, election_id=election.pk, choices=[keys[1]])
    assert snapshot() == before
    assert secret_box(election) == {(keys[0],): 1}


def test_only_current_members_of_the_body_vote(
    operator: Any,
    vecina: Any,
    minero: Any,
    outsider: Any,
    running: tuple[Election, list[int]],
    clock: Callable[[datetime], datetime],
    caplog: pytest.LogCaptureFixture,
) -> None:
    election, keys = running
    membership = Membership.objects.get(member__user=vecina)
    body_services.membership_end(actor=operator, membership_id=membership.pk)
    clock(OPENS + timedelta(minutes=6))
    before = snapshot()
    for actor in (minero, outsider, vecina):
        caplog.clear()
        with (
            caplog.at_level(logging.WARNING, logger="consejo.security"),
            pytest.raises(PermissionDenied),
        ):
            services.ballot_cast(actor=actor, election_id=election.pk, choices=[keys[0]])
        assert any(r.name == "consejo.security" for r in caplog.records)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("instant", "message"),
    [
        (OPENS - timedelta(microseconds=1), "voting is not open"),
        (CLOSES, "voting is not open"),
        (CLOSES + timedelta(days=1), "voting is not open"),
    ],
)
def test_ballots_are_cast_only_while_voting_is_open(
    secretary: Any,
    vecina: Any,
    fed: SmallFederation,
    clock: Callable[[datetime], datetime],
    instant: datetime,
    message: str,
) -> None:
    election = call(secretary, fed)
    keys = stand(secretary, election, roster_member(fed, 0))
    clock(instant)
    before = snapshot()
    with pytest.raises(Conflict, match=message):
        services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys)
    assert snapshot() == before


def test_the_first_and_last_instants_of_voting_are_open(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed)
    keys = stand(secretary, election, roster_member(fed, 0))
    clock(OPENS)
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys)
    clock(CLOSES - timedelta(microseconds=1))
    services.ballot_cast(actor=vecino, election_id=election.pk, choices=keys)
    assert Voter.objects.filter(election=election).count() == 2


def test_a_paper_election_takes_no_online_ballots(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, mode="paper", method="plurality")
    keys = stand(secretary, election, roster_member(fed, 0))
    clock(OPENS + timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="counted on paper"):
        services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys)
    assert not Voter.objects.exists()


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        (lambda keys: [], "empty"),
        (lambda keys: [keys[0], keys[1], keys[0]], "twice"),
        (lambda keys: [keys[0], keys[4]], "not a candidate"),  # withdrawn
        (lambda keys: [keys[0] + 10_000], "not a candidate"),  # unknown
    ],
)
def test_an_invalid_ballot_is_refused_and_nothing_is_recorded(
    vecina: Any,
    running: tuple[Election, list[int]],
    pick: Callable[[list[int]], list[int]],
    message: str,
) -> None:
    election, keys = running
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        services.ballot_cast(actor=vecina, election_id=election.pk, choices=pick(keys))
    assert snapshot() == before
    # The refused ballot did not use up the member's vote.
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=[keys[1]])


def test_a_nominee_who_has_not_accepted_is_not_on_the_ballot(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed)
    pending = services.candidate_nominate(
        actor=vecino, election_id=election.pk, member_id=member_of(vecina).pk
    )
    stand(secretary, election, roster_member(fed, 0))
    clock(OPENS)
    with pytest.raises(InvalidInput, match="not a candidate"):
        services.ballot_cast(actor=vecino, election_id=election.pk, choices=[pending.pk])


def test_a_block_vote_marks_at_most_one_candidate_per_seat(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, method="plurality")
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(6)))
    clock(OPENS)
    with pytest.raises(InvalidInput, match="at most 4"):
        services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:5])
    assert not Voter.objects.exists()
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:4])
    assert secret_box(election) == {tuple(keys[:4]): 1}


def test_an_approval_ballot_may_mark_more_candidates_than_seats(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, method="approval")
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(6)))
    clock(OPENS)
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys)
    assert secret_box(election) == {tuple(keys): 1}


def test_an_open_ballot_records_its_voter_and_choices(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, mode="open")
    keys = stand(secretary, election, roster_member(fed, 0), roster_member(fed, 1))
    clock(OPENS)
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=[keys[1], keys[0]])
    assert Ballot.objects.get(election=election).member == member_of(vecina)
    assert entries("ballot.cast")[-1] == {
        "election": election.pk,
        "member": member_of(vecina).pk,
        "choices": [keys[1], keys[0]],
    }
