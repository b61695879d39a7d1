"""The recipient services (consejo.supply.services.recipients), on SQLite and on PostgreSQL:
recipients registered and given a tier by their committee's secretary, routes from a depot to a
recipient of the same committee, and needs registered by the recipient's own secretary; each
refusal writes nothing.

The scene, the other committee and the checks after each test are in this package's conftest.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from consejo.bodies.models import Body
from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.supply import services
from consejo.supply.models import Recipient, Route
from consejo.supply.services import Place
from tests.builders import SupplyScene, make_member
from tests.supply.services.records import entries, member_of, snapshot
from tests.supply.services.steps import register

pytestmark = pytest.mark.django_db


# --- recipients and routes -------------------------------------------------------------------


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
