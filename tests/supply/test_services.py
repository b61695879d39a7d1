"""The write path of supply (consejo.supply.services), on SQLite and on PostgreSQL.

State is built through the services (tests.builders.build_supply): a supply committee of three
(its secretary ``abasto-1`` and two members), a control commission with one member
(``control``), the gas depot of Senkata, a clinic (tier 1, own body: the mine) and the barrio of
Senkata (tier 2, own body: the neighbourhood, whose secretary is ``junta``). The clock is moved
with ``time_machine``, from 9 June 2005.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from consejo.bodies import services as body_services
from consejo.bodies.models import Body, Member, Membership
from consejo.core import allocation as solver
from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.core.ledger import json_digest
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.supply import services
from consejo.supply.models import (
    Depot,
    Item,
    Need,
    Plan,
    PlanStatus,
    PlanVote,
    Recipient,
    Route,
    StockCount,
)
from consejo.supply.selectors import committee_problem
from consejo.supply.services import Place
from tests.builders import (
    SupplyScene,
    build_supply,
    make_member,
    make_secretary,
    propose_from_new_figures,
)
from tests.conftest import CLOCK_START

pytestmark = pytest.mark.django_db

T0 = CLOCK_START


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def scene(operator: Any, clock: Callable[[timedelta], datetime]) -> SupplyScene:
    return build_supply(actor=operator)


@pytest.fixture
def other_committee(operator: Any, scene: SupplyScene) -> Body:
    """Another supply committee of the same council, with its own secretary ``otro-sec``."""
    committee = body_services.body_create(
        actor=operator,
        name="Comité de Abastecimiento de Ventilla",
        slug="abastecimiento-ventilla",
        kind="committee",
        parent_id=scene.federation.council.pk,
    )
    make_secretary(actor=operator, body=committee, username="otro-sec", name="Otra Secretaria")
    return committee


def member_of(user: Any) -> Member:
    return Member.objects.get(user=user)


def entries(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(payload)
        for payload in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def snapshot() -> tuple[object, ...]:
    """Every row a supply service writes: a refused action changes none of them."""
    return (
        LedgerEntry.objects.count(),
        sorted(Item.objects.values_list("slug", "name", "unit")),
        sorted(Depot.objects.values_list("slug", "committee_id", "commission_id")),
        sorted(StockCount.objects.values_list("id", "units")),
        sorted(Recipient.objects.values_list("slug", "tier", "households")),
        sorted(Route.objects.values_list("depot_id", "recipient_id", "cost")),
        sorted(Need.objects.values_list("id", "units")),
        sorted(Plan.objects.values_list("id", "status", "decided_at")),
        sorted(PlanVote.objects.values_list("plan_id", "member_id", "choice")),
    )


def canonical_sha256(value: object) -> str:
    """SHA-256 of RFC 8785 JSON, for values of strings, integers, lists and objects only."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def end_membership(operator: Any, user: Any, body: Body) -> None:
    membership = Membership.objects.get(member__user=user, body=body, end__isnull=True)
    body_services.membership_end(actor=operator, membership_id=membership.pk)


def appoint_secretary(operator: Any, user: Any, body: Body) -> None:
    """Give ``body`` another secretary, so that its only one may leave."""
    membership = Membership.objects.get(member__user=user, body=body, end__isnull=True)
    body_services.secretary_appoint_provisional(
        actor=operator, membership_id=membership.pk, reason="the secretary is leaving"
    )


@pytest.fixture(autouse=True)
def _ledger_verifies_after_each_test(db: None) -> Iterator[None]:
    yield
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


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


# --- recipients and routes -------------------------------------------------------------------


def register(actor: Any, scene: SupplyScene, **fields: Any) -> Recipient:
    values: dict[str, Any] = {
        "committee": scene.committee,
        "body": scene.federation.neighborhood,
        "slug": "comedor-senkata",
        "name": "Comedor de Senkata",
        "kind": "kitchen",
        "tier": 2,
    }
    values.update(fields)
    committee, body = values.pop("committee"), values.pop("body")
    return services.recipient_register(
        actor=actor, committee_id=committee.pk, body_id=body.pk, **values
    )


