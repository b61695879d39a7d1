"""A council elects from its seated delegates, and the mandates it makes are held through their
seats (consejo.mandates.electorate, consejo.mandates.services; issue 11, items 1 and 2).

The federation: two base bodies (a neighborhood of 30, a mine of 12) send 4 + 1 delegates to
the city council, which sends 2 to a national assembly. The city council's electors are its five
sitting delegates: not the other members of the base bodies, not its substitutes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from consejo.bodies import services as bodies
from consejo.bodies.models import ApportionmentMethod, Body, BodyKind, CouncilLevel, Membership
from consejo.core.errors import InvalidInput, PermissionDenied
from consejo.elections import services
from consejo.ledger.audit import audit
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.electorate import electors
from consejo.mandates.models import Mandate
from tests.builders import SmallFederation, grant_login
from tests.mandates.elect import member, paper_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(federation: SmallFederation) -> SmallFederation:
    return federation


@pytest.fixture
def national(operator: Any, fed: SmallFederation) -> Body:
    """A national assembly above the city council, with its two seats apportioned to it."""
    body = bodies.body_create(
        actor=operator,
        name="Asamblea Nacional",
        slug="asamblea-nacional",
        kind=BodyKind.COUNCIL,
        level=CouncilLevel.NATIONAL,
        place="La Paz",
    )
    bodies.federation_link(actor=operator, body_id=fed.council.pk, parent_id=body.pk)
    bodies.council_seats_configure(
        actor=operator, council_id=body.pk, method=ApportionmentMethod.HAMILTON, seats=2
    )
    return body


@pytest.fixture
def seated(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime | timedelta], datetime]
) -> None:
    """Vecinas 01-04 sit for the neighborhood (05 and 06 substitutes), Minero 01 for the mine."""
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=[member(n) for n in names[:6]],
        votes=[60, 50, 40, 30, 20, 10],
        substitutes=2,
    )
    paper_election(
        operator,
        body=fed.mine,
        council=fed.council,
        standing=[member(n) for n in fed.mine_names[:2]],
        votes=[9, 3],
        substitutes=1,
    )
    clock(timedelta(hours=1))


def city_seat(name: str, council: Body) -> Mandate:
    return Mandate.objects.get(member__name=name, council=council, office="", end__isnull=True)


@pytest.mark.usefixtures("seated")
def test_a_councils_electors_are_its_sitting_delegates(fed: SmallFederation) -> None:
    sitting = {m.name for m in electors(fed.council, datetime.now(tz=UTC))}
    assert sitting == {*fed.neighborhood_names[:4], fed.mine_names[0]}
    # A base body's electors stay its members.
    assert electors(fed.mine, datetime.now(tz=UTC)).count() == len(fed.mine_names)


@pytest.mark.usefixtures("seated")
def test_the_city_council_elects_to_the_national_assembly_through_its_delegates_seats(
    operator: Any, fed: SmallFederation, national: Body
) -> None:
    names = fed.neighborhood_names
    standing = [member(names[0]), member(names[2]), member(fed.mine_names[0])]
    election = paper_election(
        operator,
        body=fed.council,
        council=national,
        standing=standing,
        votes=[3, 1, 2],
        substitutes=1,
    )
    assert election.seats == 2  # apportioned to the city council in the national assembly
    seats = Mandate.objects.filter(council=national, end__isnull=True).order_by("role", "rank")
    assert [(m.member.name, m.role, m.derives_from) for m in seats] == [
        (names[0], "delegate", city_seat(names[0], fed.council)),
        (fed.mine_names[0], "delegate", city_seat(fed.mine_names[0], fed.council)),
        (names[2], "substitute", city_seat(names[2], fed.council)),
    ]
    assert ledger_verify().ok
    assert audit().ok


@pytest.mark.usefixtures("seated")
def test_a_council_cannot_elect_someone_who_does_not_sit_in_it(
    operator: Any, fed: SmallFederation, national: Body
) -> None:
    now = datetime.now(tz=UTC)
    election = services.election_create(
        actor=operator,
        body_id=fed.council.pk,
        council_id=national.pk,
        title="Delegados a la Asamblea Nacional",
        method="plurality",
        mode="paper",
        opens_at=now,
        closes_at=now + timedelta(hours=4),
    )
    substitute = member(fed.neighborhood_names[4])  # a substitute: waits, does not sit
    outsider = member(fed.neighborhood_names[20])  # a member of the base body only
    for person in (substitute, outsider):
        with pytest.raises(InvalidInput, match="does not sit in"):
            services.candidate_nominate(
                actor=operator, election_id=election.pk, member_id=person.pk
            )


@pytest.mark.usefixtures("seated")
def test_only_sitting_delegates_vote_online_in_a_council(
    operator: Any,
    fed: SmallFederation,
    national: Body,
    clock: Callable[[datetime | timedelta], datetime],
) -> None:
    names = fed.neighborhood_names
    delegate = grant_login(actor=operator, member=member(names[1]), username="delegada")
    substitute = grant_login(actor=operator, member=member(names[4]), username="suplente")
    base_member = grant_login(actor=operator, member=member(names[20]), username="vecina")
    opens = clock(timedelta(hours=2))
    election = services.election_create(
        actor=operator,
        body_id=fed.council.pk,
        council_id=national.pk,
        title="Delegados a la Asamblea Nacional",
        method="plurality",
        mode="open",
        opens_at=opens + timedelta(hours=1),
        closes_at=opens + timedelta(hours=3),
    )
    candidate = services.candidate_nominate(
        actor=operator, election_id=election.pk, member_id=member(names[0]).pk
    )
    clock(timedelta(hours=3, minutes=30))
    services.ballot_cast(actor=delegate, election_id=election.pk, choices=[candidate.pk])
    for outsider in (substitute, base_member):
        with pytest.raises(PermissionDenied):
            services.ballot_cast(actor=outsider, election_id=election.pk, choices=[candidate.pk])


@pytest.mark.usefixtures("seated")
def test_a_reelected_delegate_keeps_her_national_seat_and_one_not_reelected_loses_it(
    operator: Any,
    fed: SmallFederation,
    national: Body,
    clock: Callable[[datetime | timedelta], datetime],
) -> None:
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.council,
        council=national,
        standing=[member(names[0]), member(names[1])],
        votes=[5, 4],
        substitutes=0,
    )
    kept, lost = (
        Mandate.objects.get(council=national, member__name=n, end__isnull=True) for n in names[:2]
    )
    lost_through = lost.derives_from_id
    clock(timedelta(days=10))
    # The neighborhood elects again: Vecina 01 is re-elected, Vecina 02 is not.
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=[member(n) for n in (names[0], names[6], names[7], names[8], names[9])],
        votes=[50, 40, 30, 20, 10],
        substitutes=1,
    )
    kept.refresh_from_db()
    lost.refresh_from_db()
    assert kept.end is None
    assert kept.derives_from == city_seat(names[0], fed.council)  # her new city seat
    assert lost.end is not None
    assert (lost.end_reason, lost.ended_by) == ("derived", f"mandate:{lost_through}")
    assert Mandate.objects.get(pk=lost_through).end == lost.end  # the same instant
    assert ledger_verify().ok
    assert audit().ok


@pytest.mark.usefixtures("seated")
def test_a_body_elects_its_secretary_who_holds_office_by_mandate(
    operator: Any, fed: SmallFederation
) -> None:
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.neighborhood,
        standing=[member(names[10]), member(names[11])],
        votes=[20, 9],
        substitutes=1,
        office="secretary",
    )
    offices = Mandate.objects.filter(office="secretary", end__isnull=True).order_by("role")
    assert [(m.member.name, m.role, m.constituency, m.council) for m in offices] == [
        (names[10], "delegate", fed.neighborhood, fed.neighborhood),
        (names[11], "substitute", fed.neighborhood, fed.neighborhood),
    ]
    assert all(m.derives_from is None for m in offices)  # a base body's office
    assert audit().ok


@pytest.mark.usefixtures("seated")
def test_a_councils_officer_holds_the_office_through_her_delegate_seat(
    operator: Any, fed: SmallFederation
) -> None:
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.council,
        council=fed.council,
        standing=[member(names[3])],
        votes=[4],
        substitutes=0,
        office="chair",
    )
    chair = Mandate.objects.get(office="chair", end__isnull=True)
    assert chair.derives_from == city_seat(names[3], fed.council)


@pytest.mark.usefixtures("seated")
def test_an_office_is_elected_by_its_own_body_to_one_seat(
    operator: Any, fed: SmallFederation
) -> None:
    now = datetime.now(tz=UTC)
    call = {
        "actor": operator,
        "body_id": fed.neighborhood.pk,
        "title": "Secretaría",
        "method": "plurality",
        "mode": "paper",
        "opens_at": now,
        "closes_at": now + timedelta(hours=1),
    }
    with pytest.raises(InvalidInput, match="elected by"):
        services.election_create(**call, council_id=fed.council.pk, office="secretary")
    with pytest.raises(InvalidInput, match="one holder"):
        services.election_create(
            **call, council_id=fed.neighborhood.pk, office="secretary", seats=2
        )
    with pytest.raises(InvalidInput, match="unknown office"):
        services.election_create(**call, council_id=fed.neighborhood.pk, office="king")
    with pytest.raises(InvalidInput, match="not a council"):
        services.election_create(**call, council_id=fed.mine.pk)


@pytest.mark.usefixtures("seated")
def test_a_winner_who_stopped_sitting_before_the_count_is_passed_over(
    operator: Any,
    fed: SmallFederation,
    national: Body,
    clock: Callable[[datetime | timedelta], datetime],
) -> None:
    names = fed.neighborhood_names
    now = datetime.now(tz=UTC)
    election = services.election_create(
        actor=operator,
        body_id=fed.council.pk,
        council_id=national.pk,
        title="Delegados a la Asamblea Nacional",
        method="plurality",
        mode="paper",
        opens_at=now,
        closes_at=now + timedelta(hours=4),
        substitutes=1,
    )
    keys = [
        services.candidate_nominate(
            actor=operator, election_id=election.pk, member_id=member(n).pk
        ).pk
        for n in (names[1], names[2], fed.mine_names[0])
    ]
    services.paper_tally_enter(
        actor=operator,
        election_id=election.pk,
        ballots=[([k], n) for k, n in zip(keys, [5, 4, 3], strict=True)],
    )
    clock(timedelta(hours=2))
    # Before the count, the neighborhood elects again without Vecina 02.
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=[member(n) for n in (names[2], *names[6:9])],
        votes=[4, 3, 2, 1],
        substitutes=0,
    )
    clock(timedelta(hours=3))
    services.election_count(actor=operator, election_id=election.pk)
    seated = Mandate.objects.filter(council=national, end__isnull=True).order_by("role", "rank")
    # She is passed over: the next in order of merit sit, and nobody waits behind them.
    assert [(m.member.name, m.role) for m in seated] == [
        (names[2], "delegate"),
        (fed.mine_names[0], "delegate"),
    ]
    assert audit().ok


@pytest.mark.usefixtures("seated")
def test_a_member_who_left_before_the_count_is_passed_over_and_seats_follow_the_apportionment(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime | timedelta], datetime]
) -> None:
    names = fed.neighborhood_names
    now = datetime.now(tz=UTC)
    election = services.election_create(
        actor=operator,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Renovación",
        method="plurality",
        mode="paper",
        opens_at=now,
        closes_at=now + timedelta(hours=4),
        substitutes=2,
    )
    standing = names[10:16]
    keys = [
        services.candidate_nominate(
            actor=operator, election_id=election.pk, member_id=member(n).pk
        ).pk
        for n in standing
    ]
    services.paper_tally_enter(
        actor=operator,
        election_id=election.pk,
        ballots=[([k], n) for k, n in zip(keys, [60, 50, 40, 30, 20, 10], strict=True)],
    )
    clock(timedelta(hours=1))
    gone = Membership.objects.get(member__name=standing[0], body=fed.neighborhood)
    bodies.membership_end(actor=operator, membership_id=gone.pk)
    # And the council now gives the neighborhood 3 seats, not 4.
    bodies.council_seats_configure(
        actor=operator, council_id=fed.council.pk, method=ApportionmentMethod.HAMILTON, seats=4
    )
    clock(timedelta(hours=2))
    services.election_count(actor=operator, election_id=election.pk)
    seated = Mandate.objects.filter(
        constituency=fed.neighborhood, council=fed.council, end__isnull=True
    ).order_by("role", "rank")
    assert [(m.member.name, m.role) for m in seated] == [
        (standing[1], "delegate"),
        (standing[2], "delegate"),
        (standing[3], "delegate"),
        (standing[4], "substitute"),
        (standing[5], "substitute"),
    ]
    assert audit().ok


@pytest.mark.usefixtures("seated")
def test_a_re_election_gives_the_seat_it_empties_above_to_the_substitute(
    operator: Any,
    fed: SmallFederation,
    national: Body,
    clock: Callable[[datetime | timedelta], datetime],
) -> None:
    names = fed.neighborhood_names
    paper_election(
        operator,
        body=fed.council,
        council=national,
        standing=[member(names[0]), member(names[1]), member(names[2])],
        votes=[5, 4, 3],
        substitutes=1,
    )
    clock(timedelta(days=10))
    # The neighborhood elects again without Vecina 01: her national seat ends with her city
    # seat, and the national delegation's substitute, Vecina 03, takes it.
    paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=[member(n) for n in (names[1], names[2], names[6], names[7])],
        votes=[4, 3, 2, 1],
        substitutes=0,
    )
    sitting = Mandate.objects.filter(
        council=national, role="delegate", end__isnull=True
    ).values_list("member__name", flat=True)
    assert sorted(sitting) == sorted([names[1], names[2]])
    assert audit().ok
