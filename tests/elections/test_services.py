"""The write path of elections (consejo.elections.services), on SQLite and on PostgreSQL.

State is built through the services; the clock is moved with ``time_machine`` (never a mocked
``now``), starting on 9 June 2005 so that every instant follows the previous one in the ledger.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from consejo.bodies import services as body_services
from consejo.bodies.models import Member, Membership
from consejo.boxes import ceremony
from consejo.boxes.models import Box, SealedBallot
from consejo.core.elections import lot_seed
from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.models import Mandate
from tests.builders import (
    CEREMONIES,
    SmallFederation,
    build_small_federation,
    key_ceremony,
    make_member,
    make_secretary,
    secret_box,
    trustee_logins,
    trustee_members,
)
from tests.conftest import CLOCK_START

pytestmark = pytest.mark.django_db

T0 = CLOCK_START
OPENS = T0 + timedelta(hours=2)
CLOSES = T0 + timedelta(hours=10)
#: Hamilton over the neighbourhood (30 + the people these tests register) and the mine (12):
#: the neighbourhood holds 4 of the council's 5 seats.
NEIGHBORHOOD_SEATS = 4


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    federation = build_small_federation(actor=operator)
    trustee_logins(actor=operator, body=federation.neighborhood)  # the secret votes' trustees
    return federation


@pytest.fixture
def secretary(operator: Any, fed: SmallFederation) -> Any:
    return make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")


@pytest.fixture
def vecina(operator: Any, fed: SmallFederation) -> Any:
    return make_member(actor=operator, body=fed.neighborhood, username="basilia")


@pytest.fixture
def vecino(operator: Any, fed: SmallFederation) -> Any:
    return make_member(
        actor=operator, body=fed.neighborhood, username="eusebio", name="Eusebio Huanca"
    )


@pytest.fixture
def minero(operator: Any, fed: SmallFederation) -> Any:
    return make_member(actor=operator, body=fed.mine, username="minero", name="Minero Choque")


def member_of(user: Any) -> Member:
    return Member.objects.get(user=user)


def roster_member(fed: SmallFederation, index: int) -> Member:
    return Member.objects.get(name=fed.neighborhood_names[index])


def entries(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(payload)
        for payload in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def snapshot() -> tuple[object, ...]:
    """Counts of every row an election service writes: a refused action changes none."""
    return (
        LedgerEntry.objects.count(),
        Election.objects.count(),
        Candidate.objects.count(),
        Voter.objects.count(),
        Ballot.objects.count(),
        Box.objects.count(),
        SealedBallot.objects.count(),
        Mandate.objects.count(),
    )


def call(actor: Any, fed: SmallFederation, **fields: Any) -> Election:
    values: dict[str, Any] = {
        "body": fed.neighborhood,
        "council": fed.council,
        "title": "Delegados de Senkata al Consejo",
        "method": "scottish-stv",
        "mode": "secret",
        "opens_at": OPENS,
        "closes_at": CLOSES,
    }
    values.update(fields)
    logins = {}
    if values["mode"] == "secret" and "trustees" not in values:
        operator = get_user_model().objects.filter(is_superuser=True).first()
        logins = trustee_logins(actor=operator, body=values["body"])
        values["trustees"] = trustee_members(logins)
    body, council = values.pop("body"), values.pop("council")
    trustees = values.pop("trustees", ())
    election = services.election_create(
        actor=actor,
        body_id=body.pk,
        council_id=council.pk,
        trustee_ids=[m.pk for m in trustees],
        **values,
    )
    if logins:
        key_ceremony(election, logins)
    return election


def open_box(secretary: Any, election: Election) -> None:
    """Close and mix a secret election's box, and have its first k trustees decrypt the mix."""
    services.election_close(actor=secretary, election_id=election.pk)
    box = Box.objects.get(purpose=f"election:{election.pk}")
    logins, seeds = CEREMONIES[box.reference]
    ceremony.decrypt(box, logins, seeds, sorted(logins)[: box.threshold])


