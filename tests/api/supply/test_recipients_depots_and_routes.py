"""The supply API's registrations by a committee's secretary: recipients and their tiers, depots
with their control commission, and routes set or changed with PUT or POST; each refusal, in the
error shape, writes nothing.

The scene (tests.builders.build_supply, in this package's conftest.py) has a supply committee
of three, a control commission with its counter, the gas depot of Senkata, a clinic and the
barrio of Senkata.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.ledger.models import LedgerEntry
from consejo.supply.models import Depot, Recipient, Route
from tests.api.supply.calls import get, post, refused, send, token_for, writes
from tests.builders import SupplyScene

pytestmark = pytest.mark.django_db


# --- recipients -------------------------------------------------------------------------------


def kitchen(**changes: object) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "slug": "olla-comun-senkata",
        "name": "Olla común de Senkata",
        "kind": "kitchen",
        "body": "senkata",
        "tier": 2,
        "latitude": -16.5683,
        "longitude": -68.1852,
    }
    return payload | changes


def test_the_committees_secretary_registers_a_recipient(client: Client, scene: SupplyScene) -> None:
    response = post(
        client, "/committees/abastecimiento/recipients", kitchen(), token_for(scene.members[0])
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["slug"], made["kind"], made["tier"], made["body"]) == (
        "olla-comun-senkata",
        "kitchen",
        2,
        "senkata",
    )
    assert (made["latitude"], made["longitude"]) == ("-16.568300", "-68.185200")
    assert (made["needs"], made["routes"], made["households"]) == ([], [], None)
    listed = get(client, "/committees/abastecimiento").json()["recipients"]
    assert "olla-comun-senkata" in [r["slug"] for r in listed]


@pytest.mark.parametrize(
    ("changes", "status", "code", "says"),
    [
        pytest.param({"slug": "posta-senkata"}, 409, "conflict", "exists"),
        pytest.param({"kind": "church"}, 400, "invalid", "unknown kind"),
        pytest.param({"tier": 0}, 400, "invalid", "tier"),
        pytest.param({"tier": 1001}, 400, "invalid", "tier"),
        pytest.param({"tier": "1"}, 422, "invalid", ""),
        pytest.param({"households": -3}, 400, "invalid", "households"),
        pytest.param({"body": "atlantis"}, 404, "not_found", "atlantis"),
        pytest.param({"latitude": 100}, 400, "invalid", "latitude"),
        pytest.param({"longitude": None}, 400, "invalid", "both"),
        pytest.param({"latitude": True}, 422, "invalid", "latitude"),
        pytest.param({"latitude": "-16.5"}, 422, "invalid", "latitude"),
        pytest.param({"latitude": "NaN"}, 422, "invalid", "latitude"),
        pytest.param({"name": "x\u202ey"}, 400, "invalid", "control"),
        pytest.param({"housholds": 3}, 422, "invalid", "housholds"),
    ],
)
def test_a_bad_recipient_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    changes: dict[str, object],
    status: int,
    code: str,
    says: str,
) -> None:
    before = writes()
    response = post(
        client,
        "/committees/abastecimiento/recipients",
        kitchen(**changes),
        token_for(scene.members[0]),
    )
    refused(response, status, code, says)
    assert writes() == before


def test_coordinates_with_more_than_six_decimals_are_rounded_as_the_schema_admits_them(
    client: Client, scene: SupplyScene
) -> None:
    response = post(
        client,
        "/committees/abastecimiento/recipients",
        kitchen(latitude=-16.12345678, longitude=-68),
        token_for(scene.members[0]),
    )
    assert response.status_code == 201, response.content
    assert (response.json()["latitude"], response.json()["longitude"]) == (
        "-16.123457",
        "-68.000000",
    )


def test_a_recipient_is_registered_only_by_the_committees_secretary_in_a_committee(
    client: Client, scene: SupplyScene
) -> None:
    before = writes()
    refused(
        post(
            client, "/committees/abastecimiento/recipients", kitchen(), token_for(scene.members[1])
        ),
        403,
        "permission_denied",
        "register a recipient",
    )
    refused(
        post(client, "/committees/senkata/recipients", kitchen(), token_for(scene.members[0])),
        404,
        "not_found",
        "no committee called senkata",
    )
    assert writes() == before


def test_the_secretary_changes_a_recipients_tier(client: Client, scene: SupplyScene) -> None:
    token = token_for(scene.members[0])
    response = send(client, "put", "/recipients/barrio-senkata/tier", {"tier": 1}, token)
    assert response.status_code == 200, response.content
    changed = response.json()
    assert (changed["slug"], changed["tier"]) == ("barrio-senkata", 1)
    assert [(n["item"], n["units"]) for n in changed["needs"]] == [("gas-10kg", 400)]
    assert changed["routes"] == [
        {"depot": "planta-senkata", "recipient": "barrio-senkata", "cost": 2}
    ]
    assert LedgerEntry.objects.filter(kind="recipient.tier_changed").count() == 1


def test_a_tier_is_changed_only_by_the_secretary_and_within_range(
    client: Client, scene: SupplyScene
) -> None:
    before = writes()
    path = "/recipients/barrio-senkata/tier"
    refused(send(client, "put", path, {"tier": 1}), 401, "unauthenticated")
    for user in (scene.members[1], scene.junta):
        response = send(client, "put", path, {"tier": 1}, token_for(user))
        refused(response, 403, "permission_denied", "set a recipient's priority")
    secretary = token_for(scene.members[0])
    refused(send(client, "put", path, {"tier": 0}, secretary), 400, "invalid", "tier")
    refused(send(client, "put", path, {"tier": "1"}, secretary), 422, "invalid")
    refused(
        send(client, "put", "/recipients/ventilla/tier", {"tier": 1}, secretary), 404, "not_found"
    )
    assert writes() == before
    assert Recipient.objects.get(slug="barrio-senkata").tier == 2


# --- depots -----------------------------------------------------------------------------------


def depot(**changes: object) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "slug": "deposito-rio-seco",
        "name": "Depósito de Río Seco",
        "commission": "control-senkata",
        "place": "Río Seco",
        "latitude": -16.4897,
        "longitude": -68.2044,
    }
    return payload | changes


def test_the_committees_secretary_registers_a_depot(client: Client, scene: SupplyScene) -> None:
    response = post(
        client, "/committees/abastecimiento/depots", depot(), token_for(scene.members[0])
    )
    assert response.status_code == 201, response.content
    made = response.json()
    assert (made["slug"], made["commission"], made["stock"]) == (
        "deposito-rio-seco",
        "control-senkata",
        [],
    )
    assert (made["latitude"], made["longitude"]) == ("-16.489700", "-68.204400")
    listed = get(client, "/committees/abastecimiento").json()["depots"]
    assert [d["slug"] for d in listed] == ["deposito-rio-seco", "planta-senkata"]
    # Its commission counts it at once.
    count = {"item": "gas-10kg", "units": 40}
    response = post(client, "/depots/deposito-rio-seco/counts", count, token_for(scene.counter))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("changes", "status", "code", "says"),
    [
        pytest.param({"slug": "planta-senkata"}, 409, "conflict", "exists"),
        pytest.param({"slug": "Río"}, 400, "invalid", "short name"),
        pytest.param({"commission": "senkata"}, 404, "not_found", "no committee called"),
        pytest.param({"commission": "atlantis"}, 404, "not_found", "atlantis"),
        pytest.param({"latitude": None}, 400, "invalid", "both"),
        pytest.param({"longitude": 181}, 400, "invalid", "longitude"),
        pytest.param({"name": ""}, 400, "invalid", "empty"),
        pytest.param({"committee": "abastecimiento"}, 422, "invalid", "committee"),
    ],
)
def test_a_bad_depot_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    changes: dict[str, object],
    status: int,
    code: str,
    says: str,
) -> None:
    token = token_for(scene.members[0])
    before = writes()
    response = post(client, "/committees/abastecimiento/depots", depot(**changes), token)
    refused(response, status, code, says)
    assert writes() == before
    assert Depot.objects.count() == 1


def test_a_depot_is_registered_only_by_the_committees_secretary(
    client: Client, scene: SupplyScene
) -> None:
    refused(post(client, "/committees/abastecimiento/depots", depot()), 401, "unauthenticated")
    for user in (scene.members[1], scene.counter):
        response = post(client, "/committees/abastecimiento/depots", depot(), token_for(user))
        refused(response, 403, "permission_denied", "register a depot")
    assert Depot.objects.count() == 1


# --- routes -----------------------------------------------------------------------------------


def test_the_secretary_sets_and_changes_a_route_with_put_or_post(
    client: Client, scene: SupplyScene
) -> None:
    token = token_for(scene.members[0])
    route = {"depot": "planta-senkata", "recipient": "barrio-senkata", "cost": 7}
    response = send(client, "put", "/routes", route, token)
    assert response.status_code == 200, response.content
    assert response.json() == route
    response = post(client, "/routes", route | {"cost": 3}, token)
    assert response.status_code == 200, response.content
    barrio = get(client, "/committees/abastecimiento").json()["recipients"][1]
    assert barrio["routes"] == [route | {"cost": 3}]
    assert Route.objects.count() == 2  # changed, not added


@pytest.mark.parametrize(
    ("changes", "status", "code", "says"),
    [
        pytest.param({"cost": -1}, 400, "invalid", "cost"),
        pytest.param({"cost": 10**6 + 1}, 400, "invalid", "cost"),
        pytest.param({"cost": 2.5}, 422, "invalid", ""),
        pytest.param({"depot": "nowhere"}, 404, "not_found", "no depot"),
        pytest.param({"recipient": "ventilla"}, 404, "not_found", "no recipient"),
    ],
)
def test_a_bad_route_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    changes: dict[str, object],
    status: int,
    code: str,
    says: str,
) -> None:
    route = {"depot": "planta-senkata", "recipient": "barrio-senkata", "cost": 7} | changes
    before = writes()
    refused(send(client, "put", "/routes", route, token_for(scene.members[0])), status, code, says)
    assert writes() == before


def test_a_route_is_set_only_by_the_committees_secretary(
    client: Client, scene: SupplyScene
) -> None:
    route = {"depot": "planta-senkata", "recipient": "barrio-senkata", "cost": 7}
    refused(send(client, "put", "/routes", route), 401, "unauthenticated")
    refused(
        send(client, "put", "/routes", route, token_for(scene.members[1])),
        403,
        "permission_denied",
        "set a route",
    )
    assert Route.objects.get(recipient=scene.barrio).cost == 2