def test_the_committees_secretary_registers_a_recipient(scene: SupplyScene) -> None:
    kitchen = register(
        scene.members[0], scene, households=0, location=Place(Decimal("-16.5"), Decimal("-68.2"))
    )
    assert (kitchen.tier, kitchen.households, kitchen.body) == (
        2,
        0,
        scene.federation.neighborhood,
    )
    assert entries("recipient.registered")[-1] == {
        "recipient": "comedor-senkata",
        "id": kitchen.pk,
        "name": "Comedor de Senkata",
        "kind": "kitchen",
        "body": "senkata",
        "committee": "abastecimiento",
        "tier": 2,
        "households": 0,
        "latitude": "-16.5",
        "longitude": "-68.2",
        "by": scene.members[0].pk,
    }


@pytest.mark.parametrize("who", ["committee member", "junta", "commission member", "outsider"])
def test_only_the_committees_secretary_or_an_operator_registers_recipients(
    scene: SupplyScene, outsider: Any, who: str
) -> None:
    actor = {
        "committee member": scene.members[2],
        "junta": scene.junta,  # the recipient's own body's secretary registers needs, not it
        "commission member": scene.counter,
        "outsider": outsider,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        register(actor, scene)
    assert snapshot() == before


@pytest.mark.parametrize(
    "fields",
    [
        {"tier": 0},
        {"tier": 1001},
        {"tier": -1},
        {"tier": True},
        {"tier": 1.0},
        {"tier": "1"},
        {"kind": "army"},
        {"households": -1},
        {"households": 1_000_000_001},
        {"households": True},
        {"households": 2.5},
        {"households": "40"},
        {"slug": "Comedor"},
        {"name": " "},
        {"location": Place(Decimal("91"), Decimal("0"))},
    ],
)
def test_recipients_with_bad_fields_are_refused(
    operator: Any, scene: SupplyScene, fields: dict[str, Any]
) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput):
        register(operator, scene, **fields)
    assert snapshot() == before


@pytest.mark.parametrize("tier", [1, 1000])
def test_tiers_run_from_1_to_1000(operator: Any, scene: SupplyScene, tier: int) -> None:
    assert register(operator, scene, tier=tier).tier == tier


def test_recipients_are_served_by_a_committee(operator: Any, scene: SupplyScene) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="not a committee"):
        register(operator, scene, committee=scene.federation.council)
    assert snapshot() == before


def test_a_second_recipient_with_the_same_slug_is_a_conflict(
    operator: Any, scene: SupplyScene
) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="barrio-senkata"):
        register(operator, scene, slug="barrio-senkata")
    assert snapshot() == before


def test_the_committees_secretary_sets_a_recipients_tier(scene: SupplyScene) -> None:
    barrio = services.recipient_tier_set(
        actor=scene.members[0], recipient_id=scene.barrio.pk, tier=1
    )
    assert Recipient.objects.get(pk=barrio.pk).tier == 1
    assert entries("recipient.tier_changed")[-1] == {
        "recipient": "barrio-senkata",
        "tier": 1,
        "by": scene.members[0].pk,
    }
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.recipient_tier_set(actor=scene.members[1], recipient_id=scene.barrio.pk, tier=3)
    with pytest.raises(PermissionDenied):
        services.recipient_tier_set(actor=scene.junta, recipient_id=scene.barrio.pk, tier=3)
    with pytest.raises(InvalidInput, match="tier"):
        services.recipient_tier_set(actor=scene.members[0], recipient_id=scene.barrio.pk, tier=0)
    with pytest.raises(NotFound):
        services.recipient_tier_set(actor=scene.members[0], recipient_id=999_999, tier=3)
    assert snapshot() == before


def test_setting_a_route_again_changes_its_cost(scene: SupplyScene) -> None:
    route = services.route_set(
        actor=scene.members[0], depot_id=scene.depot.pk, recipient_id=scene.barrio.pk, cost=7
    )
    assert Route.objects.filter(depot=scene.depot, recipient=scene.barrio).count() == 1
    assert Route.objects.get(pk=route.pk).cost == 7
    assert entries("route.set")[-1] == {
        "depot": "planta-senkata",
        "recipient": "barrio-senkata",
        "cost": 7,
        "by": scene.members[0].pk,
    }