def stand(actor: Any, election: Election, *members: Member) -> list[int]:
    """Nominate ``members`` as ``actor`` (the secretary: they stand at once); candidate keys."""
    return [
        services.candidate_nominate(actor=actor, election_id=election.pk, member_id=m.pk).pk
        for m in members
    ]


# --- calling an election -------------------------------------------------------------------------


def test_an_election_fills_the_seats_apportioned_to_the_body(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    assert election.seats == NEIGHBORHOOD_SEATS
    assert election.substitutes == NEIGHBORHOOD_SEATS  # as many substitutes as seats by default
    called = entries("election.called")[-1]
    assert called["election"] == election.pk
    assert called["seats"] == NEIGHBORHOOD_SEATS
    assert called["council"] == "el-alto-council"
    assert called["by"] == secretary.pk
    assert ledger_verify().ok


def test_explicit_seats_equal_to_the_apportionment_are_accepted(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed, seats=NEIGHBORHOOD_SEATS, substitutes=0)
    assert (election.seats, election.substitutes) == (NEIGHBORHOOD_SEATS, 0)


def test_seats_other_than_the_apportioned_ones_are_refused(
    secretary: Any, fed: SmallFederation
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="holds 4 seats"):
        call(secretary, fed, seats=NEIGHBORHOOD_SEATS - 1)
    assert snapshot() == before


def test_instants_beyond_year_9999_are_refused_not_a_crash(
    secretary: Any, fed: SmallFederation
) -> None:
    # 9999-12-31 23:00 at UTC-5 is year 10000 in UTC: Python cannot even represent it.
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    before = snapshot()
    with pytest.raises(InvalidInput, match="years 1 to 9999"):
        call(secretary, fed, closes_at=far)
    assert snapshot() == before


def test_a_body_left_without_seats_by_the_newest_apportionment_cannot_elect(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    # The council's seats are re-apportioned by the ratio rule with a quota no body reaches
    # but the minimum, which is 0 here: the newest apportionment gives the body nothing, while
    # the older one still lists its 4 seats.
    body_services.council_seats_configure(
        actor=operator, council_id=fed.council.pk, method="ratio", members_per_seat=10_000
    )
    before = snapshot()
    with pytest.raises(InvalidInput, match="holds no seats"):
        call(secretary, fed)
    assert snapshot() == before


def test_a_committee_election_needs_its_seats_stated(operator: Any, fed: SmallFederation) -> None:
    committee = body_services.body_create(
        actor=operator,
        name="Comité de abastecimiento",
        slug="supply-committee",
        kind="committee",
        parent_id=fed.council.pk,
    )
    with pytest.raises(InvalidInput, match="how many seats"):
        call(operator, fed, body=fed.council, council=committee, title="Comité", mode="open")
    election = call(
        operator, fed, body=fed.council, council=committee, title="Comité", seats=3, mode="open"
    )
    assert election.seats == 3
    assert election.substitutes == 3


def test_the_council_must_be_a_parent_or_a_committee_of_the_body(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    other = body_services.body_create(
        actor=operator, name="Consejo de La Paz", slug="la-paz", kind="council"
    )
    before = snapshot()
    with pytest.raises(InvalidInput, match="neither sends delegates"):
        call(secretary, fed, council=other, seats=1)
    with pytest.raises(InvalidInput, match="not a council or committee"):
        call(secretary, fed, council=fed.mine, seats=1)
    assert snapshot() == before


@pytest.mark.parametrize("mode", ["secret", "open"])
def test_online_voting_must_open_later_than_now(
    secretary: Any, fed: SmallFederation, mode: str
) -> None:
    with pytest.raises(InvalidInput, match="later than now"):
        call(secretary, fed, mode=mode, opens_at=T0)
    with pytest.raises(InvalidInput, match="later than now"):
        call(secretary, fed, mode=mode, opens_at=T0 - timedelta(hours=1))
    assert call(secretary, fed, mode=mode, opens_at=T0 + timedelta(seconds=1)).pk


def test_instant_runoff_is_refused_for_more_than_one_seat_when_the_election_is_called(
    operator: Any, secretary: Any, fed: SmallFederation
) -> None:
    # IRV fills one seat: an IRV election for the neighbourhood's 4 seats could never be counted.
    before = snapshot()
    with pytest.raises(InvalidInput, match="one seat"):
        call(secretary, fed, method="irv")
    assert snapshot() == before
    committee = body_services.body_create(
        actor=operator, name="Comité", slug="comite", kind="committee", parent_id=fed.council.pk
    )
    election = call(
        operator, fed, body=fed.council, council=committee, method="irv", seats=1, mode="open"
    )
    assert (election.method, election.seats) == ("irv", 1)


def test_a_paper_election_may_open_now(secretary: Any, fed: SmallFederation) -> None:
    assert call(secretary, fed, mode="paper", opens_at=T0).mode == "paper"


def test_voting_must_close_after_it_opens(secretary: Any, fed: SmallFederation) -> None:
    with pytest.raises(InvalidInput, match="close after it opens"):
        call(secretary, fed, closes_at=OPENS)
    with pytest.raises(InvalidInput, match="close after it opens"):
        call(secretary, fed, closes_at=OPENS - timedelta(minutes=1))
    with pytest.raises(InvalidInput, match="time zone"):
        call(secretary, fed, opens_at=OPENS.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"method": "borda"}, "unknown counting method"),
        ({"mode": "postal"}, "unknown kind of ballot"),
        ({"title": "  "}, "title"),
        ({"substitutes": 101}, "substitutes"),
    ],
)
def test_bad_election_fields_are_refused(
    secretary: Any, fed: SmallFederation, fields: dict[str, Any], message: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        call(secretary, fed, **fields)
    assert snapshot() == before


def test_only_the_secretary_calls_an_election_and_a_refusal_is_logged(
    fed: SmallFederation,
    vecina: Any,
    minero: Any,
    operator: Any,
    outsider: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    mine_secretary = make_secretary(actor=operator, body=fed.mine, username="sec-huanuni")
    before = snapshot()
    for actor in (vecina, minero, outsider, mine_secretary):
        caplog.clear()
        with (
            caplog.at_level(logging.WARNING, logger="consejo.security"),
            pytest.raises(PermissionDenied),
        ):
            call(actor, fed)
        denied = [r for r in caplog.records if r.name == "consejo.security"]
        assert len(denied) == 1
        assert actor.username in denied[0].getMessage()
    assert snapshot() == before


# --- nominations ---------------------------------------------------------------------------------


def test_a_member_nominating_a_fellow_member_waits_for_their_acceptance(
    secretary: Any, vecina: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    nominee = roster_member(fed, 0)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=nominee.pk, statement="Honest and brave"
    )
    assert candidate.accepted_at is None
    assert not candidate.standing
    assert candidate.nominated_by == member_of(vecina)
    nominated = entries("candidate.nominated")[-1]
    assert nominated["accepted"] is False
    assert nominated["member"] == nominee.pk
    assert nominated["nominated_by"] == member_of(vecina).pk


def test_a_self_nomination_stands_at_once(
    secretary: Any, vecina: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    assert candidate.standing
    assert entries("candidate.nominated")[-1]["accepted"] is True


def test_a_nomination_by_the_secretary_stands_at_once(secretary: Any, fed: SmallFederation) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=roster_member(fed, 3).pk
    )
    assert candidate.standing
    assert candidate.nominated_by == member_of(secretary)


def test_only_members_of_the_electing_body_are_nominated_or_nominate(
    secretary: Any, vecina: Any, minero: Any, outsider: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    before = snapshot()
    with pytest.raises(InvalidInput, match="is not a member of"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=member_of(minero).pk
        )
    for actor in (minero, outsider):
        with pytest.raises(PermissionDenied):
            services.candidate_nominate(
                actor=actor, election_id=election.pk, member_id=member_of(vecina).pk
            )
    with pytest.raises(NotFound, match="no such election"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk + 1000, member_id=member_of(vecina).pk
        )
    assert snapshot() == before


def test_a_member_is_nominated_only_once(secretary: Any, vecina: Any, fed: SmallFederation) -> None:
    election = call(secretary, fed)
    services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    before = snapshot()
    with pytest.raises(Conflict, match="already nominated"):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=member_of(vecina).pk
        )
    assert snapshot() == before


def test_nominations_close_when_online_voting_opens(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed)
    clock(OPENS - timedelta(microseconds=1))
    services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=roster_member(fed, 0).pk
    )
    clock(OPENS)
    with pytest.raises(Conflict, match="nominations closed"):
        services.candidate_nominate(
            actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
        )
    assert Candidate.objects.filter(election=election).count() == 1


def test_a_paper_election_takes_nominations_until_its_tally_is_entered(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed, mode="paper", method="plurality")
    clock(OPENS + timedelta(hours=1))  # the assembly is voting: names still come from the floor
    [first] = stand(secretary, election, roster_member(fed, 0))
    services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([first], 3)])
    with pytest.raises(Conflict, match="already entered"):
        stand(secretary, election, roster_member(fed, 1))
    vecina_candidate = Candidate.objects.get(election=election, member=member_of(vecina))
    with pytest.raises(Conflict, match="already entered"):
        services.candidate_withdraw(actor=vecina, candidate_id=vecina_candidate.pk)


