"""The write path for bodies, members, federation links and seats (consejo.bodies.services)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from consejo.bodies import services
from consejo.bodies.models import Apportionment, Body, Federation, Member, Membership
from consejo.bodies.services import RosterRow
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.builders import grant_login

pytestmark = pytest.mark.django_db

T0 = datetime(2005, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def last_entry() -> LedgerEntry:
    return LedgerEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


@pytest.fixture
def city(operator: Any) -> Body:
    return services.body_create(
        actor=operator,
        name="El Alto council",
        slug="el-alto",
        kind="council",
        level="city",
        at=at(0),
    )


@pytest.fixture
def plant(operator: Any, city: Body) -> Body:
    return services.body_create(
        actor=operator,
        name="Senkata plant",
        slug="senkata",
        kind="workplace",
        parent_id=city.pk,
        at=at(1),
    )


@pytest.fixture
def assembly(operator: Any, city: Body) -> Body:
    return services.body_create(
        actor=operator,
        name="Villa Ingenio",
        slug="villa-ingenio",
        kind="neighborhood_assembly",
        parent_id=city.pk,
        at=at(1),
    )


_people = itertools.count()


def roster(n: int, sector: str = "resident") -> list[RosterRow]:
    """``n`` people, never named like anyone registered before in the test session."""
    return [RosterRow(name=f"Person {next(_people)}", sector=sector) for _ in range(n)]


def secretary_of(body: Body, operator: Any, username: str, at_: datetime) -> Any:
    membership = services.member_add(
        actor=operator,
        body_id=body.pk,
        name=f"Secretary {username}",
        sector="worker",
        role="secretary",
        at=at_,
    )
    return grant_login(
        actor=operator,
        member=membership.member,
        username=username,
        password="a-long-demo-pass-7",
        at=at_,
    )


def test_creating_a_body_records_it_in_the_ledger(operator: Any, city: Body) -> None:
    entry = last_entry()
    assert entry.kind == "body.created"
    assert json.loads(entry.payload)["slug"] == "el-alto"
    assert ledger_verify().ok


def test_a_body_created_under_a_council_is_linked_to_it(plant: Body, city: Body) -> None:
    assert Federation.objects.filter(body=plant, parent=city, end__isnull=True).exists()


def test_only_an_operator_creates_a_top_level_body(outsider: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.body_create(actor=outsider, name="X", slug="x", kind="council")
    assert not Body.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_a_taken_short_name_is_a_conflict_and_writes_nothing(operator: Any, city: Body) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict, match="taken"):
        services.body_create(actor=operator, name="Other", slug="el-alto", kind="council")
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " ", "slug": "ok", "kind": "mine"}, "name is empty"),
        ({"name": "A", "slug": "Not A Slug", "kind": "mine"}, "short name"),
        ({"name": "A", "slug": "a", "kind": "castle"}, "unknown kind"),
        ({"name": "A", "slug": "a", "kind": "mine", "level": "city"}, "only councils"),
    ],
)
def test_bad_body_fields_are_refused_with_a_clear_message(
    operator: Any, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.body_create(actor=operator, **fields)


def test_a_secretary_registers_members_of_their_own_body_only(
    operator: Any, plant: Body, assembly: Body
) -> None:
    secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    services.member_add(
        actor=secretary, body_id=plant.pk, name="Juana Mamani", sector="worker", at=at(3)
    )
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=secretary, body_id=assembly.pk, name="Pedro Quispe", sector="resident", at=at(3)
        )
    assert not Member.objects.filter(name="Pedro Quispe").exists()


def test_a_secretary_whose_membership_ended_loses_the_right_at_that_instant(
    operator: Any, plant: Body
) -> None:
    secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    membership = Membership.objects.get(member__user=secretary)
    services.member_add(actor=secretary, body_id=plant.pk, name="Before", sector="worker", at=at(4))
    secretary_of(plant, operator, "sec-successor", at(4))  # the last secretary cannot leave
    services.membership_end(actor=operator, membership_id=membership.pk, at=at(5))
    with pytest.raises(PermissionDenied):
        services.member_add(
            actor=secretary, body_id=plant.pk, name="After", sector="worker", at=at(5)
        )


def test_nothing_can_be_dated_before_what_is_already_recorded(operator: Any, plant: Body) -> None:
    secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    membership = Membership.objects.get(member__user=secretary)
    secretary_of(plant, operator, "sec-successor", at(3))  # the last secretary cannot leave
    services.membership_end(actor=operator, membership_id=membership.pk, at=at(5))
    # A write dated before the end, made after it, would let the ended secretary act: refused.
    with pytest.raises(InvalidInput, match="before the newest ledger entry"):
        services.member_add(
            actor=secretary, body_id=plant.pk, name="Sneaky", sector="worker", at=at(4)
        )
    assert not Member.objects.filter(name="Sneaky").exists()


def test_nothing_can_be_dated_in_the_future(operator: Any, plant: Body) -> None:
    with pytest.raises(InvalidInput, match="future"):
        services.member_add(
            actor=operator,
            body_id=plant.pk,
            name="J",
            sector="worker",
            at=T0 + timedelta(days=365 * 50),
        )


def test_a_member_cannot_hold_two_open_memberships_of_one_body(operator: Any, plant: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="Juana", sector="worker", at=at(2)
    )
    with pytest.raises(Conflict, match="already a member"):
        services.membership_start(
            actor=operator,
            member_id=membership.member.pk,
            body_id=plant.pk,
            sector="worker",
            at=at(3),
        )


def test_a_member_may_belong_to_several_bodies(operator: Any, plant: Body, assembly: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="Juana", sector="worker", at=at(2)
    )
    services.membership_start(
        actor=operator,
        member_id=membership.member.pk,
        body_id=assembly.pk,
        sector="resident",
        at=at(3),
    )
    assert membership.member.memberships.filter(end__isnull=True).count() == 2


def test_ending_a_membership_keeps_the_row_and_cannot_happen_twice(
    operator: Any, plant: Body
) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    services.membership_end(actor=operator, membership_id=membership.pk, reason="moved", at=at(3))
    membership.refresh_from_db()
    assert membership.end == at(3)
    assert last_entry().kind == "membership.ended"
    with pytest.raises(Conflict):
        services.membership_end(actor=operator, membership_id=membership.pk, at=at(4))


def test_a_membership_cannot_end_before_it_starts(operator: Any, plant: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    with pytest.raises(InvalidInput, match="after it starts"):
        services.membership_end(actor=operator, membership_id=membership.pk, at=at(2))


def test_a_roster_with_one_bad_line_is_refused_whole_naming_the_line(
    operator: Any, plant: Body
) -> None:
    rows = [*roster(3, "worker"), RosterRow(name="Bad", sector="pirate"), *roster(2, "worker")]
    before = LedgerEntry.objects.count()
    with pytest.raises(InvalidInput, match="line 4"):
        services.membership_import(actor=operator, body_id=plant.pk, rows=rows, at=at(2))
    assert not Membership.objects.filter(body=plant).exists()
    assert LedgerEntry.objects.count() == before


def test_a_roster_import_writes_one_ledger_entry_per_membership(operator: Any, plant: Body) -> None:
    before = LedgerEntry.objects.count()
    assert (
        services.membership_import(actor=operator, body_id=plant.pk, rows=roster(25), at=at(2))
        == 25
    )
    assert LedgerEntry.objects.filter(kind="membership.started").count() == 25
    assert LedgerEntry.objects.count() == before + 25
    assert ledger_verify().ok


def test_seats_are_apportioned_from_current_membership_and_recomputed_when_it_changes(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(100, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(300), at=at(2))
    record = services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=4, at=at(3)
    )
    assert record is not None
    assert {row.body.slug: row.seats for row in record.rows.all()} == {
        "senkata": 1,
        "villa-ingenio": 3,
    }
    # 200 more workers at the plant: 300 and 300 now split the 4 seats evenly.
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(200, "worker"), at=at(4)
    )
    latest = Apportionment.objects.filter(council=city).latest()
    assert {row.body.slug: row.seats for row in latest.rows.all()} == {
        "senkata": 2,
        "villa-ingenio": 2,
    }
    assert latest.ledger_seq == last_entry().seq


def test_a_committee_of_a_council_holds_no_seats_in_it(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(100, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(300), at=at(2))
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=4, min_seats=1, at=at(3)
    )
    # The council's supply committee is linked under it, with members of its own: it is the
    # council's organ, not a constituent, so the minimum seat does not reach it.
    committee = services.body_create(
        actor=operator,
        name="Comité de abastecimiento",
        slug="abastecimiento",
        kind="committee",
        parent_id=city.pk,
        at=at(4),
    )
    services.membership_import(actor=operator, body_id=committee.pk, rows=roster(5), at=at(5))
    latest = Apportionment.objects.filter(council=city).latest()
    assert {row.body.slug for row in latest.rows.all()} == {"senkata", "villa-ingenio"}
    assert sum(row.seats for row in latest.rows.all()) == 4


def test_a_membership_change_that_moves_no_seat_writes_no_new_apportionment(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(100, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(300), at=at(2))
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=4, at=at(3)
    )
    services.member_add(
        actor=operator, body_id=assembly.pk, name="One more", sector="resident", at=at(4)
    )
    assert Apportionment.objects.filter(council=city).count() == 1


def test_the_ratio_mode_gives_one_seat_per_n_members_with_a_minimum(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(40, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(1200), at=at(2))
    record = services.council_seats_configure(
        actor=operator,
        council_id=city.pk,
        method="ratio",
        members_per_seat=500,
        min_seats=1,
        at=at(3),
    )
    assert record is not None
    seats = {row.body.slug: row.seats for row in record.rows.all()}
    assert seats["senkata"] == 1
    assert seats["villa-ingenio"] >= 2


def test_an_empty_body_linked_to_a_council_takes_no_seat_from_the_others(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(70, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(50), at=at(2))
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=12, min_seats=1, at=at(3)
    )
    before = {row.body.slug: row.seats for row in Apportionment.objects.latest().rows.all()}
    for n in range(3):  # each empty body would have taken a seat by the minimum
        services.body_create(
            actor=operator,
            name=f"Empty {n}",
            slug=f"empty-{n}",
            kind="neighborhood_assembly",
            parent_id=city.pk,
            at=at(4 + n),
        )
    after = {row.body.slug: row.seats for row in Apportionment.objects.latest().rows.all()}
    assert before == {"senkata": 7, "villa-ingenio": 5}
    assert {slug: after.get(slug, 0) for slug in before} == before
    assert all(after.get(f"empty-{n}", 0) == 0 for n in range(3))


def test_a_council_secretary_may_create_only_committees_under_the_council(
    operator: Any, city: Body
) -> None:
    secretary = secretary_of(city, operator, "sec-city", at(1))
    with pytest.raises(PermissionDenied):
        services.body_create(
            actor=secretary, name="Packed", slug="packed", kind="mine", parent_id=city.pk, at=at(2)
        )
    committee = services.body_create(
        actor=secretary, name="Supply", slug="supply", kind="committee", parent_id=city.pk, at=at(2)
    )
    assert Federation.objects.filter(body=committee, parent=city).exists()


def test_a_link_that_would_make_a_council_its_own_delegate_is_refused(
    operator: Any, city: Body
) -> None:
    national = services.body_create(
        actor=operator, name="National assembly", slug="national", kind="council", at=at(1)
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk, at=at(2))
    with pytest.raises(Conflict, match="itself"):
        services.federation_link(actor=operator, body_id=national.pk, parent_id=city.pk, at=at(3))


def test_only_councils_receive_delegates(operator: Any, plant: Body, assembly: Body) -> None:
    with pytest.raises(InvalidInput, match="not a council"):
        services.federation_link(actor=operator, body_id=assembly.pk, parent_id=plant.pk, at=at(2))


def test_unlinking_a_body_reapportions_the_council_without_it(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(100, "worker"), at=at(2)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(300), at=at(2))
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=4, at=at(3)
    )
    link = Federation.objects.get(body=plant, parent=city)
    services.federation_unlink(actor=operator, link_id=link.pk, at=at(4))
    latest = Apportionment.objects.filter(council=city).latest()
    assert {row.body.slug: row.seats for row in latest.rows.all()} == {"villa-ingenio": 4}


def test_a_login_is_granted_once_with_a_code_that_never_reaches_the_ledger(
    operator: Any, plant: Body
) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    issued = services.member_login_grant(
        actor=operator, member_id=membership.member.pk, username="juana"
    )
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "login.granted"
    assert issued.code not in entry.payload
    assert "juana" not in entry.payload
    assert json.loads(entry.payload)["member"] == membership.member_id
    assert not issued.user.has_usable_password()
    with pytest.raises(Conflict, match="already has a login"):
        services.member_login_grant(
            actor=operator, member_id=membership.member.pk, username="juana2"
        )


def test_a_weak_password_is_refused_with_the_validators_message(operator: Any, plant: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    with pytest.raises(InvalidInput, match=r"too short"):
        grant_login(actor=operator, member=membership.member, username="juana", password="1234")


def test_denied_actions_are_logged(
    outsider: Any, plant: Body, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="consejo.security"), pytest.raises(PermissionDenied):
        services.member_add(actor=outsider, body_id=plant.pk, name="X", sector="worker")
    assert "denied: outsider tried add a member on Senkata plant" in caplog.text


def test_a_council_of_councils_is_apportioned_by_the_people_behind_each_council(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    national = services.body_create(
        actor=operator, name="National", slug="national", kind="council", at=at(1)
    )
    mines = services.body_create(
        actor=operator,
        name="Miners",
        slug="miners",
        kind="council",
        parent_id=national.pk,
        at=at(1),
    )
    huanuni = services.body_create(
        actor=operator, name="Huanuni", slug="huanuni", kind="mine", parent_id=mines.pk, at=at(1)
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk, at=at(1))
    services.council_seats_configure(
        actor=operator, council_id=national.pk, method="dhondt", seats=10, at=at(2)
    )
    services.membership_import(
        actor=operator, body_id=plant.pk, rows=roster(300, "worker"), at=at(3)
    )
    services.membership_import(actor=operator, body_id=assembly.pk, rows=roster(500), at=at(3))
    services.membership_import(
        actor=operator, body_id=huanuni.pk, rows=roster(200, "miner"), at=at(3)
    )
    # The city council's own secretary is not counted again: she is counted in her base body.
    services.member_add(
        actor=operator,
        body_id=city.pk,
        name="Secretary",
        sector="resident",
        role="secretary",
        at=at(3),
    )
    latest = Apportionment.objects.filter(council=national).latest()
    rows = {row.body.slug: (row.members, row.seats) for row in latest.rows.all()}
    assert rows == {"el-alto": (800, 8), "miners": (200, 2)}


def test_a_person_in_two_base_bodies_under_one_council_is_represented_once(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    national = services.body_create(
        actor=operator, name="National", slug="national", kind="council", at=at(1)
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk, at=at(1))
    services.council_seats_configure(
        actor=operator, council_id=national.pk, method="dhondt", seats=3, at=at(2)
    )
    worker = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(3)
    )
    services.membership_start(
        actor=operator, member_id=worker.member.pk, body_id=assembly.pk, sector="resident", at=at(4)
    )
    latest = Apportionment.objects.filter(council=national).latest()
    assert [row.members for row in latest.rows.all()] == [1]


def test_a_council_whose_bodies_have_no_members_yet_does_not_block_new_bodies(
    operator: Any, city: Body
) -> None:
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=5, at=at(1)
    )
    body = services.body_create(
        actor=operator, name="Empty", slug="empty", kind="mine", parent_id=city.pk, at=at(2)
    )
    assert not Apportionment.objects.filter(council=city).exists()
    membership = services.member_add(
        actor=operator, body_id=body.pk, name="J", sector="miner", at=at(3)
    )
    assert Apportionment.objects.filter(council=city).latest().rows.get().seats == 5
    services.membership_end(actor=operator, membership_id=membership.pk, at=at(4))


def test_a_secretary_cannot_take_over_another_bodys_secretary_by_giving_them_a_login(
    operator: Any, city: Body, plant: Body
) -> None:
    # The city council's secretary has no login yet. She also belongs to the plant (people belong
    # to several bodies; an operator joined the two), and the plant's secretary tries to give her
    # a login whose password he would know: refused, it is the key to the city council.
    plant_secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    city_secretary = services.member_add(
        actor=operator,
        body_id=city.pk,
        name="Sec City",
        sector="resident",
        role="secretary",
        at=at(2),
    ).member
    services.membership_start(
        actor=operator, member_id=city_secretary.pk, body_id=plant.pk, sector="worker", at=at(3)
    )
    with pytest.raises(PermissionDenied):
        grant_login(
            actor=plant_secretary,
            member=city_secretary,
            username="takeover",
            password="wawa-llajta-2005",
            at=at(4),
        )
    # The city's own secretary... has no login; an operator can give it.
    grant_login(
        actor=operator,
        member=city_secretary,
        username="sec-city",
        password="wawa-llajta-2005",
        at=at(5),
    )


def test_a_council_cannot_annex_a_body_without_the_bodys_consent(operator: Any, city: Body) -> None:
    mine = services.body_create(actor=operator, name="Mine", slug="mine", kind="mine", at=at(1))
    city_secretary = secretary_of(city, operator, "sec-city", at(2))
    with pytest.raises(PermissionDenied):
        services.federation_link(actor=city_secretary, body_id=mine.pk, parent_id=city.pk, at=at(3))
    assert not Federation.objects.filter(body=mine).exists()
    # Once she is also the mine's secretary, her one action carries both consents.
    services.membership_start(
        actor=operator,
        member_id=city_secretary.member.pk,
        body_id=mine.pk,
        sector="miner",
        role="secretary",
        at=at(4),
    )
    link = services.federation_link(
        actor=city_secretary, body_id=mine.pk, parent_id=city.pk, at=at(5)
    )
    assert link.end is None


def test_a_body_may_leave_a_council_by_its_own_secretary(
    operator: Any, city: Body, plant: Body
) -> None:
    plant_secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    link = Federation.objects.get(body=plant, parent=city)
    services.federation_unlink(actor=plant_secretary, link_id=link.pk, at=at(3))
    link.refresh_from_db()
    assert link.end == at(3)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Juana\x00Mamani", "control characters"),
        ("Juana\ud800", "not valid text"),
        ("J" * 201, "longer than 200"),
    ],
)
def test_names_that_no_database_or_verifier_could_keep_are_refused(
    operator: Any, plant: Body, name: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.member_add(actor=operator, body_id=plant.pk, name=name, sector="worker", at=at(2))


def test_one_phone_number_written_two_ways_is_one_number(operator: Any, plant: Body) -> None:
    services.member_add(
        actor=operator,
        body_id=plant.pk,
        name="A",
        sector="worker",
        phone="+591 700-00001",
        at=at(2),
    )
    with pytest.raises(Conflict, match="phone"):
        services.member_add(
            actor=operator,
            body_id=plant.pk,
            name="B",
            sector="worker",
            phone="59170000001",
            at=at(3),
        )


def test_a_phone_held_in_another_body_is_registered_as_a_new_phone_is(
    operator: Any, plant: Body, assembly: Body
) -> None:
    # The phone-number oracle: a refusal here told a secretary who belongs to another body.
    other = services.member_add(
        actor=operator,
        body_id=assembly.pk,
        name="Rosa",
        sector="resident",
        phone="70000001",
        at=at(2),
    )
    secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    mine = services.member_add(
        actor=secretary, body_id=plant.pk, name="Rosa", sector="worker", phone="7000-0001", at=at(3)
    )
    assert mine.member_id != other.member_id
    assert Member.objects.filter(phone="70000001").count() == 2


def test_a_roster_with_a_phone_already_on_this_body_is_refused_naming_it(
    operator: Any, plant: Body, assembly: Body
) -> None:
    services.member_add(
        actor=operator, body_id=plant.pk, name="A", sector="worker", phone="70000009", at=at(2)
    )
    services.member_add(
        actor=operator, body_id=assembly.pk, name="B", sector="resident", phone="70000008", at=at(2)
    )
    with pytest.raises(Conflict, match="70000009") as refused:
        services.membership_import(
            actor=operator,
            body_id=plant.pk,
            rows=[
                RosterRow(name="C", sector="worker", phone="70000008"),
                RosterRow(name="D", sector="worker", phone="70000009"),
            ],
            at=at(3),
        )
    assert "70000008" not in str(refused.value)
    # The phone held only in the other body goes in as any new phone does.
    rows = [RosterRow(name="C", sector="worker", phone="70000008")]
    assert services.membership_import(actor=operator, body_id=plant.pk, rows=rows, at=at(4)) == 1


def test_only_an_operator_joins_an_existing_member_to_another_body(
    operator: Any, plant: Body, assembly: Body
) -> None:
    rosa = services.member_add(
        actor=operator, body_id=assembly.pk, name="Rosa", sector="resident", at=at(2)
    ).member
    secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    with pytest.raises(PermissionDenied):
        services.membership_start(
            actor=secretary, member_id=rosa.pk, body_id=plant.pk, sector="worker", at=at(3)
        )
    services.membership_start(
        actor=operator, member_id=rosa.pk, body_id=plant.pk, sector="worker", at=at(3)
    )
    assert Membership.objects.filter(member=rosa, end__isnull=True).count() == 2


def test_a_seat_rule_that_cannot_work_is_refused_when_set_even_before_members(
    operator: Any, city: Body, plant: Body, assembly: Body
) -> None:
    with pytest.raises(InvalidInput, match="raise its seats"):
        services.council_seats_configure(
            actor=operator, council_id=city.pk, method="hamilton", seats=1, min_seats=1, at=at(2)
        )
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="hamilton", seats=2, min_seats=1, at=at(2)
    )
    # A third body would need a third seat: its joining is refused, not its first member later.
    with pytest.raises(InvalidInput, match="raise its seats"):
        services.body_create(
            actor=operator, name="Third", slug="third", kind="mine", parent_id=city.pk, at=at(3)
        )


def test_a_council_left_without_bodies_shows_no_stale_seats(
    operator: Any, city: Body, plant: Body
) -> None:
    services.member_add(actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2))
    services.council_seats_configure(
        actor=operator, council_id=city.pk, method="dhondt", seats=5, at=at(3)
    )
    link = Federation.objects.get(body=plant, parent=city)
    services.federation_unlink(actor=operator, link_id=link.pk, at=at(4))
    latest = Apportionment.objects.filter(council=city).latest()
    assert latest.seats == 0
    assert not latest.rows.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"seats": 10**20},
        {"min_seats": 10**7, "seats": 5},
        {"method": "ratio", "members_per_seat": 2**40},
    ],
)
def test_seat_numbers_beyond_any_assembly_are_refused_before_anything_is_written(
    operator: Any, city: Body, fields: dict[str, Any]
) -> None:
    call: dict[str, Any] = {"method": "dhondt", "seats": 5, **fields}
    with pytest.raises(InvalidInput, match="at most"):
        services.council_seats_configure(actor=operator, council_id=city.pk, at=at(2), **call)
    city.refresh_from_db()
    assert city.apportionment_method == ""


def test_registering_a_name_already_on_the_roster_needs_a_confirmation(
    operator: Any, plant: Body
) -> None:
    services.member_add(
        actor=operator, body_id=plant.pk, name="María Mamani", sector="worker", at=at(2)
    )
    with pytest.raises(Conflict, match="already on the roster"):
        services.member_add(
            actor=operator, body_id=plant.pk, name="María Mamani", sector="worker", at=at(3)
        )
    services.member_add(
        actor=operator,
        body_id=plant.pk,
        name="María Mamani",
        sector="worker",
        same_name_ok=True,
        at=at(3),
    )
    assert Membership.objects.filter(body=plant, member__name="María Mamani").count() == 2


def test_importing_the_same_roster_twice_registers_nobody_twice(operator: Any, plant: Body) -> None:
    rows = roster(5, "worker")
    services.membership_import(actor=operator, body_id=plant.pk, rows=rows, at=at(2))
    with pytest.raises(Conflict, match="already on the roster"):
        services.membership_import(actor=operator, body_id=plant.pk, rows=rows, at=at(3))
    assert Membership.objects.filter(body=plant).count() == 5


@pytest.mark.parametrize("slug", ["new", "depots", "recipients", "plans", "items"])
def test_a_short_name_that_a_page_address_uses_is_reserved(operator: Any, slug: str) -> None:
    # /bodies/new/ creates a body; /supply/depots/… would hide a committee called "depots".
    with pytest.raises(InvalidInput, match="reserved"):
        services.body_create(actor=operator, name="X", slug=slug, kind="committee")
