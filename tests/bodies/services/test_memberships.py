"""Members and their memberships (consejo.bodies.services.memberships): who registers whom, one
by one or as a roster, the dates a write may carry, memberships ended, names and phone numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from consejo.bodies import services
from consejo.bodies.models import Body, Member, Membership
from consejo.bodies.services import RosterRow
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.bodies.services.helpers import T0, at, last_entry, roster, secretary_of

pytestmark = pytest.mark.django_db


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


def test_denied_actions_are_logged(
    outsider: Any, plant: Body, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("WARNING", logger="consejo.security"), pytest.raises(PermissionDenied):
        services.member_add(actor=outsider, body_id=plant.pk, name="X", sector="worker")
    assert "denied: outsider tried add a member on Senkata plant" in caplog.text


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