# --- accepting and withdrawing -------------------------------------------------------------------


def test_the_nominee_or_the_secretary_accepts_nobody_else(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    for_vecina = services.candidate_nominate(
        actor=vecino, election_id=election.pk, member_id=member_of(vecina).pk
    )
    for_roster = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=roster_member(fed, 5).pk
    )
    with pytest.raises(PermissionDenied):
        services.candidate_accept(actor=vecino, candidate_id=for_vecina.pk)
    assert not Candidate.objects.get(pk=for_vecina.pk).standing
    assert services.candidate_accept(actor=vecina, candidate_id=for_vecina.pk).standing
    # Someone without a login said yes in the assembly: the secretary records it.
    assert services.candidate_accept(actor=secretary, candidate_id=for_roster.pk).standing
    accepted = entries("candidate.accepted")
    assert [e["candidate"] for e in accepted] == [for_vecina.pk, for_roster.pk]
    assert [e["by"] for e in accepted] == [vecina.pk, secretary.pk]
    with pytest.raises(Conflict, match="already accepted"):
        services.candidate_accept(actor=vecina, candidate_id=for_vecina.pk)


def test_a_withdrawn_candidate_cannot_accept_or_withdraw_again(
    secretary: Any, vecina: Any, vecino: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecino, election_id=election.pk, member_id=member_of(vecina).pk
    )
    with pytest.raises(PermissionDenied):
        services.candidate_withdraw(actor=vecino, candidate_id=candidate.pk)
    withdrawn = services.candidate_withdraw(actor=vecina, candidate_id=candidate.pk)
    assert withdrawn.withdrawn_at == T0
    assert not withdrawn.standing
    assert entries("candidate.withdrawn")[-1]["candidate"] == candidate.pk
    before = snapshot()
    with pytest.raises(Conflict, match="withdrawn"):
        services.candidate_accept(actor=vecina, candidate_id=candidate.pk)
    with pytest.raises(Conflict, match="withdrawn"):
        services.candidate_withdraw(actor=secretary, candidate_id=candidate.pk)
    with pytest.raises(NotFound, match="no such candidate"):
        services.candidate_withdraw(actor=secretary, candidate_id=candidate.pk + 1000)
    assert snapshot() == before


