"""The elections under /api/v1/elections/: listing and reading them (their phase, turnout and,
for those who may see the roster, their candidates), calling one, and every refusal in the one
error shape, writing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from consejo.elections import services
from consejo.elections.models import Election
from consejo.ledger.models import LedgerEntry
from tests.api.api_helpers import assert_error_shape
from tests.api.elections.api import election_payload, get, post, token_for, writes
from tests.builders import RunningElection, SmallFederation, make_member

pytestmark = pytest.mark.django_db


# --- reading elections ------------------------------------------------------------------------


def test_anyone_lists_the_elections_with_their_phase(
    client: Client, running: RunningElection
) -> None:
    response = get(client, "/elections/")
    assert response.status_code == 200, response.content
    [row] = response.json()
    assert row["id"] == running.election.pk
    assert (row["body"], row["council"], row["phase"]) == ("senkata", "el-alto-council", "voting")
    assert (row["method"], row["mode"], row["seats"]) == ("scottish-stv", "secret", 4)


def test_the_list_filters_by_electing_body(client: Client, running: RunningElection) -> None:
    assert len(get(client, "/elections/?body=senkata").json()) == 1
    assert get(client, "/elections/?body=huanuni").json() == []


@pytest.mark.parametrize("slug", ["atlantis", "%ED%A0%80", "x" * 500])
def test_listing_by_an_unknown_body_is_a_404(
    client: Client, running: RunningElection, slug: str
) -> None:
    assert_error_shape(get(client, f"/elections/?body={slug}"), 404, "not_found")


def test_a_nul_in_the_address_is_a_400(client: Client, running: RunningElection) -> None:
    for path in ("/elections/?body=a%00b", "/elections/%00", "/mandates/?council=a%00"):
        assert_error_shape(get(client, path), 400, "invalid")


def test_anyone_reads_an_election_with_its_turnout_but_not_its_candidates_names(
    client: Client, running: RunningElection
) -> None:
    voter = running.voters["votante-1"]
    services.ballot_cast(
        actor=voter, election_id=running.election.pk, choices=[running.candidates[0].pk]
    )
    response = get(client, f"/elections/{running.election.pk}")
    assert response.status_code == 200, response.content
    detail = response.json()
    assert detail["phase"] == "voting"
    assert (detail["nominated"], detail["standing"], detail["voters"], detail["ballots"]) == (
        4,
        4,
        1,
        1,
    )
    assert detail["members"] == 30 + 1 + 6  # the roster, the secretary, the voters with logins
    assert detail["ranked"] is True
    assert detail["candidates"] is None  # names are for those who may see the roster
    assert not any(detail[flag] for flag in ("has_voted", "may_vote", "may_nominate", "may_manage"))
    assert "Vecina" not in response.content.decode()


def test_a_member_reads_the_candidates_in_ballot_paper_order(
    client: Client, running: RunningElection
) -> None:
    token = token_for(running.voters["votante-1"])
    detail = get(client, f"/elections/{running.election.pk}", token).json()
    names = [c["name"] for c in detail["candidates"]]
    assert names == sorted(names)
    assert [c["number"] for c in detail["candidates"]] == [1, 2, 3, 4]
    assert {c["status"] for c in detail["candidates"]} == {"standing"}
    assert (detail["may_vote"], detail["has_voted"], detail["may_manage"]) == (True, False, False)
    services.ballot_cast(
        actor=running.voters["votante-1"],
        election_id=running.election.pk,
        choices=[running.candidates[0].pk],
    )
    after = get(client, f"/elections/{running.election.pk}", token).json()
    assert (after["may_vote"], after["has_voted"]) == (False, True)
    assert get(client, f"/elections/{running.election.pk}", token_for(running.secretary)).json()[
        "may_manage"
    ]
    listed = get(client, f"/elections/{running.election.pk}/candidates", token)
    assert listed.status_code == 200
    assert listed.json() == detail["candidates"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/elections/999999", 404, id="unknown"),
        pytest.param(f"/elections/{2**70}", 422, id="beyond-any-key"),
        pytest.param("/elections/0", 422, id="zero"),
        pytest.param("/elections/abc", 422, id="not-a-number"),
    ],
)
def test_an_election_that_does_not_exist_is_refused_in_the_error_shape(
    client: Client, running: RunningElection, path: str, status: int
) -> None:
    assert_error_shape(get(client, path), status, "not_found" if status == 404 else "invalid")


def test_the_candidate_list_needs_a_token_and_the_roster(
    client: Client, running: RunningElection, outsider: Any
) -> None:
    path = f"/elections/{running.election.pk}/candidates"
    assert_error_shape(get(client, path), 401, "unauthenticated")
    assert_error_shape(get(client, path, token_for(outsider)), 403, "permission_denied")


# --- calling an election ----------------------------------------------------------------------


def test_the_secretary_calls_an_election(
    client: Client, calling: tuple[Any, Any, Election]
) -> None:
    _secretary, _start, election = calling
    assert (election.seats, election.substitutes) == (4, 4)  # Senkata's apportioned seats
    detail = get(client, f"/elections/{election.pk}").json()
    assert detail["phase"] == "nominations"
    assert detail["nominated"] == 0
    assert LedgerEntry.objects.filter(kind="election.called").count() == 1


def test_calling_an_election_without_a_token_is_a_401_and_writes_nothing(
    client: Client, federation: SmallFederation
) -> None:
    from django.utils import timezone

    before = writes()
    response = post(client, "/elections/", election_payload(federation, timezone.now()))
    assert_error_shape(response, 401, "unauthenticated")
    assert writes() == before


def test_a_plain_member_cannot_call_an_election(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    from django.utils import timezone

    member = make_member(actor=operator, body=federation.neighborhood)
    token = token_for(member)
    before = writes()
    response = post(client, "/elections/", election_payload(federation, timezone.now()), token)
    assert_error_shape(response, 403, "permission_denied")
    assert writes() == before


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        pytest.param({"title": "Delegados\x00"}, 400, "invalid", id="nul-in-title"),
        pytest.param({"title": "   "}, 400, "invalid", id="blank-title"),
        pytest.param({"method": "borda"}, 400, "invalid", id="unknown-method"),
        pytest.param({"mode": "shouting"}, 400, "invalid", id="unknown-mode"),
        pytest.param({"opens_at": "2030-01-01T10:00:00"}, 400, "invalid", id="naive-instant"),
        pytest.param({"opens_at": "tomorrow"}, 422, "invalid", id="not-an-instant"),
        pytest.param({"opens_at": "2030-01-01T10:00:00\x00"}, 422, "invalid", id="nul-instant"),
        pytest.param(
            {"opens_at": "9999-12-31T20:00:00-05:00", "closes_at": "9999-12-31T23:00:00-05:00"},
            400,
            "invalid",
            id="beyond-year-9999-in-utc",
        ),
        pytest.param(
            {"opens_at": "0001-01-01T00:00:00+05:00", "closes_at": "0001-01-01T03:00:00+05:00"},
            400,
            "invalid",
            id="before-year-1-in-utc",
        ),
        pytest.param({"opens_at": 1e20}, 422, "invalid", id="instant-a-huge-number"),
        pytest.param({"council": "atlantis"}, 404, "not_found", id="unknown-council"),
        pytest.param({"body": "sen\x00kata"}, 404, "not_found", id="nul-in-slug"),
        pytest.param({"council": "huanuni"}, 400, "invalid", id="council-not-a-council"),
        pytest.param({"seats": 3}, 400, "invalid", id="seats-not-the-apportioned"),
        pytest.param({"seats": "4"}, 422, "invalid", id="seats-as-text"),
        pytest.param({"seats": 10**30}, 422, "invalid", id="seats-huge"),
        pytest.param({"substitutes": -1}, 422, "invalid", id="substitutes-negative"),
    ],
)
def test_a_bad_election_is_refused_and_writes_nothing(
    client: Client,
    federation: SmallFederation,
    operator: Any,
    changes: dict[str, object],
    status: int,
    code: str,
) -> None:
    from django.utils import timezone

    token = token_for(operator)
    before = writes()
    response = post(
        client, "/elections/", election_payload(federation, timezone.now(), **changes), token
    )
    assert_error_shape(response, status, code)
    assert writes() == before


def test_closing_before_opening_is_a_400(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    from django.utils import timezone

    now = timezone.now()
    payload = election_payload(
        federation, now, closes_at=now.isoformat(), opens_at=(now + timedelta(hours=1)).isoformat()
    )
    assert_error_shape(post(client, "/elections/", payload, token_for(operator)), 400, "invalid")


@pytest.mark.parametrize("payload", ["{not json", "[1]", ""])
def test_a_malformed_request_is_refused_in_the_error_shape(
    client: Client, federation: SmallFederation, operator: Any, payload: str
) -> None:
    response = post(client, "/elections/", payload, token_for(operator))
    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code, "invalid")
