"""The supply API's items and a committee's figures: anyone lists the items and a committee's
figures (stock, tiers, needs and routes, but no names), in pages and in a number of queries
that does not grow with its recipients; only a committee's secretary registers an item; the
OpenAPI schema lists every supply path.

The scene (tests.builders.build_supply, in this package's conftest.py) has a supply committee
of three, a control commission with its counter, the gas depot of Senkata, a clinic and the
barrio of Senkata.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.ledger.models import LedgerEntry
from consejo.supply import services
from tests.api.supply.calls import get, post, refused, token_for, writes
from tests.builders import SupplyScene

pytestmark = pytest.mark.django_db


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