def test_nobody_withdraws_once_online_voting_opens(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    election = call(secretary, fed)
    candidate = services.candidate_nominate(
        actor=vecina, election_id=election.pk, member_id=member_of(vecina).pk
    )
    clock(OPENS)
    with pytest.raises(Conflict, match="nominations closed"):
        services.candidate_withdraw(actor=vecina, candidate_id=candidate.pk)
    assert Candidate.objects.get(pk=candidate.pk).standing


# --- casting a ballot ----------------------------------------------------------------------------


@pytest.fixture
def running(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> tuple[Election, list[int]]:
    """A secret Scottish STV election with four candidates standing and one withdrawn; voting."""
    election = call(secretary, fed)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(4)))
    withdrawn = stand(secretary, election, roster_member(fed, 4))[0]
    services.candidate_withdraw(actor=secretary, candidate_id=withdrawn)
    clock(OPENS + timedelta(minutes=5))
    return election, [*keys, withdrawn]


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


# --- the paper tally -----------------------------------------------------------------------------


@pytest.fixture
def paper(
    secretary: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> tuple[Election, list[int]]:
    """A paper Scottish STV election with three candidates, the assembly voting."""
    election = call(secretary, fed, mode="paper", substitutes=1)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(3)))
    clock(OPENS + timedelta(minutes=30))
    return election, keys


