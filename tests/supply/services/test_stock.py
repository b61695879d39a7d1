"""The stock services (consejo.supply.services.stock), on SQLite and on PostgreSQL: items registered
by an operator or a committee's secretary, depots with their place and their control commission,
and stock counts by that commission's members; each refusal writes nothing.

The scene, the other committee and the checks after each test are in this package's conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from consejo.bodies.models import Body, Member
from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.supply import services
from consejo.supply.models import Item
from consejo.supply.services import Place
from tests.builders import SupplyScene, make_secretary
from tests.supply.services.records import entries, member_of, snapshot
from tests.supply.services.steps import T0, appoint_secretary, end_membership

pytestmark = pytest.mark.django_db


# --- items -----------------------------------------------------------------------------------


def test_an_operator_and_a_committee_secretary_register_items(
    operator: Any, scene: SupplyScene
) -> None:
    flour = services.item_create(actor=operator, slug="harina", name="Harina", unit="quintal")
    rice = services.item_create(actor=scene.members[0], slug="arroz", name="Arroz", unit="kg")
    assert (flour.slug, flour.unit, rice.slug) == ("harina", "quintal", "arroz")
    assert entries("item.created")[-2:] == [
        {"item": "harina", "id": flour.pk, "name": "Harina", "unit": "quintal", "by": operator.pk},
        {"item": "arroz", "id": rice.pk, "name": "Arroz", "unit": "kg", "by": scene.members[0].pk},
    ]


def test_a_control_commissions_secretary_is_a_committees_secretary_too(
    operator: Any, scene: SupplyScene
) -> None:
    secretary = make_secretary(actor=operator, body=scene.commission, username="control-sec")
    assert services.item_create(actor=secretary, slug="leche", name="Leche", unit="litro").pk


@pytest.mark.parametrize("who", ["plain committee member", "neighbourhood secretary", "outsider"])
def test_others_cannot_register_items(scene: SupplyScene, outsider: Any, who: str) -> None:
    actor = {
        "plain committee member": scene.members[1],
        "neighbourhood secretary": scene.junta,
        "outsider": outsider,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.item_create(actor=actor, slug="harina", name="Harina", unit="quintal")
    assert snapshot() == before


def test_a_secretary_whose_membership_ended_registers_no_item(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    appoint_secretary(operator, scene.members[1], scene.committee)
    end_membership(operator, scene.members[0], scene.committee)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.item_create(actor=scene.members[0], slug="harina", name="Harina", unit="qq")
    assert snapshot() == before


@pytest.mark.parametrize(
    "slug",
    ["", "Gas", "gas_10", "-gas", "gas-", "gas--10", "gás", "gas 10", "gas/10", "a" * 61],
)
def test_item_slugs_are_lowercase_letters_digits_and_single_dashes(
    operator: Any, scene: SupplyScene, slug: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="short name"):
        services.item_create(actor=operator, slug=slug, name="Harina", unit="quintal")
    assert snapshot() == before


def test_the_longest_item_slug_fits_its_column(operator: Any, scene: SupplyScene) -> None:
    slug = "a" * 60
    assert services.item_create(actor=operator, slug=slug, name="A", unit="u").slug == slug
    assert Item.objects.filter(slug=slug).exists()


@pytest.mark.parametrize(("name", "unit"), [("", "kg"), ("Harina", "  "), ("Ha\x00rina", "kg")])
def test_items_need_a_clean_name_and_unit(
    operator: Any, scene: SupplyScene, name: str, unit: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput):
        services.item_create(actor=operator, slug="harina", name=name, unit=unit)
    assert snapshot() == before


def test_a_second_item_with_the_same_slug_is_a_conflict(operator: Any, scene: SupplyScene) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="gas-10kg"):
        services.item_create(actor=operator, slug="gas-10kg", name="Otra", unit="garrafa")
    assert snapshot() == before


# --- depots ----------------------------------------------------------------------------------


def test_the_committees_secretary_registers_a_depot_with_its_place(scene: SupplyScene) -> None:
    depot = services.depot_create(
        actor=scene.members[0],
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Almacén de Ventilla",
        place="Ventilla",
        location=Place(Decimal("-16.5833"), Decimal("-68.1667")),
    )
    depot.refresh_from_db()
    assert (depot.latitude, depot.longitude) == (Decimal("-16.583300"), Decimal("-68.166700"))
    assert entries("depot.created")[-1] == {
        "depot": "almacen-ventilla",
        "id": depot.pk,
        "name": "Almacén de Ventilla",
        "place": "Ventilla",
        "committee": "abastecimiento",
        "commission": "control-senkata",
        "latitude": "-16.5833",
        "longitude": "-68.1667",
        "by": scene.members[0].pk,
    }


@pytest.mark.parametrize("who", ["plain member", "commission member", "other secretary"])
def test_only_the_committees_secretary_or_an_operator_registers_its_depots(
    scene: SupplyScene, other_committee: Body, who: str
) -> None:
    actor = {
        "plain member": scene.members[1],
        "commission member": scene.counter,
        "other secretary": Member.objects.get(name="Otra Secretaria").user,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.depot_create(
            actor=actor,
            committee_id=scene.committee.pk,
            commission_id=scene.commission.pk,
            slug="almacen",
            name="Almacén",
        )
    assert snapshot() == before


def test_a_depots_committee_and_commission_must_be_committees(
    operator: Any, scene: SupplyScene
) -> None:
    before = snapshot()
    mine = scene.federation.mine
    with pytest.raises(InvalidInput, match="not a committee"):
        services.depot_create(
            actor=operator,
            committee_id=mine.pk,
            commission_id=scene.commission.pk,
            slug="a",
            name="A",
        )
    with pytest.raises(InvalidInput, match="not a committee"):
        services.depot_create(
            actor=operator,
            committee_id=scene.committee.pk,
            commission_id=mine.pk,
            slug="a",
            name="A",
        )
    assert snapshot() == before


def test_the_supply_committee_does_not_count_its_own_stock(
    operator: Any, scene: SupplyScene
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="control commission must be another body"):
        services.depot_create(
            actor=operator,
            committee_id=scene.committee.pk,
            commission_id=scene.committee.pk,
            slug="otro-deposito",
            name="Otro depósito",
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("90.000001", "0"), ("-90.5", "0"), ("0", "180.000001"), ("0", "-181"), ("NaN", "0")],
)
def test_places_off_the_globe_are_refused(
    operator: Any, scene: SupplyScene, latitude: str, longitude: str
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="latitude"):
        services.depot_create(
            actor=operator,
            committee_id=scene.committee.pk,
            commission_id=scene.commission.pk,
            slug="almacen",
            name="Almacén",
            location=Place(Decimal(latitude), Decimal(longitude)),
        )
    assert snapshot() == before


def test_the_poles_and_the_date_line_are_on_the_globe(operator: Any, scene: SupplyScene) -> None:
    for i, (lat, lon) in enumerate([("90", "180"), ("-90", "-180")]):
        depot = services.depot_create(
            actor=operator,
            committee_id=scene.committee.pk,
            commission_id=scene.commission.pk,
            slug=f"polo-{i}",
            name=f"Polo {i}",
            location=Place(Decimal(lat), Decimal(lon)),
        )
        depot.refresh_from_db()
        assert (depot.latitude, depot.longitude) == (Decimal(lat), Decimal(lon))


def test_a_second_depot_with_the_same_slug_is_a_conflict(operator: Any, scene: SupplyScene) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="planta-senkata"):
        services.depot_create(
            actor=operator,
            committee_id=scene.committee.pk,
            commission_id=scene.commission.pk,
            slug="planta-senkata",
            name="Otra planta",
        )
    assert snapshot() == before


# --- stock counts ----------------------------------------------------------------------------


def test_a_member_of_the_control_commission_counts_the_stock(scene: SupplyScene) -> None:
    count = services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=95, note="tarde"
    )
    assert (count.units, count.counted_by, count.note) == (95, member_of(scene.counter), "tarde")
    assert entries("stock.counted")[-1] == {
        "count": count.pk,
        "depot": "planta-senkata",
        "item": "gas-10kg",
        "units": 95,
        "note": "tarde",
        "by": scene.counter.pk,
    }


def test_an_operators_count_has_no_counting_member(operator: Any, scene: SupplyScene) -> None:
    count = services.stock_count_record(
        actor=operator, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=5
    )
    assert count.counted_by is None


@pytest.mark.parametrize("who", ["committee secretary", "committee member", "junta", "outsider"])
def test_nobody_outside_the_control_commission_counts_its_stock(
    scene: SupplyScene, outsider: Any, who: str
) -> None:
    actor = {
        "committee secretary": scene.members[0],
        "committee member": scene.members[1],
        "junta": scene.junta,
        "outsider": outsider,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.stock_count_record(
            actor=actor, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=1
        )
    assert snapshot() == before


def test_a_counter_who_left_the_commission_counts_no_more(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    end_membership(operator, scene.counter, scene.commission)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.stock_count_record(
            actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=1
        )
    assert snapshot() == before


@pytest.mark.parametrize("units", [-1, 1_000_000_001, True, False, 1.0, 2.5, "5", None])
def test_counts_are_whole_numbers_from_0_to_a_billion(scene: SupplyScene, units: Any) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="whole number"):
        services.stock_count_record(
            actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=units
        )
    assert snapshot() == before


@pytest.mark.parametrize("units", [0, 1_000_000_000])
def test_counts_of_0_and_of_a_billion_are_recorded(scene: SupplyScene, units: int) -> None:
    count = services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=units
    )
    count.refresh_from_db()
    assert count.units == units


def test_counting_an_unknown_depot_or_item_is_not_found(scene: SupplyScene) -> None:
    before = snapshot()
    with pytest.raises(NotFound, match="depot"):
        services.stock_count_record(
            actor=scene.counter, depot_id=999_999, item_id=scene.gas.pk, units=1
        )
    with pytest.raises(NotFound, match="item"):
        services.stock_count_record(
            actor=scene.counter, depot_id=scene.depot.pk, item_id=999_999, units=1
        )
    assert snapshot() == before


def test_a_count_cannot_be_dated_before_the_newest_entry_nor_in_the_future(
    scene: SupplyScene,
) -> None:
    before = snapshot()
    for at in (T0 - timedelta(seconds=1), T0 + timedelta(hours=1)):
        with pytest.raises(InvalidInput, match="dated"):
            services.stock_count_record(
                actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=1, at=at
            )
    assert snapshot() == before
