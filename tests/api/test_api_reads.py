"""The REST API under /api/v1/: what it gives to read without a token (bodies with their seats,
the ledger, the OpenAPI schema), and a query parameter an operation does not declare refused (the
check of consejo/api/urls.py on the mounted routers)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_head_get
from tests.api.api_helpers import (
    API,
    assert_error_shape,
    federation_fixture,  # noqa: F401 - the fixture `federation`
)
from tests.builders import COUNCIL_SEATS, MINE_MEMBERS, NEIGHBORHOOD_MEMBERS, SmallFederation

pytestmark = pytest.mark.django_db


# --- reading bodies ------------------------------------------------------------------------


def test_the_body_list_has_every_body_with_its_member_count_and_parents(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(f"{API}/bodies/")

    assert response.status_code == 200
    by_slug = {b["slug"]: b for b in response.json()}
    assert set(by_slug) == {"el-alto-council", "senkata", "huanuni"}
    assert by_slug["senkata"]["members"] == NEIGHBORHOOD_MEMBERS
    assert by_slug["huanuni"]["members"] == MINE_MEMBERS
    # A council counts the people of the bodies beneath it.
    assert by_slug["el-alto-council"]["members"] == NEIGHBORHOOD_MEMBERS + MINE_MEMBERS
    assert by_slug["senkata"]["parents"] == ["el-alto-council"]
    assert by_slug["el-alto-council"]["parents"] == []
    assert by_slug["el-alto-council"]["kind"] == "council"
    assert by_slug["el-alto-council"]["level"] == "city"


def test_the_body_list_of_an_empty_installation_is_empty(client: Client) -> None:
    response = client.get(f"{API}/bodies/")

    assert response.status_code == 200
    assert response.json() == []


def test_a_council_has_its_apportionment_rows(client: Client, federation: SmallFederation) -> None:
    response = client.get(f"{API}/bodies/el-alto-council")

    assert response.status_code == 200
    body = response.json()
    assert body["children"] == ["senkata", "huanuni"]  # by name: Junta… before Sindicato…
    record = body["apportionment"]
    assert record["council"] == "el-alto-council"
    assert record["method"] == "hamilton"
    assert record["seats"] == COUNCIL_SEATS
    assert record["min_seats"] == 0
    assert record["members_per_seat"] is None
    seq, _head = ledger_head_get()
    assert 1 <= record["ledger_seq"] <= seq
    assert LedgerEntry.objects.get(seq=record["ledger_seq"]).kind == "apportionment.computed"
    assert record["rows"] == [
        {"body": "senkata", "members": 30, "quota": "3.5714", "seats": 4},
        {"body": "huanuni", "members": 12, "quota": "1.4286", "seats": 1},
    ]


def test_a_base_body_shows_its_seats_in_each_council(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(f"{API}/bodies/senkata")

    assert response.status_code == 200
    body = response.json()
    assert body["members"] == NEIGHBORHOOD_MEMBERS
    assert body["apportionment"] is None
    assert body["children"] == []
    assert body["seats_in_councils"] == {"el-alto-council": 4}


def test_an_unknown_body_is_a_404_in_the_error_shape(client: Client) -> None:
    response = client.get(f"{API}/bodies/no-such-body")

    error = assert_error_shape(response, 404, "not_found")
    assert "no-such-body" in error["message"]


# --- the ledger ------------------------------------------------------------------------------


def test_the_ledger_head_is_the_count_and_the_head_hash(
    client: Client, federation: SmallFederation
) -> None:
    seq, head = ledger_head_get()

    response = client.get(f"{API}/ledger/head")

    assert response.status_code == 200
    assert response.json() == {"entries": seq, "head": head}
    assert seq == LedgerEntry.objects.count()


def test_the_ledger_verifies(client: Client, federation: SmallFederation) -> None:
    seq, head = ledger_head_get()

    response = client.get(f"{API}/ledger/verify")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "entries": seq,
        "head": head,
        "failed_seq": None,
        "reason": "",
    }


def test_an_empty_ledger_verifies(client: Client) -> None:
    response = client.get(f"{API}/ledger/verify")

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.json()["entries"] == 0


def test_the_ledger_entries_are_newest_first_and_filter_by_kind(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(f"{API}/ledger/entries", {"kind": "federation.linked", "limit": 10})

    assert response.status_code == 200
    entries = response.json()
    assert [e["kind"] for e in entries] == ["federation.linked", "federation.linked"]
    assert entries[0]["seq"] > entries[1]["seq"]


# --- the schema --------------------------------------------------------------------------------


def test_the_openapi_schema_is_json_and_lists_the_paths(client: Client) -> None:
    response = client.get(f"{API}/openapi.json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/bodies/",
        "/api/v1/bodies/{slug}",
        "/api/v1/bodies/{slug}/members",
        "/api/v1/ledger/head",
        "/api/v1/ledger/entries",
        "/api/v1/ledger/verify",
    } <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/bodies/{slug}/members"]


@pytest.mark.parametrize(
    "address",
    ["/elections/?bodyy=senkata", "/ledger/entries?limit=5&limt=5", "/bodies/?%F3%9A%BF%A7=1"],
)
def test_a_query_parameter_the_operation_does_not_declare_is_a_422(
    client: Client, address: str
) -> None:
    # A misspelt parameter must not answer as if it had not been sent.
    assert_error_shape(client.get(f"{API}{address}"), 422, "invalid")
    assert client.get(f"{API}{address.split('?')[0]}").status_code == 200