def test_a_tally_groups_identical_ballots_and_records_their_weights(
    secretary: Any, fed: SmallFederation, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper
    total = services.paper_tally_enter(
        actor=secretary,
        election_id=election.pk,
        ballots=[([a, b], 12), ([c], 5), ([a, b], 3), ([b, c, a], 1)],
    )
    assert total == 21
    rows = sorted(
        (tuple(ch), w, m) for ch, w, m in Ballot.objects.values_list("choices", "weight", "member")
    )
    assert rows == [((a, b), 15, None), ((b, c, a), 1, None), ((c,), 5, None)]
    [tally] = entries("tally.entered")
    assert tally["total"] == 21
    assert tally["by"] == secretary.pk
    assert tally["ballots"] == sorted([[[a, b], 15], [[c], 5], [[b, c, a], 1]])


def test_a_new_tally_replaces_the_previous_one_and_the_ledger_keeps_both(
    secretary: Any, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([a], 10)])
    services.paper_tally_enter(
        actor=secretary, election_id=election.pk, ballots=[([b], 7), ([c, a], 2)]
    )
    assert sorted(Ballot.objects.values_list("choices", "weight")) == [([b], 7), ([c, a], 2)]
    assert [t["total"] for t in entries("tally.entered")] == [10, 9]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (lambda a, b, c: [([a], 3), ([a, a], 1)], "line 2: the ballot names a candidate twice"),
        (lambda a, b, c: [([a], 0)], "line 1: the number of ballots"),
        (lambda a, b, c: [([a], 1), ([b], 2), ([b], -4)], "line 3: the number of ballots"),
        (lambda a, b, c: [([a], 10_000_001)], "line 1: the number of ballots"),
        (lambda a, b, c: [([b], 1), ([], 4)], "line 2: the ballot is empty"),
        (lambda a, b, c: [([c + 999], 1)], "line 1: .*not a candidate"),
        (lambda a, b, c: [], "holds no ballots"),
    ],
)
def test_a_bad_tally_names_the_line_and_writes_nothing(
    secretary: Any,
    paper: tuple[Election, list[int]],
    lines: Callable[[int, int, int], list[tuple[list[int], int]]],
    message: str,
) -> None:
    election, keys = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([keys[0]], 1)])
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=lines(*keys))
    assert snapshot() == before
    assert list(Ballot.objects.values_list("choices", "weight")) == [([keys[0]], 1)]


def test_only_the_secretary_enters_a_tally(
    vecina: Any, operator: Any, paper: tuple[Election, list[int]]
) -> None:
    election, keys = paper
    with pytest.raises(PermissionDenied):
        services.paper_tally_enter(actor=vecina, election_id=election.pk, ballots=[(keys, 1)])
    assert not Ballot.objects.exists()
    assert services.paper_tally_enter(actor=operator, election_id=election.pk, ballots=[(keys, 1)])


