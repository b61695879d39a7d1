"""The supply API under /api/v1/supply/: items, a committee's figures, stock counts, needs,
recipients, routes, and plans proposed and approved by a recorded vote; who may read names, who
may write, and the one error shape for everything refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from consejo.bodies.services import api_token_issue
from consejo.common import ratelimit
from consejo.core.ledger import json_digest
from consejo.ledger.models import LedgerEntry
from consejo.supply import services
from consejo.supply.models import (
    Depot,
    Item,
    Need,
    Plan,
    PlanVote,
    Recipient,
    Route,
    StockCount,
)
from tests.api.test_api import assert_error_shape, bearer
from tests.builders import SupplyScene, build_supply, make_member, propose_from_new_figures

pytestmark = pytest.mark.django_db

API = "/api/v1/supply"

#: The messages are asserted in English, the source language (Spanish is the default).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def scene(operator: Any) -> SupplyScene:
    return build_supply(actor=operator)


def token_for(user: Any) -> str:
    return api_token_issue(user=user, name="phone")


def send(client: Client, method: str, path: str, payload: object, token: str | None = None) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    headers = (bearer(token) if token else {}) | ENGLISH
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", **headers)


def post(client: Client, path: str, payload: object = None, token: str | None = None) -> Any:
    return send(client, "post", path, {} if payload is None else payload, token)


def get(client: Client, path: str, token: str | None = None) -> Any:
    return client.get(f"{API}{path}", **(bearer(token) if token else {}), **ENGLISH)


def writes() -> tuple[int, ...]:
    return (
        Item.objects.count(),
        Depot.objects.count(),
        StockCount.objects.count(),
        Recipient.objects.count(),
        Route.objects.count(),
        Need.objects.count(),
        Plan.objects.count(),
        PlanVote.objects.count(),
        # Issuing a token is ledgered too; what counts here is what the request wrote.
        LedgerEntry.objects.exclude(kind="api_token.issued").count(),
    )


def refused(response: Any, status: int, code: str, says: str = "") -> None:
    error = assert_error_shape(response, status, code)
    assert says in error["message"], error["message"]


# --- items ------------------------------------------------------------------------------------


def test_anyone_lists_the_items(client: Client, scene: SupplyScene) -> None:
    response = get(client, "/items")
    assert response.status_code == 200, response.content
    assert response.json() == [{"slug": "gas-10kg", "name": "Garrafa 10 kg", "unit": "garrafa"}]


def test_a_committee_secretary_registers_an_item(client: Client, scene: SupplyScene) -> None:
    payload = {"slug": "harina", "name": "Harina (quintal)", "unit": "quintal"}
    response = post(client, "/items", payload, token_for(scene.members[0]))
    assert response.status_code == 201, response.content
    assert response.json() == payload
    assert [i["slug"] for i in get(client, "/items").json()] == ["gas-10kg", "harina"]
    assert LedgerEntry.objects.filter(kind="item.created").count() == 2


@pytest.mark.parametrize(
    ("payload", "status", "code", "says"),
    [
        pytest.param({"slug": "gas-10kg", "name": "Otra", "unit": "u"}, 409, "conflict", "exists"),
        pytest.param({"slug": "Gas 10", "name": "G", "unit": "u"}, 400, "invalid", "short name"),
        pytest.param({"slug": "a" * 61, "name": "G", "unit": "u"}, 400, "invalid", "short name"),
        pytest.param({"slug": "x", "name": "a\u0000b", "unit": "u"}, 400, "invalid", "control"),
        pytest.param({"slug": "x", "name": "  ", "unit": "u"}, 400, "invalid", "empty"),
        pytest.param({"slug": "x", "name": "G"}, 422, "invalid", "unit"),
        pytest.param("{not json", 400, "invalid", ""),
    ],
)
def test_a_bad_item_is_refused_and_writes_nothing(
    client: Client, scene: SupplyScene, payload: object, status: int, code: str, says: str
) -> None:
    token = token_for(scene.members[0])
    before = writes()
    refused(post(client, "/items", payload, token), status, code, says)
    assert writes() == before


def test_registering_an_item_needs_a_token_and_a_secretary(
    client: Client, scene: SupplyScene
) -> None:
    payload = {"slug": "harina", "name": "Harina", "unit": "quintal"}
    before = writes()
    refused(post(client, "/items", payload), 401, "unauthenticated")
    refused(post(client, "/items", payload, "cj_forged"), 401, "unauthenticated")
    refused(
        post(client, "/items", payload, token_for(scene.members[1])),
        403,
        "permission_denied",
        "register an item",
    )
    assert writes() == before


# --- a committee's figures --------------------------------------------------------------------


def test_anyone_reads_a_committee_with_stock_tiers_needs_and_routes_but_no_names(
    client: Client, scene: SupplyScene
) -> None:
    response = get(client, "/committees/abastecimiento")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["slug"], body["recipients_total"], body["plans"]) == ("abastecimiento", 2, [])
    assert body["plan_in_force"] is None
    [depot] = body["depots"]
    assert (depot["slug"], depot["commission"]) == ("planta-senkata", "control-senkata")
    assert [(s["item"], s["units"]) for s in depot["stock"]] == [("gas-10kg", 100)]
    clinic, barrio = body["recipients"]  # by tier
    assert (clinic["slug"], clinic["tier"], clinic["kind"]) == ("posta-senkata", 1, "clinic")
    assert [(n["item"], n["units"]) for n in clinic["needs"]] == [("gas-10kg", 30)]
    assert clinic["routes"] == [
        {"depot": "planta-senkata", "recipient": "posta-senkata", "cost": 1}
    ]
    assert (barrio["tier"], barrio["households"], barrio["body"]) == (2, 400, "senkata")
    text = response.content.decode()
    for name in ("Control Uno", "Junta Secretaria", "Abasto Uno"):
        assert name not in text


def test_the_recipients_come_in_pages(client: Client, scene: SupplyScene) -> None:
    first = get(client, "/committees/abastecimiento?limit=1").json()
    second = get(client, "/committees/abastecimiento?limit=1&offset=1").json()
    assert [r["slug"] for r in first["recipients"]] == ["posta-senkata"]
    assert [r["slug"] for r in second["recipients"]] == ["barrio-senkata"]
    assert first["recipients_total"] == second["recipients_total"] == 2
    for query in ("limit=0", "limit=1001", "offset=-1", "limit=abc"):
        refused(get(client, f"/committees/abastecimiento?{query}"), 422, "invalid")


@pytest.mark.parametrize(
    ("slug", "status", "code"),
    [
        pytest.param("atlantis", 404, "not_found", id="unknown"),
        pytest.param("senkata", 404, "not_found", id="not-a-committee"),
        pytest.param("x" * 500, 404, "not_found", id="too-long"),
        pytest.param("%ED%A0%80", 404, "not_found", id="lone-surrogate"),
        pytest.param("a%00b", 400, "invalid", id="nul"),
    ],
)
def test_a_committee_that_does_not_exist_is_refused_in_the_error_shape(
    client: Client, scene: SupplyScene, slug: str, status: int, code: str
) -> None:
    refused(get(client, f"/committees/{slug}"), status, code)


# --- stock counts -----------------------------------------------------------------------------


def test_a_member_of_the_control_commission_counts_the_stock(
    client: Client, scene: SupplyScene
) -> None:
    payload = {"item": "gas-10kg", "units": 250, "note": "camión de YPFB"}
    response = post(client, "/depots/planta-senkata/counts", payload, token_for(scene.counter))
    assert response.status_code == 201, response.content
    count = response.json()
    assert (count["depot"], count["item"], count["units"]) == ("planta-senkata", "gas-10kg", 250)
    assert (count["counted_by"], count["note"]) == ("Control Uno", "camión de YPFB")
    [depot] = get(client, "/committees/abastecimiento").json()["depots"]
    assert depot["stock"][0]["units"] == 250
    history = get(client, "/depots/planta-senkata/counts").json()
    assert [c["units"] for c in history] == [250, 100]  # newest first


def test_who_counted_is_shown_only_to_those_who_may_see_the_roster(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    path = "/depots/planta-senkata/counts?item=gas-10kg"
    assert [c["counted_by"] for c in get(client, path).json()] == [None]
    assert [c["counted_by"] for c in get(client, path, token_for(outsider)).json()] == [None]
    for reader in (scene.members[1], scene.counter):
        assert [c["counted_by"] for c in get(client, path, token_for(reader)).json()] == [
            "Control Uno"
        ]


def test_the_count_list_filters_and_refuses_unknown_things(
    client: Client, scene: SupplyScene
) -> None:
    assert get(client, "/depots/planta-senkata/counts?limit=1").status_code == 200
    refused(get(client, "/depots/planta-senkata/counts?item=harina"), 404, "not_found", "harina")
    refused(get(client, "/depots/nowhere/counts"), 404, "not_found", "no depot called nowhere")
    refused(get(client, "/depots/planta-senkata/counts?limit=0"), 422, "invalid")
    refused(get(client, "/depots/planta-senkata/counts?item=a%00"), 400, "invalid", "NUL")


@pytest.mark.parametrize(
    ("path", "payload", "status", "code", "says"),
    [
        pytest.param(
            "planta-senkata", {"item": "gas-10kg", "units": -5}, 400, "invalid", "whole number"
        ),
        pytest.param(
            "planta-senkata", {"item": "gas-10kg", "units": 2**70}, 400, "invalid", "whole number"
        ),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": 1.5}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": "5"}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg", "units": True}, 422, "invalid", ""),
        pytest.param("planta-senkata", {"item": "gas-10kg"}, 422, "invalid", "units"),
        pytest.param(
            "planta-senkata",
            {"item": "gas-10kg", "units": 5, "note": "\u0000"},
            400,
            "invalid",
            "control",
        ),
        pytest.param(
            "planta-senkata", {"item": "harina", "units": 5}, 404, "not_found", "no item called"
        ),
        pytest.param(
            "planta-senkata", {"item": "gas\u0000", "units": 5}, 404, "not_found", "no item"
        ),
        pytest.param("nowhere", {"item": "gas-10kg", "units": 5}, 404, "not_found", "no depot"),
    ],
)
def test_a_bad_count_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    path: str,
    payload: object,
    status: int,
    code: str,
    says: str,
) -> None:
    before = writes()
    response = post(client, f"/depots/{path}/counts", payload, token_for(scene.counter))
    refused(response, status, code, says)
    assert writes() == before


def test_only_the_control_commission_counts(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    payload = {"item": "gas-10kg", "units": 1}
    before = writes()
    refused(post(client, "/depots/planta-senkata/counts", payload), 401, "unauthenticated")
    for user in (scene.members[0], scene.junta, outsider):
        response = post(client, "/depots/planta-senkata/counts", payload, token_for(user))
        refused(response, 403, "permission_denied", "count the stock of a depot")
    assert writes() == before


# --- needs ------------------------------------------------------------------------------------


def test_the_junta_registers_its_neighbourhoods_need(client: Client, scene: SupplyScene) -> None:
    token = token_for(scene.junta)
    response = post(
        client, "/recipients/barrio-senkata/needs", {"item": "gas-10kg", "units": 520}, token
    )
    assert response.status_code == 201, response.content
    need = response.json()
    assert (need["recipient"], need["item"], need["units"]) == ("barrio-senkata", "gas-10kg", 520)
    assert need["registered_by"] == "Junta Secretaria"
    history = get(client, "/recipients/barrio-senkata/needs").json()
    assert [(n["units"], n["registered_by"]) for n in history] == [(520, None), (400, None)]
    named = get(client, "/recipients/barrio-senkata/needs?item=gas-10kg", token).json()
    assert [n["registered_by"] for n in named] == ["Junta Secretaria", "Junta Secretaria"]
    committee = get(client, "/committees/abastecimiento").json()
    barrio = next(r for r in committee["recipients"] if r["slug"] == "barrio-senkata")
    assert barrio["needs"][0]["units"] == 520


def test_only_the_recipients_own_secretary_registers_its_needs(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    payload = {"item": "gas-10kg", "units": 10}
    before = writes()
    refused(post(client, "/recipients/barrio-senkata/needs", payload), 401, "unauthenticated")
    # The junta of Senkata is not the clinic's body (the mine's workers), nor is the committee.
    for user, slug in (
        (scene.junta, "posta-senkata"),
        (scene.members[0], "barrio-senkata"),
        (outsider, "barrio-senkata"),
    ):
        response = post(client, f"/recipients/{slug}/needs", payload, token_for(user))
        refused(response, 403, "permission_denied", "register a recipient's needs")
    assert writes() == before


@pytest.mark.parametrize(
    ("path", "payload", "status", "code", "says"),
    [
        pytest.param("barrio-senkata", {"item": "gas-10kg", "units": -1}, 400, "invalid", "units"),
        pytest.param(
            "barrio-senkata", {"item": "gas-10kg", "units": 10**9 + 1}, 400, "invalid", "units"
        ),
        pytest.param("barrio-senkata", {"item": "gas-10kg", "units": "x"}, 422, "invalid", ""),
        pytest.param("barrio-senkata", {"item": "leña", "units": 1}, 404, "not_found", "no item"),
        pytest.param("ventilla", {"item": "gas-10kg", "units": 1}, 404, "not_found", "recipient"),
    ],
)
def test_a_bad_need_is_refused_and_writes_nothing(
    client: Client,
    scene: SupplyScene,
    path: str,
    payload: object,
    status: int,
    code: str,
    says: str,
) -> None:
    before = writes()
    response = post(client, f"/recipients/{path}/needs", payload, token_for(scene.junta))
    refused(response, status, code, says)
    assert writes() == before


def test_the_needs_of_an_unknown_recipient_are_a_404(client: Client, scene: SupplyScene) -> None:
    refused(get(client, "/recipients/ventilla/needs"), 404, "not_found", "no recipient called")
    refused(get(client, "/recipients/barrio-senkata/needs?item=leña"), 404, "not_found")


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


# --- plans ------------------------------------------------------------------------------------


def propose(client: Client, user: Any) -> dict[str, Any]:
    response = post(client, "/committees/abastecimiento/plans", None, token_for(user))
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def vote(client: Client, plan: int, user: Any, choice: str = "yes") -> Any:
    return post(client, f"/plans/{plan}/votes", {"choice": choice}, token_for(user))


def test_a_committee_member_proposes_a_plan_from_the_current_figures(
    client: Client, scene: SupplyScene
) -> None:
    plan = propose(client, scene.members[2])
    assert (plan["status"], plan["committee"], plan["decided_at"]) == (
        "proposed",
        "abastecimiento",
        None,
    )
    assert (plan["members"], plan["needed"], plan["votes"]) == (
        3,
        2,
        {"yes": 0, "no": 0, "abstain": 0},
    )
    assert (plan["proposed_by"], plan["voters"], plan["my_vote"]) == ("Abasto Tres", [], None)
    stored = Plan.objects.get(pk=plan["id"])
    assert plan["problem"] == stored.problem
    assert plan["problem_digest"] == json_digest(plan["problem"])
    assert plan["result_digest"] == json_digest(plan["result"])
    # Clinics first: the clinic gets its 30, the neighbourhood the 70 left.
    got = {d["recipient"]: d["units"] for d in plan["result"]["deliveries"]}
    assert got == {"posta-senkata": 30, "barrio-senkata": 70}
    assert plan["total_cost"] == 30 * 1 + 70 * 2
    entry = LedgerEntry.objects.get(kind="plan.proposed")
    assert plan["ledger_seq"] == entry.seq


def test_proposing_needs_a_member_of_the_committee_and_something_to_allocate(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    before = writes()
    refused(post(client, "/committees/abastecimiento/plans"), 401, "unauthenticated")
    for user in (outsider, scene.counter, scene.junta):
        response = post(client, "/committees/abastecimiento/plans", None, token_for(user))
        refused(response, 403, "permission_denied", "propose an allocation plan")
    # The control commission is a committee too, but has no depots or recipients of its own.
    response = post(client, "/committees/control-senkata/plans", None, token_for(scene.counter))
    refused(response, 409, "conflict", "no depots or no recipients")
    refused(
        post(client, "/committees/atlantis/plans", None, token_for(scene.members[0])),
        404,
        "not_found",
    )
    assert writes() == before


def test_anyone_reads_a_plan_and_its_tally_but_only_members_see_who_voted(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    plan = propose(client, scene.members[0])
    assert vote(client, plan["id"], scene.members[1], "no").status_code == 201
    public = get(client, f"/plans/{plan['id']}").json()
    assert public["votes"] == {"yes": 0, "no": 1, "abstain": 0}
    assert (public["voters"], public["proposed_by"], public["my_vote"]) == (None, None, None)
    assert public["result"] == plan["result"]
    assert get(client, f"/plans/{plan['id']}", token_for(outsider)).json()["voters"] is None
    seen = get(client, f"/plans/{plan['id']}", token_for(scene.members[1])).json()
    assert [(v["name"], v["choice"]) for v in seen["voters"]] == [("Abasto Dos", "no")]
    assert (seen["proposed_by"], seen["my_vote"]) == ("Abasto Uno", "no")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/plans/999999", 404, id="unknown"),
        pytest.param(f"/plans/{2**70}", 422, id="beyond-any-key"),
        pytest.param("/plans/0", 422, id="zero"),
        pytest.param("/plans/abc", 422, id="not-a-number"),
        pytest.param("/plans/1%00", 400, id="nul"),
    ],
)
def test_a_plan_that_does_not_exist_is_refused_in_the_error_shape(
    client: Client, scene: SupplyScene, path: str, status: int
) -> None:
    refused(get(client, path), status, "not_found" if status == 404 else "invalid")


def test_votes_are_checked_refused_and_counted_once(
    client: Client, scene: SupplyScene, outsider: Any
) -> None:
    plan = propose(client, scene.members[0])["id"]
    before = writes()
    refused(post(client, f"/plans/{plan}/votes", {"choice": "yes"}), 401, "unauthenticated")
    refused(vote(client, plan, outsider), 403, "permission_denied", "vote on this plan")
    refused(vote(client, plan, scene.counter), 403, "permission_denied")
    refused(vote(client, plan, scene.members[0], "maybe"), 400, "invalid", "yes, no or abstain")
    refused(
        post(client, f"/plans/{plan}/votes", {"choice": 1}, token_for(scene.members[0])),
        422,
        "invalid",
    )
    refused(vote(client, 999999, scene.members[0]), 404, "not_found", "no allocation plan")
    assert writes() == before
    first = vote(client, plan, scene.members[0], "abstain")
    assert first.status_code == 201, first.content
    assert first.json()["my_vote"] == "abstain"
    refused(vote(client, plan, scene.members[0], "yes"), 409, "conflict", "already voted")
    assert PlanVote.objects.filter(plan_id=plan).count() == 1


def test_two_noes_of_three_reject_a_plan_and_close_it(client: Client, scene: SupplyScene) -> None:
    plan = propose(client, scene.members[0])["id"]
    assert vote(client, plan, scene.members[0], "no").json()["status"] == "proposed"
    rejected = vote(client, plan, scene.members[1], "no").json()
    assert (rejected["status"], rejected["votes"]["no"]) == ("rejected", 2)
    assert rejected["decided_at"] is not None
    refused(vote(client, plan, scene.members[2]), 409, "conflict", "no longer open")


def test_proposals_are_rate_limited_per_person_together_with_the_committee_page(
    client: Client, scene: SupplyScene
) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(scene.members[0])
    assert page.post("/supply/abastecimiento/propose/").status_code == 302
    for proposal in range(1, ratelimit.PROPOSAL_LIMIT):
        propose_from_new_figures_via_api(client, scene, units=300 + proposal)
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=400
    )
    response = post(client, "/committees/abastecimiento/plans", None, token_for(scene.members[0]))
    refused(response, 429, "rate_limited", "Too many plans proposed")
    assert Plan.objects.count() == ratelimit.PROPOSAL_LIMIT
    followed = page.post("/supply/abastecimiento/propose/", follow=True)
    assert "Too many plans proposed" in followed.content.decode()
    assert Plan.objects.count() == ratelimit.PROPOSAL_LIMIT
    # Another member is not held back by the first one's proposals.
    assert propose(client, scene.members[1])["status"] == "proposed"


def test_a_proposal_identical_to_an_open_one_is_a_409_that_names_it(
    client: Client, scene: SupplyScene
) -> None:
    first = propose(client, scene.members[0])["id"]
    response = post(client, "/committees/abastecimiento/plans", None, token_for(scene.members[1]))
    refused(response, 409, "conflict", f"plan {first}, computed from these same figures")


def propose_from_new_figures_via_api(client: Client, scene: SupplyScene, *, units: int) -> None:
    services.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=units
    )
    propose(client, scene.members[0])


def test_voting_is_rate_limited_together_with_the_plans_page(
    client: Client, scene: SupplyScene
) -> None:
    plan = propose(client, scene.members[0])["id"]
    limit = ratelimit.PLAN_VOTES
    for _attempt in range(limit.limit - 1):
        ratelimit.hit(limit.scope, str(scene.members[1].pk), window_seconds=limit.window_seconds)
    # The last attempt the window allows is the page's: the API's next one is refused.
    page = Client()
    page.force_login(scene.members[1])
    assert page.post(f"/supply/plans/{plan}/vote/", {"choice": "maybe"}).status_code == 302
    refused(vote(client, plan, scene.members[1]), 429, "rate_limited", "Too many attempts")
    assert page.post(f"/supply/plans/{plan}/vote/", {"choice": "yes"}).status_code == 429
    assert not PlanVote.objects.exists()


# --- the whole flow, through the API with tokens ----------------------------------------------


def test_count_register_propose_and_approve_and_the_next_approval_supersedes_the_first(
    client: Client, scene: SupplyScene, operator: Any
) -> None:
    counter, junta = token_for(scene.counter), token_for(scene.junta)
    members = [token_for(m) for m in scene.members]

    # The control commission counts, the junta registers its need.
    response = post(
        client, "/depots/planta-senkata/counts", {"item": "gas-10kg", "units": 200}, counter
    )
    assert response.status_code == 201, response.content
    response = post(
        client, "/recipients/barrio-senkata/needs", {"item": "gas-10kg", "units": 300}, junta
    )
    assert response.status_code == 201, response.content

    # A member proposes; two yes votes of three members carry it.
    first = propose(client, scene.members[1])
    got = {d["recipient"]: d["units"] for d in first["result"]["deliveries"]}
    assert got == {"posta-senkata": 30, "barrio-senkata": 170}
    assert vote(client, first["id"], scene.members[0]).json()["status"] == "proposed"
    approved = vote(client, first["id"], scene.members[2]).json()
    assert (approved["status"], approved["votes"]["yes"]) == ("approved", 2)
    committee = get(client, "/committees/abastecimiento").json()
    assert committee["plan_in_force"] == first["id"]
    assert [(p["id"], p["status"]) for p in committee["plans"]] == [(first["id"], "approved")]

    # New figures, a new plan: once approved, the first is superseded.
    response = post(
        client, "/depots/planta-senkata/counts", {"item": "gas-10kg", "units": 330}, counter
    )
    assert response.status_code == 201, response.content
    second = propose(client, scene.members[2])
    assert {d["recipient"]: d["units"] for d in second["result"]["deliveries"]} == {
        "posta-senkata": 30,
        "barrio-senkata": 300,
    }
    assert second["problem_digest"] != first["problem_digest"]
    for token in members[:2]:
        response = post(client, f"/plans/{second['id']}/votes", {"choice": "yes"}, token)
        assert response.status_code == 201, response.content
    assert response.json()["status"] == "approved"
    old = get(client, f"/plans/{first['id']}").json()
    assert old["status"] == "superseded"
    assert old["decided_at"] is not None
    refused(vote(client, first["id"], scene.members[1]), 409, "conflict", "no longer open")
    committee = get(client, "/committees/abastecimiento").json()
    assert committee["plan_in_force"] == second["id"]
    assert [p["status"] for p in committee["plans"]] == ["approved", "superseded"]
    kinds = list(LedgerEntry.objects.values_list("kind", flat=True))
    assert kinds.count("plan.approved") == 2
    assert kinds.count("plan.voted") == 4


def test_the_openapi_schema_lists_the_supply_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/supply/items",
        "/api/v1/supply/committees/{slug}",
        "/api/v1/supply/depots/{slug}/counts",
        "/api/v1/supply/recipients/{slug}/needs",
        "/api/v1/supply/committees/{slug}/recipients",
        "/api/v1/supply/routes",
        "/api/v1/supply/committees/{slug}/depots",
        "/api/v1/supply/recipients/{slug}/tier",
        "/api/v1/supply/committees/{slug}/plans",
        "/api/v1/supply/plans/{plan_id}",
        "/api/v1/supply/plans/{plan_id}/votes",
    } <= set(paths)
    assert set(paths["/api/v1/supply/routes"]) == {"put", "post"}


def test_a_member_added_later_counts_towards_the_majority(
    client: Client, scene: SupplyScene, operator: Any
) -> None:
    make_member(actor=operator, body=scene.committee, username="abasto-4", name="Abasto Cuatro")
    plan = propose(client, scene.members[0])
    assert (plan["members"], plan["needed"]) == (4, 3)
    vote(client, plan["id"], scene.members[0])
    assert vote(client, plan["id"], scene.members[1]).json()["status"] == "proposed"
    assert vote(client, plan["id"], scene.members[2]).json()["status"] == "approved"


def test_the_plan_in_force_is_named_however_many_proposals_came_after_it(
    client: Client, scene: SupplyScene
) -> None:
    approved = propose(client, scene.members[0])["id"]
    for member in scene.members[:2]:
        services.plan_vote(actor=member, plan_id=approved, choice="yes")
    for proposal in range(50):
        propose_from_new_figures(scene, scene.members[1], units=200 + proposal)
    committee = get(client, "/committees/abastecimiento").json()
    assert len(committee["plans"]) == 50
    assert approved not in [p["id"] for p in committee["plans"]]
    assert committee["plan_in_force"] == approved


def test_the_tally_counts_only_the_votes_of_current_members_as_the_rule_does(
    client: Client, operator: Any, time_machine: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from consejo.bodies import services as body_services
    from consejo.bodies.models import Membership

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    scene = build_supply(actor=operator)
    plan = propose(client, scene.members[0])["id"]
    assert vote(client, plan, scene.members[2], "no").status_code == 201
    time_machine.move_to(start + timedelta(minutes=10), tick=False)
    left = Membership.objects.get(member__user=scene.members[2], body=scene.committee)
    body_services.membership_end(actor=operator, membership_id=left.pk)
    shown = get(client, f"/plans/{plan}", token_for(scene.members[0])).json()
    assert (shown["members"], shown["needed"]) == (2, 2)
    assert shown["votes"] == {"yes": 0, "no": 0, "abstain": 0}
    assert [(v["name"], v["choice"], v["counted"]) for v in shown["voters"]] == [
        ("Abasto Tres", "no", False)
    ]
    vote(client, plan, scene.members[0])
    assert vote(client, plan, scene.members[1]).json()["status"] == "approved"


def test_reading_a_committee_takes_the_same_queries_however_many_recipients_it_serves(
    client: Client, scene: SupplyScene, operator: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert get(client, "/committees/abastecimiento").status_code == 200
        return len(captured)

    few = queries()
    for n in range(5):
        recipient = services.recipient_register(
            actor=operator,
            committee_id=scene.committee.pk,
            body_id=scene.federation.neighborhood.pk,
            slug=f"barrio-{n}",
            name=f"Barrio {n}",
            kind="neighborhood",
            tier=3,
        )
        services.route_set(
            actor=operator, depot_id=scene.depot.pk, recipient_id=recipient.pk, cost=n
        )
        services.need_register(
            actor=operator, recipient_id=recipient.pk, item_id=scene.gas.pk, units=10
        )
    assert queries() == few
