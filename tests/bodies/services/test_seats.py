"""A council's seats (consejo.bodies.services.seats): apportioned from the current memberships,
again whenever the people behind each constituent change, and seat rules that cannot work."""

from __future__ import annotations

from typing import Any

import pytest

from consejo.bodies import services
from consejo.bodies.models import Apportionment, Body, Federation
from consejo.core.errors import InvalidInput
from tests.bodies.services.helpers import at, last_entry, roster
from tests.builders import appoint_secretary

pytestmark = pytest.mark.django_db


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
    appoint_secretary(
        actor=operator,
        membership=services.member_add(
            actor=operator, body_id=city.pk, name="Secretary", sector="resident", at=at(3)
        ),
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