@pytest.mark.parametrize("cost", [-1, 1_000_001, True, False, 1.0, "3", None])
def test_costs_are_whole_numbers_from_0_to_a_million(scene: SupplyScene, cost: Any) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="cost"):
        services.route_set(
            actor=scene.members[0],
            depot_id=scene.depot.pk,
            recipient_id=scene.barrio.pk,
            cost=cost,
        )
    assert snapshot() == before


@pytest.mark.parametrize("cost", [0, 1_000_000])
def test_costs_of_0_and_of_a_million_are_set(scene: SupplyScene, cost: int) -> None:
    services.route_set(
        actor=scene.members[0], depot_id=scene.depot.pk, recipient_id=scene.clinic.pk, cost=cost
    )
    assert Route.objects.get(depot=scene.depot, recipient=scene.clinic).cost == cost


@pytest.mark.parametrize("who", ["committee member", "junta", "commission member"])
def test_only_the_committees_secretary_or_an_operator_sets_routes(
    scene: SupplyScene, who: str
) -> None:
    actor = {
        "committee member": scene.members[1],
        "junta": scene.junta,
        "commission member": scene.counter,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.route_set(
            actor=actor, depot_id=scene.depot.pk, recipient_id=scene.barrio.pk, cost=1
        )
    assert snapshot() == before


def test_a_route_between_different_committees_is_refused(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    elsewhere = register(operator, scene, committee=other_committee)
    before = snapshot()
    with pytest.raises(InvalidInput, match="different committees"):
        services.route_set(
            actor=operator, depot_id=scene.depot.pk, recipient_id=elsewhere.pk, cost=1
        )
    assert snapshot() == before


def test_a_stranger_learns_nothing_of_which_committee_serves_whom(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    # The other committee's secretary may set no route on this depot: refused for that, before
    # being told that the recipient is served elsewhere.
    elsewhere = register(operator, scene, committee=other_committee)
    stranger = get_user_model().objects.get(username="otro-sec")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.route_set(
            actor=stranger, depot_id=scene.depot.pk, recipient_id=elsewhere.pk, cost=1
        )
    assert snapshot() == before


def test_a_route_to_an_unknown_depot_or_recipient_is_not_found(
    operator: Any, scene: SupplyScene
) -> None:
    before = snapshot()
    with pytest.raises(NotFound, match="depot"):
        services.route_set(actor=operator, depot_id=999_999, recipient_id=scene.barrio.pk, cost=1)
    with pytest.raises(NotFound, match="recipient"):
        services.route_set(actor=operator, depot_id=scene.depot.pk, recipient_id=999_999, cost=1)
    assert snapshot() == before


# --- needs -----------------------------------------------------------------------------------


def test_the_recipients_own_secretary_registers_its_needs(scene: SupplyScene) -> None:
    need = services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=420
    )
    assert (need.units, need.registered_by) == (420, member_of(scene.junta))
    assert entries("need.registered")[-1] == {
        "need": need.pk,
        "recipient": "barrio-senkata",
        "item": "gas-10kg",
        "units": 420,
        "by": scene.junta.pk,
    }


@pytest.mark.parametrize(
    ("who", "recipient"),
    [
        ("committee secretary", "barrio"),  # the committee serves it but does not speak for it
        ("committee member", "barrio"),
        ("junta", "clinic"),  # the neighbourhood does not speak for the mine's clinic
        ("neighbour", "barrio"),  # a plain member of the recipient's own body
        ("outsider", "barrio"),
    ],
)
def test_nobody_but_the_recipients_own_secretary_registers_its_needs(
    operator: Any, scene: SupplyScene, outsider: Any, who: str, recipient: str
) -> None:
    actor = {
        "committee secretary": scene.members[0],
        "committee member": scene.members[1],
        "junta": scene.junta,
        "neighbour": make_member(actor=operator, body=scene.federation.neighborhood),
        "outsider": outsider,
    }[who]
    target = {"barrio": scene.barrio, "clinic": scene.clinic}[recipient]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.need_register(actor=actor, recipient_id=target.pk, item_id=scene.gas.pk, units=5)
    assert snapshot() == before


@pytest.mark.parametrize("units", [-1, 1_000_000_001, True, 3.0, "3"])
def test_needs_are_whole_numbers_from_0_to_a_billion(scene: SupplyScene, units: Any) -> None:
    before = snapshot()
    with pytest.raises(InvalidInput, match="whole number"):
        services.need_register(
            actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=units
        )
    assert snapshot() == before


def test_a_need_of_an_unknown_recipient_or_item_is_not_found(scene: SupplyScene) -> None:
    before = snapshot()
    with pytest.raises(NotFound, match="recipient"):
        services.need_register(
            actor=scene.junta, recipient_id=999_999, item_id=scene.gas.pk, units=1
        )
    with pytest.raises(NotFound, match="item"):
        services.need_register(
            actor=scene.junta, recipient_id=scene.barrio.pk, item_id=999_999, units=1
        )
    assert snapshot() == before


# --- the solver's input ----------------------------------------------------------------------

SCENE_PROBLEM = {
    "items": [{"id": "gas-10kg", "unit": "garrafa"}],
    "depots": [{"id": "planta-senkata", "stock": {"gas-10kg": 100}}],
    "recipients": [
        {
            "id": "barrio-senkata",
            "tier": 2,
            "need": {"gas-10kg": 400},
            "routes": [{"depot": "planta-senkata", "cost": 2}],
        },
        {
            "id": "posta-senkata",
            "tier": 1,
            "need": {"gas-10kg": 30},
            "routes": [{"depot": "planta-senkata", "cost": 1}],
        },
    ],
}


def test_the_problem_holds_the_committees_figures_sorted_by_short_name(
    scene: SupplyScene,
) -> None:
    assert committee_problem(scene.committee) == SCENE_PROBLEM


def test_the_newest_count_and_the_newest_need_are_the_figures(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=250
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=380
    )
    clock(timedelta(hours=2))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=60
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=350
    )
    # Two more at the very same instant: the one recorded last is the figure.
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=55
    )
    problem = committee_problem(scene.committee)
    assert problem["depots"] == [{"id": "planta-senkata", "stock": {"gas-10kg": 55}}]
    assert problem["recipients"][0]["need"] == {"gas-10kg": 350}
    assert StockCount.objects.filter(depot=scene.depot).count() == 4  # older counts stay


