"""Candidates through /api/v1/elections/{id}/candidates: nominating oneself or another member,
accepting and withdrawing, until voting opens, and every refusal in the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.bodies.models import Membership
from consejo.elections.models import Candidate, Election
from tests.api.api_helpers import assert_error_shape
from tests.api.elections.api import member_id, post, token_for, writes
from tests.builders import RunningElection, SmallFederation, make_member

pytestmark = pytest.mark.django_db


def test_a_member_nominates_herself_and_stands_at_once(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation, operator: Any
) -> None:
    _secretary, _start, election = calling
    rosa = make_member(actor=operator, body=federation.neighborhood, username="rosa", name="Rosa")
    token = token_for(rosa)
    response = post(
        client,
        f"/elections/{election.pk}/candidates",
        {"member": rosa.member.pk, "statement": "Gas para Senkata."},
        token,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["status"], body["number"]) == ("Rosa", "standing", 1)
    assert body["statement"] == "Gas para Senkata."


def test_a_nominee_accepts_then_withdraws(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation, operator: Any
) -> None:
    _secretary, _start, election = calling
    rosa = make_member(actor=operator, body=federation.neighborhood, username="rosa", name="Rosa")
    juan = make_member(actor=operator, body=federation.neighborhood, username="juan", name="Juan")
    nominated = post(
        client, f"/elections/{election.pk}/candidates", {"member": juan.member.pk}, token_for(rosa)
    )
    assert nominated.status_code == 201, nominated.content
    assert (nominated.json()["status"], nominated.json()["number"]) == ("nominated", None)
    cid = nominated.json()["candidate"]
    # Only the nominee (or the secretary) decides.
    refused = post(client, f"/elections/{election.pk}/candidates/{cid}/accept", {}, token_for(rosa))
    assert_error_shape(refused, 403, "permission_denied")
    juan_token = token_for(juan)
    accepted = post(client, f"/elections/{election.pk}/candidates/{cid}/accept", {}, juan_token)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "standing"
    again = post(client, f"/elections/{election.pk}/candidates/{cid}/accept", {}, juan_token)
    assert_error_shape(again, 409, "conflict")
    withdrawn = post(client, f"/elections/{election.pk}/candidates/{cid}/withdraw", {}, juan_token)
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawn_at"] is not None


def test_nominating_twice_is_a_409(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation
) -> None:
    secretary, _start, election = calling
    token = token_for(secretary)
    payload = {"member": member_id(federation, federation.neighborhood_names[0])}
    assert post(client, f"/elections/{election.pk}/candidates", payload, token).status_code == 201
    response = post(client, f"/elections/{election.pk}/candidates", payload, token)
    assert_error_shape(response, 409, "conflict")


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        pytest.param({"member": 999_999}, 404, "not_found", id="unknown-member"),
        pytest.param({"member": 2**70}, 422, "invalid", id="beyond-any-key"),
        pytest.param({"member": "1"}, 422, "invalid", id="member-as-text"),
        pytest.param({}, 422, "invalid", id="no-member"),
    ],
)
def test_a_bad_nomination_is_refused_and_writes_nothing(
    client: Client,
    calling: tuple[Any, Any, Election],
    payload: dict[str, object],
    status: int,
    code: str,
) -> None:
    secretary, _start, election = calling
    token = token_for(secretary)
    before = writes()
    response = post(client, f"/elections/{election.pk}/candidates", payload, token)
    assert_error_shape(response, status, code)
    assert writes() == before


def test_a_statement_with_a_nul_is_a_400(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation
) -> None:
    secretary, _start, election = calling
    payload = {
        "member": member_id(federation, federation.neighborhood_names[0]),
        "statement": "hola\x00",
    }
    response = post(client, f"/elections/{election.pk}/candidates", payload, token_for(secretary))
    assert_error_shape(response, 400, "invalid")
    assert not Candidate.objects.exists()


def test_a_member_of_another_body_cannot_nominate_and_learns_nothing_of_the_roster(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation, outsider: Any
) -> None:
    _secretary, _start, election = calling
    for member in (member_id(federation, federation.neighborhood_names[0]), 999_999):
        response = post(
            client, f"/elections/{election.pk}/candidates", {"member": member}, token_for(outsider)
        )
        assert_error_shape(response, 403, "permission_denied")


def test_a_member_of_another_body_is_not_a_nominee(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation
) -> None:
    secretary, _start, election = calling
    miner = Membership.objects.filter(body=federation.mine).first()
    assert miner is not None
    response = post(
        client,
        f"/elections/{election.pk}/candidates",
        {"member": miner.member_id},
        token_for(secretary),
    )
    assert_error_shape(response, 404, "not_found")


def test_nominations_close_when_voting_opens(client: Client, running: RunningElection) -> None:
    token = token_for(running.secretary)
    names = Membership.objects.filter(body=running.election.body).order_by("-member__name")
    response = post(
        client,
        f"/elections/{running.election.pk}/candidates",
        {"member": names[0].member_id},
        token,
    )
    assert_error_shape(response, 409, "conflict")
    cid = running.candidates[0].pk
    withdraw = post(
        client, f"/elections/{running.election.pk}/candidates/{cid}/withdraw", {}, token
    )
    assert_error_shape(withdraw, 409, "conflict")


def test_a_candidate_of_another_election_is_a_404(
    client: Client, running: RunningElection, operator: Any
) -> None:
    cid = running.candidates[0].pk
    for path in (
        f"/elections/999999/candidates/{cid}/accept",
        f"/elections/{running.election.pk}/candidates/999999/withdraw",
    ):
        assert_error_shape(post(client, path, {}, token_for(operator)), 404, "not_found")


def test_deciding_on_a_nomination_without_a_token_is_a_401(
    client: Client, running: RunningElection
) -> None:
    cid = running.candidates[0].pk
    response = post(client, f"/elections/{running.election.pk}/candidates/{cid}/accept", {})
    assert_error_shape(response, 401, "unauthenticated")