def test_no_tally_before_voting_opens_nor_for_an_online_election(
    secretary: Any, fed: SmallFederation, running: tuple[Election, list[int]]
) -> None:
    online, keys = running
    with pytest.raises(InvalidInput, match="voted online"):
        services.paper_tally_enter(actor=secretary, election_id=online.pk, ballots=[(keys[:1], 1)])
    later = call(
        secretary,
        fed,
        mode="paper",
        opens_at=OPENS + timedelta(hours=1),
        closes_at=OPENS + timedelta(hours=3),
    )
    [key] = stand(secretary, later, roster_member(fed, 9))
    with pytest.raises(InvalidInput, match="has not voted yet"):
        services.paper_tally_enter(actor=secretary, election_id=later.pk, ballots=[([key], 1)])
    assert not Ballot.objects.exists()


def test_no_tally_once_the_election_is_counted(
    secretary: Any, paper: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[(keys, 4)])
    services.election_count(actor=secretary, election_id=election.pk)
    before = snapshot()
    with pytest.raises(Conflict, match="already been counted"):
        services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[(keys, 5)])
    assert snapshot() == before


# --- the count -----------------------------------------------------------------------------------


def test_online_ballots_are_counted_only_after_voting_closes(
    secretary: Any, vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:2])
    clock(CLOSES - timedelta(microseconds=1))
    before = snapshot()
    with pytest.raises(Conflict, match="still open"):
        services.election_count(actor=secretary, election_id=election.pk)
    assert snapshot() == before
    clock(CLOSES)
    open_box(secretary, election)
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.counted_at == CLOSES


def test_a_paper_election_is_not_counted_before_it_opens(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed, mode="paper")
    stand(secretary, election, roster_member(fed, 0))
    with pytest.raises(Conflict, match="not voted yet"):
        services.election_count(actor=secretary, election_id=election.pk)


def test_an_election_is_counted_once(
    secretary: Any, vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:1])
    clock(CLOSES + timedelta(hours=1))
    open_box(secretary, election)
    services.election_count(actor=secretary, election_id=election.pk)
    clock(CLOSES + timedelta(hours=2))
    before = snapshot()
    with pytest.raises(Conflict, match="already been counted"):
        services.election_count(actor=secretary, election_id=election.pk)
    assert snapshot() == before


def test_an_election_without_ballots_or_candidates_is_not_counted(
    secretary: Any, fed: SmallFederation, running: tuple[Election, list[int]], clock: Any
) -> None:
    election, _keys = running
    empty = call(
        secretary,
        fed,
        title="Nadie se presenta",
        opens_at=CLOSES - timedelta(hours=1),
        closes_at=CLOSES,
    )
    clock(CLOSES)
    before = snapshot()
    with pytest.raises(Conflict, match="no ballots"):
        services.election_count(actor=secretary, election_id=election.pk)
    with pytest.raises(Conflict, match="nobody stands"):
        services.election_count(actor=secretary, election_id=empty.pk)
    assert snapshot() == before
    assert Election.objects.get(pk=election.pk).counted_at is None


def test_only_the_secretary_counts(
    vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:1])
    clock(CLOSES)
    with pytest.raises(PermissionDenied):
        services.election_count(actor=vecina, election_id=election.pk)
    assert Election.objects.get(pk=election.pk).counted_at is None


def cast_many(
    fed: SmallFederation, operator: Any, election: Election, ballots: list[list[int]]
) -> None:
    for i, choices in enumerate(ballots):
        user = make_member(
            actor=operator, body=fed.neighborhood, username=f"votante-{i}", name=f"Votante {i:02d}"
        )
        services.ballot_cast(actor=user, election_id=election.pk, choices=choices)