def test_a_need_brought_to_0_leaves_the_problem_as_if_never_registered(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=scene.gas.pk, units=0
    )
    problem = committee_problem(scene.committee)
    [barrio] = [r for r in problem["recipients"] if r["id"] == "barrio-senkata"]
    assert barrio["need"] == {}
    # The same figures as a barrio that never registered a need of gas.
    never = json.loads(json.dumps(SCENE_PROBLEM))
    never["recipients"][0]["need"] = {}
    assert problem == never
    assert json_digest(problem) == json_digest(never)


def test_items_with_no_stock_and_no_need_are_left_out(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    flour = services.item_create(actor=operator, slug="harina", name="Harina", unit="quintal")
    services.item_create(actor=operator, slug="arroz", name="Arroz", unit="kg")  # never counted
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=flour.pk, units=0
    )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=flour.pk, units=0
    )
    assert committee_problem(scene.committee) == SCENE_PROBLEM
    # Stock without a need is still input (it shows in the remainders).
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=flour.pk, units=8
    )
    problem = committee_problem(scene.committee)
    assert [i["id"] for i in problem["items"]] == ["gas-10kg", "harina"]
    assert problem["depots"][0]["stock"] == {"gas-10kg": 100, "harina": 8}
    assert problem["recipients"][0]["need"] == {"gas-10kg": 400}


def test_the_order_of_registration_does_not_change_the_problem(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    # A depot and a recipient whose slugs sort first, registered last.
    ventilla = services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Zz Almacén",
    )
    services.route_set(actor=operator, depot_id=ventilla.pk, recipient_id=scene.clinic.pk, cost=3)
    kitchen = register(operator, scene, slug="a-comedor", name="Zz Comedor", tier=1)
    services.route_set(actor=operator, depot_id=ventilla.pk, recipient_id=kitchen.pk, cost=1)
    services.route_set(actor=operator, depot_id=scene.depot.pk, recipient_id=kitchen.pk, cost=1)
    # Another committee's figures never enter this committee's problem.
    register(operator, scene, committee=other_committee, slug="0-otro")
    problem = committee_problem(scene.committee)
    assert [d["id"] for d in problem["depots"]] == ["almacen-ventilla", "planta-senkata"]
    assert [r["id"] for r in problem["recipients"]] == [
        "a-comedor",
        "barrio-senkata",
        "posta-senkata",
    ]
    assert problem["recipients"][2]["routes"] == [
        {"depot": "almacen-ventilla", "cost": 3},
        {"depot": "planta-senkata", "cost": 1},
    ]
    assert committee_problem(scene.committee) == problem


