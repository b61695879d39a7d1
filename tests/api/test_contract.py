"""The API keeps the contract its OpenAPI schema states (docs/api.md, "The contract").

schemathesis generates requests from /api/v1/openapi.json, schema-valid and not, for every
operation, sends them to the application in this process against the test database, and runs all
its checks on the answers: every status declared, every error in the one shape, schema-valid
requests not refused as malformed (422), invalid ones not accepted, 405s that name the methods
allowed. Three readers: no token, an operator's token, a plain member's token, over a small
federation with a supply committee and an election whose voting is open. Bounded (a few examples
per operation) and derandomized (a fixed seed), so that it runs in a minute or so and a landing
never fails by chance.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from schemathesis.config import SchemathesisConfig

from consejo.bodies.services import api_token_issue
from consejo.wsgi import application
from tests.builders import RunningElection, SupplyScene, build_running_election, build_supply

pytestmark = pytest.mark.django_db

CONFIG = Path(__file__).with_name("schemathesis.toml")
#: Examples per operation in the fuzzing phase; the coverage phase adds its own few per field.
EXAMPLES = 4
SEED = 2005


def _config() -> SchemathesisConfig:
    """The settings of schemathesis.toml, bounded and derandomized for the suite."""
    settings = tomllib.loads(CONFIG.read_text())
    settings["seed"] = SEED
    settings["generation"] = {"max-examples": EXAMPLES, "deterministic": True}
    # Stateful runs chain calls; the per-operation phases already reach every status.
    settings["phases"] = {"stateful": {"enabled": False}}
    return SchemathesisConfig.from_dict(settings)


@pytest.fixture
def scene(operator: Any) -> SupplyScene:
    return build_supply(actor=operator)


@pytest.fixture
def running(operator: Any, scene: SupplyScene, time_machine: Any) -> RunningElection:
    return build_running_election(
        actor=operator, federation=scene.federation, traveller=time_machine
    )


@pytest.fixture(params=["no token", "operator", "member"])
def identity(request: pytest.FixtureRequest, operator: Any, running: RunningElection) -> str:
    """Who asks: the ``Authorization`` header each request carries (empty without a token)."""
    user = {"operator": operator, "member": running.voters["votante-1"]}.get(request.param)
    return "" if user is None else f"Bearer {api_token_issue(user=user, name='contract')}"


@pytest.fixture
def api_schema(identity: str) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=_config())


@pytest.fixture(autouse=True)
def _connection_kept() -> Iterator[None]:
    """Keep the test's database connection across requests, as Django's test client does: the
    WSGI handler closes it as a request starts and ends, which on PostgreSQL ends the test's
    transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _node_id(request: pytest.FixtureRequest) -> None:
    """schemathesis' lazy schemas (4.32) rename the test per operation through ``_nodeid``,
    which pytest 9 no longer keeps on a test item: give it back, as the node id it was."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
def test_every_operation_keeps_the_contract_of_the_schema(case: Any, identity: str) -> None:
    case.call_and_validate(headers={"Authorization": identity} if identity else None)


# --- what the run above found, each on its own -----------------------------------------------

API = "/api/v1"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    from consejo.api.urls import api

    paths = api.get_openapi_schema()["paths"]
    return [(m.upper(), p, op) for p, ops in paths.items() for m, op in ops.items()]


def test_every_operation_declares_its_errors_in_the_one_error_shape() -> None:
    missing = []
    for method, path, operation in _operations():
        declared = {int(status): answer for status, answer in operation["responses"].items()}
        needed = {400, 422} | ({401, 403} if operation.get("security") else set())
        for status in sorted(needed):
            content = declared.get(status, {}).get("content", {})
            shape = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if not shape.endswith("/ErrorOut"):
                missing.append(f"{method} {path} {status}")
    assert missing == []


@pytest.mark.parametrize("method", ["TRACE", "DELETE", "PATCH"])
def test_a_405_names_the_methods_the_address_allows(method: str) -> None:
    response = Client().generic(method, f"{API}/ledger/head")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_a_405_on_an_address_of_two_methods_names_both() -> None:
    response = Client().get(f"{API}/supply/routes")
    assert response.status_code == 405
    assert sorted(response["Allow"].replace(" ", "").split(",")) == ["POST", "PUT"]


@pytest.mark.parametrize("number", ["31340.0", "31340"])
def test_a_whole_number_written_with_a_point_is_that_number_in_an_address(number: str) -> None:
    # JSON Schema's "integer" admits 31340.0: a plan that does not exist, not a malformed address.
    response = Client().get(f"{API}/supply/plans/{number}")
    assert response.status_code == 404, response.content


def test_a_whole_number_written_with_a_point_is_that_number_in_a_request(
    scene: SupplyScene,
) -> None:
    token = api_token_issue(user=scene.members[0], name="t")
    response = Client().put(
        f"{API}/supply/recipients/{scene.barrio.slug}/tier",
        json.dumps({"tier": 3.0}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["tier"] == 3


@pytest.mark.parametrize(("tier", "status"), [(3.5, 422), ("3", 422), (True, 422), (0, 400)])
def test_what_the_schema_refuses_the_server_refuses(
    scene: SupplyScene, tier: object, status: int
) -> None:
    token = api_token_issue(user=scene.members[0], name="t")
    response = Client().put(
        f"{API}/supply/recipients/{scene.barrio.slug}/tier",
        json.dumps({"tier": tier}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    "address",
    ["/ledger/entries?limit=0", "/ledger/entries?limit=501", "/supply/depots/x/counts?limit=501"],
)
def test_a_limit_outside_its_declared_range_is_refused_not_clamped(address: str) -> None:
    response = Client().get(f"{API}{address}")
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid"


def test_the_schema_says_a_new_short_name_is_a_slug_and_a_kind_one_of_the_kinds() -> None:
    from consejo.api.urls import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    body = schemas["BodyIn"]["properties"]
    assert body["slug"]["pattern"] == r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
    assert body["slug"]["maxLength"] == 80
    assert "council" in body["kind"]["enum"]
    assert schemas["ItemIn"]["properties"]["slug"]["maxLength"] == 60
    tier = schemas["RecipientIn"]["properties"]["tier"]
    assert (tier["minimum"], tier["maximum"]) == (1, 1000)


# --- the ballot names candidates by id --------------------------------------------------------


def _cast(running: RunningElection, payload: object) -> Any:
    token = api_token_issue(user=running.voters["votante-1"], name="t")
    return Client().post(
        f"{API}/elections/{running.election.pk}/ballots",
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_a_ballot_names_the_candidates_by_id(running: RunningElection) -> None:
    response = _cast(running, {"candidates": [c.pk for c in running.candidates[:2]]})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("field", ["numbers", "choices"])
def test_a_ballot_by_ballot_paper_numbers_is_refused_with_a_422_that_says_to_use_ids(
    running: RunningElection, field: str
) -> None:
    response = _cast(running, {field: [1, 2]})
    assert response.status_code == 422, response.content
    message = response.json()["error"]["message"]
    assert "by their id in `candidates`" in message
    assert "not by their `number` on the ballot paper" in message


def test_the_schema_says_a_ballot_holds_candidate_ids() -> None:
    from consejo.api.urls import api

    ballot = api.get_openapi_schema()["components"]["schemas"]["BallotIn"]
    assert ballot["additionalProperties"] is False
    assert list(ballot["properties"]) == ["candidates"]
    assert "`candidate`" in ballot["properties"]["candidates"]["items"]["description"]
