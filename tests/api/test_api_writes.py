"""The API's writes beyond members: creating bodies, linking them, setting a council's seats."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Body, Federation
from consejo.bodies.services import api_token_issue
from consejo.ledger.models import LedgerEntry
from tests.api.api_helpers import assert_error_shape, bearer
from tests.builders import SmallFederation, build_small_federation, make_secretary

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


def post(client: Client, path: str, payload: object, token: str) -> Any:
    return client.post(
        f"{API}{path}", json.dumps(payload), content_type="application/json", **bearer(token)
    )


def test_the_operator_creates_a_body_under_a_council(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="script")
    response = post(
        client,
        "/bodies/",
        {
            "name": "Junta Vecinal Ventilla",
            "slug": "ventilla",
            "kind": "neighborhood_assembly",
            "parent": federation.council.slug,
        },
        token,
    )
    assert response.status_code == 201, response.content
    assert response.json()["parents"] == [federation.council.slug]
    assert Body.objects.filter(slug="ventilla").exists()


def test_a_body_with_an_unknown_kind_is_a_400_and_nothing_is_written(
    client: Client, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="script")
    before = LedgerEntry.objects.count()
    response = post(client, "/bodies/", {"name": "X", "slug": "x", "kind": "castle"}, token)
    assert_error_shape(response, 400, "invalid")
    assert LedgerEntry.objects.count() == before


def test_the_council_secretary_sets_its_seats(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    secretary = make_secretary(actor=operator, body=federation.council, username="sec-council")
    token = api_token_issue(user=secretary, name="phone")
    response = post(
        client,
        f"/bodies/{federation.council.slug}/seats",
        {"method": "dhondt", "seats": 9, "min_seats": 1},
        token,
    )
    assert response.status_code == 200, response.content
    record = response.json()["apportionment"]
    assert (record["method"], record["seats"]) == ("dhondt", 9)
    assert sum(row["seats"] for row in record["rows"]) == 9


def test_a_base_body_secretary_cannot_set_the_councils_seats(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    secretary = make_secretary(actor=operator, body=federation.mine, username="sec-mine")
    token = api_token_issue(user=secretary, name="phone")
    response = post(
        client, f"/bodies/{federation.council.slug}/seats", {"method": "dhondt", "seats": 3}, token
    )
    assert_error_shape(response, 403, "permission_denied")


def test_linking_then_ending_the_link(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="script")
    services.body_create(actor=operator, name="Colquiri", slug="colquiri", kind="mine")
    response = post(client, f"/bodies/{federation.council.slug}/links", {"body": "colquiri"}, token)
    assert response.status_code == 201, response.content
    link_id = response.json()["link"]
    ended = post(client, f"/bodies/{federation.council.slug}/links/{link_id}/end", {}, token)
    assert ended.status_code == 200, ended.content
    assert ended.json()["end"] is not None
    assert not Federation.objects.filter(pk=link_id, end__isnull=True).exists()


def test_a_link_cannot_be_ended_through_another_councils_address(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    token = api_token_issue(user=operator, name="script")
    other = services.body_create(actor=operator, name="Other", slug="other", kind="council")
    link = Federation.objects.filter(parent=federation.council).first()
    assert link is not None
    response = post(client, f"/bodies/{other.slug}/links/{link.pk}/end", {}, token)
    assert_error_shape(response, 404, "not_found")
    link.refresh_from_db()
    assert link.end is None


def test_linking_twice_is_a_409(client: Client, federation: SmallFederation, operator: Any) -> None:
    token = api_token_issue(user=operator, name="script")
    response = post(
        client, f"/bodies/{federation.council.slug}/links", {"body": federation.mine.slug}, token
    )
    assert_error_shape(response, 409, "conflict")


def test_ledger_payloads_are_for_members_only(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    anonymous = client.get(f"{API}/ledger/entries?limit=5").json()
    assert anonymous
    assert all(entry["payload"] is None for entry in anonymous)
    assert all(len(entry["hash"]) == 64 for entry in anonymous)
    token = api_token_issue(user=operator, name="auditor")
    with_token = client.get(f"{API}/ledger/entries?limit=5", **bearer(token)).json()
    assert all(entry["payload"].startswith("{") for entry in with_token)