def test_the_digest_is_the_sha256_of_canonical_json() -> None:
    assert json_digest(SCENE_PROBLEM) == canonical_sha256(SCENE_PROBLEM)
    reordered = dict(reversed(list(SCENE_PROBLEM.items())))
    assert json_digest(reordered) == json_digest(SCENE_PROBLEM)
    assert json_digest({"a": 1}) != json_digest({"a": 2})


# --- proposing a plan ------------------------------------------------------------------------


def test_a_proposed_plan_is_the_solvers_answer_to_the_stored_input(scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.problem == SCENE_PROBLEM
    assert stored.status == PlanStatus.PROPOSED
    assert stored.decided_at is None
    # Re-run the solver on the stored input: the stored output is its answer.
    again = solver.to_json(solver.allocate(solver.read_json(json.dumps(stored.problem))))
    assert stored.result == json.loads(json.dumps(again))
    # The clinic (tier 1) is filled first; the barrio gets the rest.
    delivered = {(d["recipient"], d["units"]) for d in stored.result["deliveries"]}
    assert delivered == {("posta-senkata", 30), ("barrio-senkata", 70)}
    assert stored.total_cost == stored.result["total_cost"] == 30 * 1 + 70 * 2


def test_the_solver_gets_from_the_database_the_same_problem_as_from_the_frozen_input(
    scene: SupplyScene,
) -> None:
    plan = Plan.objects.get(pk=propose(scene).pk)
    built = solver.problem_of(committee_problem(scene.committee))
    # The same Problem as the frozen input read back from its JSON, and the same digest as ever.
    assert built == solver.read_json(json.dumps(plan.problem))
    assert plan.problem_digest == json_digest(plan.problem)
    assert plan.problem_digest == (
        "415acaff67ad2371a8b30e8be53ab56042f7a51c1283e021366e46bbf4b3b7f2"
    )
    assert solver.to_json(solver.allocate(built)) == plan.result


def test_a_proposals_digests_match_its_input_and_output_and_enter_the_ledger(
    scene: SupplyScene,
) -> None:
    plan = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.problem_digest == json_digest(stored.problem)
    assert stored.problem_digest == canonical_sha256(stored.problem)
    assert stored.result_digest == json_digest(stored.result)
    entry = LedgerEntry.objects.get(kind="plan.proposed")
    assert stored.ledger_seq == entry.seq
    assert json.loads(entry.payload) == {
        "plan": plan.pk,
        "committee": "abastecimiento",
        "problem_digest": stored.problem_digest,
        "result_digest": stored.result_digest,
        "total_cost": 170,
        "by": scene.members[0].pk,
    }
    assert stored.proposed_by == scene.members[0]
    assert stored.proposed_at == T0


def test_the_same_figures_give_the_same_plan(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    for member in scene.members[:2]:
        services.plan_vote(actor=member, plan_id=first.pk, choice="no")
    clock(timedelta(minutes=30))
    second = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert (first.problem, first.result) == (second.problem, second.result)
    assert (first.problem_digest, first.result_digest) == (
        second.problem_digest,
        second.result_digest,
    )
    clock(timedelta(minutes=40))
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=99
    )
    third = services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert third.problem_digest != first.problem_digest
    assert third.result_digest != first.result_digest


def test_a_proposal_identical_to_one_still_open_is_refused_and_records_nothing(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    clock(timedelta(minutes=5))
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict, match=rf"plan {first.pk}, computed from these same figures"):
        services.plan_propose(actor=scene.members[1], committee_id=scene.committee.pk)
    assert Plan.objects.count() == 1
    assert LedgerEntry.objects.count() == before
    changed = propose_from_new_figures(scene, scene.members[1], units=99)
    assert changed.problem_digest != first.problem_digest


def test_an_operator_may_propose_a_plan(operator: Any, scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=operator, committee_id=scene.committee.pk)
    assert plan.proposed_by == operator


@pytest.mark.parametrize("who", ["commission member", "junta", "outsider", "former member"])
def test_only_the_committees_members_propose_plans(
    operator: Any,
    scene: SupplyScene,
    outsider: Any,
    clock: Callable[[timedelta], datetime],
    who: str,
) -> None:
    if who == "former member":
        clock(timedelta(hours=1))
        end_membership(operator, scene.members[2], scene.committee)
    actor = {
        "commission member": scene.counter,
        "junta": scene.junta,
        "outsider": outsider,
        "former member": scene.members[2],
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.plan_propose(actor=actor, committee_id=scene.committee.pk)
    assert snapshot() == before


def test_a_committee_without_depots_or_recipients_has_nothing_to_plan(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    before = snapshot()
    with pytest.raises(Conflict, match="no depots or no recipients"):
        services.plan_propose(actor=operator, committee_id=other_committee.pk)
    with pytest.raises(InvalidInput, match="not a committee"):
        services.plan_propose(actor=operator, committee_id=scene.federation.council.pk)
    assert snapshot() == before


# --- voting on a plan ------------------------------------------------------------------------


def propose(scene: SupplyScene) -> Plan:
    return services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)


def vote(user: Any, plan: Plan, choice: str) -> Plan:
    return services.plan_vote(actor=user, plan_id=plan.pk, choice=choice)


def status(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


def test_two_yes_of_three_approve_the_plan(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=5))
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.PROPOSED
    decided = clock(timedelta(minutes=9))
    approved = vote(scene.members[2], plan, "yes")
    stored = Plan.objects.get(pk=plan.pk)
    assert approved.status == stored.status == PlanStatus.APPROVED
    assert stored.decided_at == decided
    assert (stored.problem, stored.result) == (plan.problem, plan.result)  # frozen as proposed
    votes = entries("plan.voted")
    assert [(v["member"], v["choice"]) for v in votes] == [
        (member_of(scene.members[1]).pk, "yes"),
        (member_of(scene.members[2]).pk, "yes"),
    ]
    assert entries("plan.approved") == [
        {
            "plan": plan.pk,
            "committee": "abastecimiento",
            "yes": 2,
            "no": 0,
            "abstain": 0,
            "members": 3,
            "problem_digest": plan.problem_digest,
            "result_digest": plan.result_digest,
            "superseded": [],
            "by": scene.members[2].pk,
        }
    ]


def test_a_member_votes_once(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    before = snapshot()
    for choice in ("yes", "no"):
        with pytest.raises(Conflict, match="already voted"):
            vote(scene.members[0], plan, choice)
    assert snapshot() == before
    assert status(plan) == PlanStatus.PROPOSED


@pytest.mark.parametrize("who", ["operator", "commission member", "junta", "outsider"])
def test_only_the_committees_members_vote(
    operator: Any, scene: SupplyScene, outsider: Any, who: str
) -> None:
    plan = propose(scene)
    actor = {
        "operator": operator,
        "commission member": scene.counter,
        "junta": scene.junta,
        "outsider": outsider,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        vote(actor, plan, "yes")
    assert snapshot() == before


def test_a_vote_is_yes_no_or_abstain_on_a_plan_that_exists(scene: SupplyScene) -> None:
    plan = propose(scene)
    before = snapshot()
    for choice in ("si", "YES", ""):
        with pytest.raises(InvalidInput, match="yes, no or abstain"):
            vote(scene.members[0], plan, choice)
    with pytest.raises(NotFound, match="plan"):
        services.plan_vote(actor=scene.members[0], plan_id=999_999, choice="yes")
    assert snapshot() == before


def test_two_no_of_three_reject_the_plan(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "no")
    assert status(plan) == PlanStatus.PROPOSED
    assert vote(scene.members[1], plan, "no").status == PlanStatus.REJECTED
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.decided_at == T0
    [rejected] = entries("plan.rejected")
    assert (rejected["yes"], rejected["no"], rejected["members"]) == (0, 2, 3)
    assert rejected["superseded"] == []


def test_abstentions_count_against_carrying(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "abstain")
    assert status(plan) == PlanStatus.PROPOSED  # the third could still carry it
    assert vote(scene.members[2], plan, "abstain").status == PlanStatus.REJECTED
    [rejected] = entries("plan.rejected")
    assert (rejected["yes"], rejected["no"], rejected["abstain"]) == (1, 0, 2)


@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_a_decided_plan_takes_no_more_votes(scene: SupplyScene, outcome: str) -> None:
    plan = propose(scene)
    choice = "yes" if outcome == "approved" else "no"
    vote(scene.members[0], plan, choice)
    vote(scene.members[1], plan, choice)
    assert status(plan) == outcome
    before = snapshot()
    with pytest.raises(Conflict, match="no longer open"):
        vote(scene.members[2], plan, "yes")
    assert snapshot() == before


def test_an_approval_supersedes_the_plan_in_force_and_every_open_proposal(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = propose(scene)
    vote(scene.members[0], first, "yes")
    vote(scene.members[1], first, "yes")
    clock(timedelta(hours=1))
    rejected = propose(scene)
    vote(scene.members[0], rejected, "no")
    vote(scene.members[1], rejected, "no")
    open_one = propose(scene)
    vote(scene.members[2], open_one, "yes")
    newest = propose_from_new_figures(scene, scene.members[0], units=120)
    decided = clock(timedelta(hours=2))
    vote(scene.members[0], newest, "yes")
    vote(scene.members[2], newest, "yes")
    plans = {p.pk: p for p in Plan.objects.filter(committee=scene.committee)}
    assert plans[newest.pk].status == PlanStatus.APPROVED
    assert plans[first.pk].status == PlanStatus.SUPERSEDED
    assert plans[open_one.pk].status == PlanStatus.SUPERSEDED
    assert plans[rejected.pk].status == PlanStatus.REJECTED  # a decision stays as it was
    assert plans[rejected.pk].decided_at == T0 + timedelta(hours=1)
    assert plans[first.pk].decided_at == plans[open_one.pk].decided_at == decided
    assert Plan.objects.filter(committee=scene.committee, status="approved").count() == 1
    assert sorted(entries("plan.approved")[-1]["superseded"]) == sorted([first.pk, open_one.pk])
    with pytest.raises(Conflict, match="no longer open"):
        vote(scene.members[1], open_one, "yes")


def test_another_committees_plans_are_not_superseded(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    depot = services.depot_create(
        actor=operator,
        committee_id=other_committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Almacén de Ventilla",
    )
    kitchen = register(operator, scene, committee=other_committee)
    services.route_set(actor=operator, depot_id=depot.pk, recipient_id=kitchen.pk, cost=1)
    secretary = Member.objects.get(name="Otra Secretaria").user
    theirs = services.plan_propose(actor=secretary, committee_id=other_committee.pk)
    vote(secretary, theirs, "yes")  # a committee of one
    assert status(theirs) == PlanStatus.APPROVED
    ours = propose(scene)
    vote(scene.members[0], ours, "yes")
    vote(scene.members[1], ours, "yes")
    assert (status(theirs), status(ours)) == (PlanStatus.APPROVED, PlanStatus.APPROVED)


def test_a_member_who_joined_after_the_proposal_votes_and_counts(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=10))
    newcomer = make_member(actor=operator, body=scene.committee, username="abasto-4")
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 2 of 4 is not more than half
    assert vote(newcomer, plan, "yes").status == PlanStatus.APPROVED
    assert entries("plan.approved")[-1]["members"] == 4


def test_a_member_who_left_votes_no_more_and_no_longer_counts(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=10))
    end_membership(operator, scene.members[2], scene.committee)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        vote(scene.members[2], plan, "yes")
    assert snapshot() == before
    vote(scene.members[0], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 1 of 2 is not more than half
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.APPROVED
    assert entries("plan.approved")[-1]["members"] == 2


def test_the_vote_of_someone_who_has_since_left_does_not_decide(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    # The rule is a majority of the members at the instant of the decision: a yes cast by a
    # member who has left since is neither a member's vote nor a member.
    plan = propose(scene)
    vote(scene.members[2], plan, "yes")
    clock(timedelta(minutes=10))
    end_membership(operator, scene.members[2], scene.committee)
    vote(scene.members[0], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 1 yes of the 2 members is not a majority
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.APPROVED
    approved = entries("plan.approved")[-1]
    assert (approved["yes"], approved["members"]) == (2, 2)


def test_a_plan_stays_decidable_when_those_who_voted_have_left(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "no")
    clock(timedelta(minutes=10))
    appoint_secretary(operator, scene.members[2], scene.committee)
    end_membership(operator, scene.members[0], scene.committee)
    end_membership(operator, scene.members[1], scene.committee)
    # Two votes on record, one member left: the last member can still decide.
    assert vote(scene.members[2], plan, "yes").status == PlanStatus.APPROVED
    approved = entries("plan.approved")[-1]
    assert (approved["yes"], approved["no"], approved["members"]) == (1, 0, 1)


def test_an_anonymous_visitor_and_a_deactivated_login_act_on_nothing(scene: SupplyScene) -> None:
    from django.contrib.auth.models import AnonymousUser

    plan = propose(scene)
    secretary, member = scene.members[0], scene.members[1]
    for user in (secretary, member, scene.counter):
        user.is_active = False
        user.save(update_fields=["is_active"])
    before = snapshot()
    for actor in (AnonymousUser(), secretary):
        with pytest.raises(PermissionDenied):
            services.item_create(actor=actor, slug="harina", name="Harina", unit="quintal")
    for actor in (AnonymousUser(), scene.counter):
        with pytest.raises(PermissionDenied):
            services.stock_count_record(
                actor=actor, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=1
            )
    for actor in (AnonymousUser(), member):
        with pytest.raises(PermissionDenied):
            vote(actor, plan, "yes")
        with pytest.raises(PermissionDenied):
            services.plan_propose(actor=actor, committee_id=scene.committee.pk)
    assert snapshot() == before


def test_a_plan_over_two_depots_and_two_items_is_the_solvers_answer(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    clock(timedelta(hours=1))
    flour = services.item_create(actor=operator, slug="harina", name="Harina", unit="quintal")
    ventilla = services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Almacén de Ventilla",
    )
    kitchen = register(operator, scene, tier=1)
    for depot, recipient, cost in (
        (ventilla, kitchen, 1),
        (ventilla, scene.barrio, 4),
        (scene.depot, kitchen, 3),
    ):
        services.route_set(actor=operator, depot_id=depot.pk, recipient_id=recipient.pk, cost=cost)
    for depot, item, units in ((ventilla, flour, 25), (ventilla, scene.gas, 40)):
        services.stock_count_record(
            actor=scene.counter, depot_id=depot.pk, item_id=item.pk, units=units
        )
    for recipient, item, units in ((kitchen, flour, 30), (kitchen, scene.gas, 50)):
        services.need_register(
            actor=operator, recipient_id=recipient.pk, item_id=item.pk, units=units
        )
    services.need_register(
        actor=scene.junta, recipient_id=scene.barrio.pk, item_id=flour.pk, units=10
    )
    plan = Plan.objects.get(pk=propose(scene).pk)
    again = solver.to_json(solver.allocate(solver.read_json(json.dumps(plan.problem))))
    assert plan.result == json.loads(json.dumps(again))
    assert plan.result_digest == json_digest(plan.result)
    stock = {(d["id"], i): n for d in plan.problem["depots"] for i, n in d["stock"].items()}
    need = {(r["id"], i): n for r in plan.problem["recipients"] for i, n in r["need"].items()}
    shipped: dict[tuple[str, str], int] = {}
    received: dict[tuple[str, str], int] = {}
    for s in plan.result["shipments"]:
        shipped[s["depot"], s["item"]] = shipped.get((s["depot"], s["item"]), 0) + s["units"]
        key = (s["recipient"], s["item"])
        received[key] = received.get(key, 0) + s["units"]
    assert all(units <= stock[key] for key, units in shipped.items())
    assert all(units <= need[key] for key, units in received.items())
    # Tier 1 first: the clinic and the kitchen are filled before the barrio gets any gas.
    assert received[("posta-senkata", "gas-10kg")] == 30
    assert received[("comedor-senkata", "gas-10kg")] == 50
    assert received[("barrio-senkata", "gas-10kg")] == 100 + 40 - 30 - 50
    assert received[("comedor-senkata", "harina")] == 25  # all the flour, to the higher tier
    assert ("barrio-senkata", "harina") not in received