def test_the_count_records_the_result_the_seed_and_every_ledger_entry(
    operator: Any,
    secretary: Any,
    fed: SmallFederation,
    running: tuple[Election, list[int]],
    clock: Callable[..., datetime],
) -> None:
    election, keys = running
    a, b, c, d = keys[:4]
    names = {k: Candidate.objects.get(pk=k).member.name for k in (a, b, c, d)}
    # Scottish STV, 4 seats, 11 ballots: Droop quota 11 // 5 + 1 = 3.
    ballots = [[a, b]] * 4 + [[b]] * 3 + [[c, d]] * 2 + [[d]] + [[a, c]]
    cast_many(fed, operator, election, ballots)
    clock(CLOSES)
    open_box(secretary, election)
    counted = services.election_count(actor=secretary, election_id=election.pk)

    stored = Election.objects.get(pk=election.pk)
    assert stored.counted_at == CLOSES
    result = stored.result
    assert result is not None
    assert result["method"] == "scottish-stv"
    assert result["valid_ballots"] == 11
    assert result["rounds"]
    assert all("votes" in r for r in result["rounds"])
    assert set(result["elected"]) == {names[a], names[b], names[c], names[d]}
    assert result["elected"][:2] == [names[a], names[b]]
    assert sorted(result["order_of_merit"]) == sorted(names.values())
    assert result["order_of_merit"][: len(result["elected"])] == result["elected"]

    # The seed of the lot is drawn from the ledger head just before the count's own entry.
    entry = LedgerEntry.objects.get(seq=stored.ledger_seq)
    assert entry.kind == "election.counted"
    previous = LedgerEntry.objects.get(seq=entry.seq - 1)
    assert entry.prev == previous.hash
    assert stored.seed == result["seed"] == str(lot_seed(previous.hash))
    assert counted.seed == stored.seed

    payload = json.loads(entry.payload)
    assert payload["election"] == election.pk
    assert payload["seed"] == stored.seed
    # Candidate ids, never names (docs/privacy.md).
    key_of = {name: key for key, name in names.items()}
    assert payload["elected"] == [key_of[name] for name in result["elected"]]
    assert payload["candidates"] == sorted(names, key=names.__getitem__)
    assert sum(weight for _ranking, weight in payload["ballots"]) == 11
    assert [a, b] in [ranking for ranking, _w in payload["ballots"]]
    assert payload["substitutes"] == []  # every standing candidate was elected
    assert payload["by"] == secretary.pk

    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {
        "election.called",
        "candidate.nominated",
        "candidate.withdrawn",
        "ballot.cast",
        "election.counted",
        "mandate.started",
    } <= kinds
    assert len(entries("ballot.cast")) == 11
    started = entries("mandate.started")
    members = {Candidate.objects.get(pk=key_of[name]).member_id for name in result["elected"]}
    assert [m["member"] for m in started]
    assert {m["member"] for m in started} == members
    assert all(m["election"] == election.pk and m["role"] == "delegate" for m in started)
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_fewer_standing_candidates_than_seats_are_all_elected(
    secretary: Any, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper  # 4 seats, 3 standing
    services.paper_tally_enter(
        actor=secretary, election_id=election.pk, ballots=[([a], 5), ([b, a], 2)]
    )
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.result is not None
    assert len(counted.result["elected"]) == 3
    delegates = Mandate.objects.filter(origin=f"election:{election.pk}", role="delegate")
    assert sorted(delegates.values_list("member__candidacies__pk", flat=True)) == sorted([a, b, c])
    assert not Mandate.objects.filter(origin=f"election:{election.pk}", role="substitute").exists()
    assert ledger_verify().ok


def test_a_schulze_count_orders_the_runners_up_by_its_ranking(
    secretary: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, mode="paper", method="schulze", substitutes=2)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(6)))
    clock(OPENS)
    # A clear order of preference: candidate 5 first, then 4, ... candidate 0 last.
    services.paper_tally_enter(
        actor=secretary,
        election_id=election.pk,
        ballots=[(list(reversed(keys)), 10), (keys, 3)],
    )
    counted = services.election_count(actor=secretary, election_id=election.pk)
    result = counted.result
    assert result is not None
    expected = [fed.neighborhood_names[i] for i in reversed(range(6))]
    assert result["ranking"] == expected
    assert result["order_of_merit"] == expected
    assert result["elected"] == expected[:4]
    substitutes = Mandate.objects.filter(
        origin=f"election:{election.pk}", role="substitute"
    ).order_by("rank")
    assert [m.member.name for m in substitutes] == expected[4:6]
