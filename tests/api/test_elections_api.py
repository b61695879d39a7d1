"""The elections API under /api/v1/elections/ and the mandates under /api/v1/mandates/: reads,
nominations, ballots, paper tallies, the count, the result, the BLT export, the one error shape,
and the secrecy of secret ballots."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from consejo.bodies.models import Membership
from consejo.bodies.services import api_token_issue
from consejo.boxes.models import Box
from consejo.core.sealed import files, steps
from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.mandates.models import Mandate
from tests.api.test_api import assert_error_shape, bearer
from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    build_small_federation,
    make_member,
    make_secretary,
    secret_box,
    trustee_logins,
    trustee_members,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    built = build_small_federation(actor=operator)
    trustee_logins(actor=operator, body=built.neighborhood)  # the secret votes' trustees
    return built


@pytest.fixture
def running(operator: Any, federation: SmallFederation, time_machine: Any) -> RunningElection:
    """A secret Scottish STV election in Senkata, 4 candidates standing, voting open."""
    return build_running_election(actor=operator, federation=federation, traveller=time_machine)


#: The messages are asserted in English, the source language (Spanish is the default).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client: Client, path: str, payload: object, token: str | None = None) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    headers = (bearer(token) if token else {}) | ENGLISH
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def get(client: Client, path: str, token: str | None = None) -> Any:
    return client.get(f"{API}{path}", **(bearer(token) if token else {}), **ENGLISH)


def token_for(user: Any) -> str:
    return api_token_issue(user=user, name="phone")


def writes() -> tuple[int, ...]:
    return (
        Election.objects.count(),
        Candidate.objects.count(),
        Voter.objects.count(),
        Ballot.objects.count(),
        Mandate.objects.count(),
        LedgerEntry.objects.count(),
    )


def member_id(federation: SmallFederation, name: str) -> int:
    return Membership.objects.get(body=federation.neighborhood, member__name=name).member_id


def api_ceremony(client: Client, reference: str, logins: dict[int, Any]) -> dict[int, bytes]:
    """The key ceremony through the API: each trustee reads the box's file and brings each step
    with their own token, as ``consejo trustee`` and an upload would."""
    seeds = {i: os.urandom(32) for i in logins}
    for step in ("commit", "shares", "confirm"):
        for i, login in sorted(logins.items()):
            view = files.read_box(get(client, f"/boxes/{reference}").json())
            made = getattr(steps, f"step_{step}")(view, i, seeds[i])
            response = post(client, f"/boxes/{reference}/steps", made, token_for(login))
            assert response.status_code == 200, response.content
    return seeds


def api_decrypt(
    client: Client, reference: str, logins: dict[int, Any], seeds: dict[int, bytes], k: int
) -> None:
    for i in sorted(logins)[:k]:
        view = files.read_box(get(client, f"/boxes/{reference}").json())
        response = post(
            client,
            f"/boxes/{reference}/steps",
            steps.step_decrypt(view, i, seeds[i]),
            token_for(logins[i]),
        )
        assert response.status_code == 200, response.content
        assert response.json()["valid"] is True


def api_close_and_decrypt(client: Client, running: RunningElection) -> None:
    """Close the box (the secretary) and have the first k trustees decrypt, through the API."""
    closed = post(
        client, f"/elections/{running.election.pk}/close", {}, token_for(running.secretary)
    )
    assert closed.status_code == 200, closed.content
    box = running.box
    assert closed.json()["box"] == box.reference
    api_decrypt(client, box.reference, running.trustees, running.seeds, box.threshold)


def election_payload(federation: SmallFederation, start: Any, **changes: object) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "body": federation.neighborhood.slug,
        "council": federation.council.slug,
        "title": "Delegados de Senkata",
        "method": "scottish-stv",
        "mode": "secret",
        "opens_at": (start + timedelta(hours=1)).isoformat(),
        "closes_at": (start + timedelta(days=1)).isoformat(),
    }
    payload |= changes
    if payload["mode"] == "secret" and "trustees" not in payload:
        from django.contrib.auth import get_user_model

        operator = get_user_model().objects.filter(is_superuser=True).first()
        logins = trustee_logins(actor=operator, body=federation.neighborhood)
        payload["trustees"] = [m.pk for m in trustee_members(logins)]
    return payload


@pytest.fixture
def calling(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> tuple[Any, Any, Election]:
    """An election in Senkata called by its secretary, nominations open; returns the secretary,
    the instant it was called, and the election."""
    from django.utils import timezone

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood, username="sec")
    response = post(
        client=Client(),
        path="/elections/",
        payload=election_payload(federation, start),
        token=token_for(secretary),
    )
    assert response.status_code == 201, response.content
    return secretary, start, Election.objects.get(pk=response.json()["id"])


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


# --- candidates -------------------------------------------------------------------------------


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


# --- ballots ----------------------------------------------------------------------------------


def test_a_member_votes_once_and_the_receipt_carries_no_ballot_number(
    client: Client, running: RunningElection
) -> None:
    token = token_for(running.voters["votante-1"])
    choices = [c.pk for c in running.candidates[:3]]
    path = f"/elections/{running.election.pk}/ballots"
    response = post(client, path, {"candidates": choices}, token)
    assert response.status_code == 201, response.content
    receipt = response.json()
    tracker = receipt.pop("tracker")
    assert receipt == {"election": running.election.pk, "voted": True, "mode": "secret"}
    assert get(client, f"/boxes/{running.box.reference}/trackers").json() == [tracker]
    assert secret_box(running.election) == {tuple(choices): 1}
    assert not Ballot.objects.exists()  # no row of its own, so no key to leak
    before = writes()
    assert_error_shape(post(client, path, {"candidates": choices}, token), 409, "conflict")
    assert writes() == before


def test_voting_without_a_token_is_a_401(client: Client, running: RunningElection) -> None:
    path = f"/elections/{running.election.pk}/ballots"
    response = post(client, path, {"candidates": [running.candidates[0].pk]})
    assert_error_shape(response, 401, "unauthenticated")
    assert not Ballot.objects.exists()


def test_someone_who_is_not_a_member_may_not_vote(
    client: Client,
    running: RunningElection,
    federation: SmallFederation,
    operator: Any,
    outsider: Any,
) -> None:
    miner = make_member(actor=operator, body=federation.mine, username="minero", name="Minero")
    path = f"/elections/{running.election.pk}/ballots"
    for user in (outsider, miner):
        response = post(client, path, {"candidates": [running.candidates[0].pk]}, token_for(user))
        assert_error_shape(response, 403, "permission_denied")
    assert not Ballot.objects.exists()
    assert not Voter.objects.exists()


def test_voting_in_an_unknown_election_is_a_404(client: Client, running: RunningElection) -> None:
    token = token_for(running.voters["votante-1"])
    response = post(client, "/elections/999999/ballots", {"candidates": [1]}, token)
    assert_error_shape(response, 404, "not_found")


@pytest.mark.parametrize(
    ("choices", "status", "message"),
    [
        pytest.param([], 400, "empty", id="empty"),
        pytest.param("twice", 400, "twice", id="twice"),
        pytest.param([999_999], 400, "not a candidate", id="not-a-candidate"),
        pytest.param([2**70], 422, "", id="beyond-any-key"),
        pytest.param(["1"], 422, "", id="text"),
        pytest.param(["\x00"], 422, "", id="nul"),
        pytest.param([True], 422, "", id="boolean"),
        pytest.param(None, 422, "", id="null"),
        pytest.param(list(range(1, 1002)), 422, "", id="too-long"),
    ],
)
def test_a_bad_ballot_is_refused_with_a_clear_message_and_writes_nothing(
    client: Client, running: RunningElection, choices: Any, status: int, message: str
) -> None:
    if choices == "twice":
        choices = [running.candidates[0].pk, running.candidates[0].pk]
    token = token_for(running.voters["votante-1"])
    before = writes()
    response = post(
        client, f"/elections/{running.election.pk}/ballots", {"candidates": choices}, token
    )
    error = assert_error_shape(response, status, "invalid")
    assert message in error["message"]
    assert writes() == before


def test_a_block_vote_marks_at_most_one_candidate_per_seat(
    client: Client, operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    run = build_running_election(
        actor=operator,
        federation=federation,
        traveller=time_machine,
        method="plurality",
        candidates=6,
    )
    token = token_for(run.voters["votante-1"])
    choices = [c.pk for c in run.candidates[:5]]  # 4 seats
    response = post(client, f"/elections/{run.election.pk}/ballots", {"candidates": choices}, token)
    assert "at most 4" in assert_error_shape(response, 400, "invalid")["message"]


def test_voting_after_the_close_is_a_409(
    client: Client, running: RunningElection, time_machine: Any
) -> None:
    time_machine.move_to(running.closes, tick=False)
    token = token_for(running.voters["votante-1"])
    path = f"/elections/{running.election.pk}/ballots"
    response = post(client, path, {"candidates": [running.candidates[0].pk]}, token)
    assert_error_shape(response, 409, "conflict")


# --- the count, the result, the BLT, the mandates ---------------------------------------------


def vote_all(client: Client, run: RunningElection) -> None:
    ids = [c.pk for c in run.candidates]
    for i, user in enumerate(run.voters.values()):
        choices = ids[i % 3 :][:3]
        response = post(
            client,
            f"/elections/{run.election.pk}/ballots",
            {"candidates": choices},
            token_for(user),
        )
        assert response.status_code == 201, response.content


def test_the_count_waits_for_the_close_and_the_secretary(
    client: Client, running: RunningElection, time_machine: Any
) -> None:
    vote_all(client, running)
    path = f"/elections/{running.election.pk}/count"
    secretary = token_for(running.secretary)
    assert_error_shape(post(client, path, {}, secretary), 409, "conflict")
    time_machine.move_to(running.closes, tick=False)
    assert_error_shape(post(client, path, {}), 401, "unauthenticated")
    voter = token_for(running.voters["votante-1"])
    assert_error_shape(post(client, path, {}, voter), 403, "permission_denied")
    assert_error_shape(
        get(client, f"/elections/{running.election.pk}/result", voter), 409, "conflict"
    )
    assert_error_shape(
        get(client, f"/elections/{running.election.pk}/ballots.blt", voter), 409, "conflict"
    )
    assert not Mandate.objects.exists()
    assert_error_shape(post(client, path, {}, secretary), 409, "conflict")  # the box is shut
    close = f"/elections/{running.election.pk}/close"
    plain = token_for(running.voters["votante-6"])  # neither secretary nor trustee
    assert_error_shape(post(client, close, {}, plain), 403, "permission_denied")
    api_close_and_decrypt(client, running)
    assert_error_shape(post(client, close, {}, secretary), 409, "conflict")  # once
    response = post(client, path, {}, secretary)
    assert response.status_code == 200, response.content
    assert_error_shape(post(client, path, {}, secretary), 409, "conflict")


def test_counting_an_unknown_election_is_a_404(client: Client, operator: Any) -> None:
    response = post(client, "/elections/999999/count", {}, token_for(operator))
    assert_error_shape(response, 404, "not_found")


def test_a_whole_election_through_the_api(
    client: Client, operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    from django.utils import timezone

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood, username="sec")
    sec = token_for(secretary)
    voters = {
        i: make_member(
            actor=operator,
            body=federation.neighborhood,
            username=f"vot{i}",
            name=f"Votante {i:02d}",
        )
        for i in range(1, 8)
    }
    tokens = {i: token_for(user) for i, user in voters.items()}
    called = post(client, "/elections/", election_payload(federation, start, substitutes=1), sec)
    assert called.status_code == 201, called.content
    eid = called.json()["id"]
    logins = trustee_logins(actor=operator, body=federation.neighborhood)
    reference = Box.objects.get(purpose=f"election:{eid}").reference
    assert get(client, f"/elections/{eid}").json()["box"] == reference
    state = get(client, f"/boxes/{reference}/state").json()
    assert (state["step"], state["missing"], state["threshold"]) == ("commit", [1, 2, 3], 2)
    seeds = api_ceremony(client, reference, logins)
    assert get(client, f"/boxes/{reference}/state").json()["keyed"] is True
    # Five stand: four nominate themselves, the secretary nominates the fifth in the assembly.
    cids = []
    for i in range(1, 5):
        nominated = post(
            client, f"/elections/{eid}/candidates", {"member": voters[i].member.pk}, tokens[i]
        )
        assert nominated.status_code == 201, nominated.content
        cids.append(nominated.json()["candidate"])
    fifth = post(client, f"/elections/{eid}/candidates", {"member": voters[5].member.pk}, sec)
    cids.append(fifth.json()["candidate"])
    assert get(client, f"/elections/{eid}").json()["standing"] == 5

    time_machine.move_to(start + timedelta(hours=2), tick=False)
    ballots = {1: [0, 1], 2: [1, 0], 3: [2, 0], 4: [3, 2], 5: [0, 3], 6: [1, 2], 7: [0]}
    for i, prefs in ballots.items():
        choices = [cids[p] for p in prefs]
        response = post(client, f"/elections/{eid}/ballots", {"candidates": choices}, tokens[i])
        assert response.status_code == 201, response.content
    detail = get(client, f"/elections/{eid}").json()
    assert (detail["voters"], detail["ballots"], detail["phase"]) == (7, 7, "voting")

    time_machine.move_to(start + timedelta(days=1), tick=False)
    assert post(client, f"/elections/{eid}/close", {}, sec).status_code == 200
    api_decrypt(client, reference, logins, seeds, 2)
    counted = post(client, f"/elections/{eid}/count", {}, sec)
    assert counted.status_code == 200, counted.content
    result = get(client, f"/elections/{eid}/result", tokens[6])
    assert result.status_code == 200, result.content
    record = result.json()
    assert record == counted.json()
    assert record["elected"] == record["result"]["elected"]
    assert len(record["elected"]) == 4
    assert record["order_of_merit"][:4] == record["elected"]
    assert record["result"]["rounds"]
    assert record["result"]["valid_ballots"] == 7
    assert record["seed"]
    assert record["seed"] == record["result"]["seed"]
    assert record["ledger_seq"] == LedgerEntry.objects.get(kind="election.counted").seq
    roles = [(m["name"], m["role"], m["rank"]) for m in record["mandates"]]
    assert [r for r in roles if r[1] == "delegate"] == [
        (name, "delegate", rank) for rank, name in enumerate(record["elected"], start=1)
    ]
    assert [r for r in roles if r[1] == "substitute"] == [
        (record["order_of_merit"][4], "substitute", 1)
    ]

    mandates = get(client, "/mandates/?council=el-alto-council", tokens[1])
    assert mandates.status_code == 200, mandates.content
    assert {(m["name"], m["role"]) for m in mandates.json()} == {(n, r) for n, r, _k in roles}
    assert all(m["end"] is None and m["election"] == eid for m in mandates.json())
    assert get(client, f"/elections/{eid}").json()["phase"] == "counted"

    blt = get(client, f"/elections/{eid}/ballots.blt", tokens[1])
    assert blt.status_code == 200
    assert blt["Content-Type"].startswith("text/plain")
    text = blt.content.decode()
    assert text.splitlines()[0] == "5 4"
    assert '"Delegados de Senkata"' in text


def test_mandates_need_a_token_and_the_councils_roster(
    client: Client, running: RunningElection, outsider: Any
) -> None:
    assert_error_shape(get(client, "/mandates/?council=el-alto-council"), 401, "unauthenticated")
    response = get(client, "/mandates/?council=el-alto-council", token_for(outsider))
    assert_error_shape(response, 403, "permission_denied")
    token = token_for(running.voters["votante-1"])
    assert_error_shape(get(client, "/mandates/?council=atlantis", token), 404, "not_found")
    assert_error_shape(get(client, "/mandates/", token), 422, "invalid")
    assert_error_shape(
        get(client, "/mandates/?council=el-alto-council&current=maybe", token), 422, "invalid"
    )


def test_a_new_delegation_ends_the_old_one_and_history_shows_both(
    client: Client, running: RunningElection, time_machine: Any, operator: Any
) -> None:
    vote_all(client, running)
    time_machine.move_to(running.closes, tick=False)
    sec = token_for(running.secretary)
    api_close_and_decrypt(client, running)
    assert post(client, f"/elections/{running.election.pk}/count", {}, sec).status_code == 200
    # A paper by-election in the assembly replaces the delegation.
    later = running.closes + timedelta(days=2)
    time_machine.move_to(later, tick=False)
    payload = {
        "body": "senkata",
        "council": "el-alto-council",
        "title": "Cabildo de Senkata",
        "method": "plurality",
        "mode": "paper",
        "opens_at": later.isoformat(),
        "closes_at": (later + timedelta(hours=3)).isoformat(),
        "substitutes": 0,
    }
    called = post(client, "/elections/", payload, sec)
    assert called.status_code == 201, called.content
    eid = called.json()["id"]
    names = Membership.objects.filter(body=running.election.body).order_by("-member__name")[:4]
    cids = [
        post(client, f"/elections/{eid}/candidates", {"member": m.member_id}, sec).json()[
            "candidate"
        ]
        for m in names
    ]
    tally = post(
        client,
        f"/elections/{eid}/tally",
        {"ballots": [{"candidates": cids, "count": 40}, {"candidates": cids[:2], "count": 3}]},
        sec,
    )
    assert tally.status_code == 200, tally.content
    assert tally.json() == {"election": eid, "ballots": 43}
    assert post(client, f"/elections/{eid}/count", {}, sec).status_code == 200

    token = token_for(running.voters["votante-1"])
    now = get(client, "/mandates/?council=el-alto-council&current=true", token).json()
    assert {m["election"] for m in now} == {eid}
    ever = get(client, "/mandates/?council=el-alto-council&current=false", token).json()
    assert {m["election"] for m in ever} == {eid, running.election.pk}
    old = [m for m in ever if m["election"] == running.election.pk]
    assert all(m["end"] and m["replaced_by"] for m in old)


# --- paper tallies ----------------------------------------------------------------------------


@pytest.fixture
def paper(
    client: Client, calling: tuple[Any, Any, Election], federation: SmallFederation
) -> tuple[str, int, list[int]]:
    """A paper election with two candidates named by the secretary; the assembly is voting."""
    secretary, start, _online = calling
    sec = token_for(secretary)
    payload = election_payload(
        federation, start, mode="paper", method="plurality", opens_at=start.isoformat(), seats=None
    )
    eid = post(client, "/elections/", payload, sec).json()["id"]
    cids = [
        post(
            client, f"/elections/{eid}/candidates", {"member": member_id(federation, name)}, sec
        ).json()["candidate"]
        for name in federation.neighborhood_names[:5]
    ]
    return sec, eid, cids


@pytest.mark.parametrize(
    ("ballots", "status", "message"),
    [
        pytest.param([], 400, "no ballots", id="empty"),
        pytest.param([{"candidates": "first", "count": 0}], 400, "line 1", id="zero-count"),
        pytest.param([{"candidates": [999_999], "count": 2}], 400, "line 1", id="not-a-candidate"),
        pytest.param([{"candidates": "first", "count": 10**8}], 400, "line 1", id="too-many"),
        pytest.param([{"candidates": "first", "count": "2"}], 422, "", id="count-as-text"),
        pytest.param([{"candidates": "first"}], 422, "", id="no-count"),
        pytest.param([{"candidates": ["\x00"], "count": 1}], 422, "", id="nul"),
    ],
)
def test_a_bad_tally_is_refused_and_writes_nothing(
    client: Client,
    paper: tuple[str, int, list[int]],
    ballots: list[dict[str, Any]],
    status: int,
    message: str,
) -> None:
    sec, eid, cids = paper
    for row in ballots:
        if row.get("candidates") == "first":
            row["candidates"] = [cids[0]]
    before = writes()
    response = post(client, f"/elections/{eid}/tally", {"ballots": ballots}, sec)
    assert message in assert_error_shape(response, status, "invalid")["message"]
    assert writes() == before


def test_a_tally_needs_the_secretary_and_a_paper_election(
    client: Client,
    paper: tuple[str, int, list[int]],
    calling: tuple[Any, Any, Election],
    federation: SmallFederation,
    operator: Any,
) -> None:
    _sec, eid, cids = paper
    online_election = calling[2]
    row = {"ballots": [{"candidates": [cids[0]], "count": 3}]}
    assert_error_shape(post(client, f"/elections/{eid}/tally", row), 401, "unauthenticated")
    member = make_member(
        actor=operator, body=federation.neighborhood, username="mmm", name="Mama Ocllo"
    )
    assert_error_shape(
        post(client, f"/elections/{eid}/tally", row, token_for(member)), 403, "permission_denied"
    )
    online = post(client, f"/elections/{online_election.pk}/tally", row, token_for(operator))
    assert_error_shape(online, 400, "invalid")
    assert_error_shape(
        post(client, "/elections/999999/tally", row, token_for(operator)), 404, "not_found"
    )


def test_nobody_votes_online_in_a_paper_election(
    client: Client, paper: tuple[str, int, list[int]], federation: SmallFederation, operator: Any
) -> None:
    _sec, eid, cids = paper
    member = make_member(
        actor=operator, body=federation.neighborhood, username="mmm", name="Mama Ocllo"
    )
    response = post(
        client, f"/elections/{eid}/ballots", {"candidates": [cids[0]]}, token_for(member)
    )
    assert "paper" in assert_error_shape(response, 400, "invalid")["message"]


# --- secrecy ----------------------------------------------------------------------------------


def test_no_read_links_a_secret_ballot_to_its_voter(
    client: Client, running: RunningElection, time_machine: Any, operator: Any
) -> None:
    vote_all(client, running)
    time_machine.move_to(running.closes, tick=False)
    sec = token_for(running.secretary)
    api_close_and_decrypt(client, running)
    counted = post(client, f"/elections/{running.election.pk}/count", {}, sec)
    assert counted.status_code == 200
    token = token_for(operator)
    eid = running.election.pk
    reads = [
        counted,
        get(client, f"/elections/{eid}", token),
        get(client, f"/elections/{eid}/candidates", token),
        get(client, f"/elections/{eid}/result", token),
        get(client, f"/elections/{eid}/ballots.blt", token),
        get(client, "/elections/", token),
        get(client, "/mandates/?council=el-alto-council&current=false", token),
    ]
    text = "\n".join(r.content.decode() for r in reads)
    voters = {u.member.name for u in running.voters.values()}
    assert [r.status_code for r in reads] == [200] * len(reads), [r.content for r in reads]
    assert not any(name in text for name in voters)
    assert not any(str(pk) in text for pk in Ballot.objects.values_list("pk", flat=True))
    # The BLT groups identical ballots and sorts them: its rows say nothing of the order of voting.
    lines = reads[4].content.decode().splitlines()
    rows = [tuple(int(n) for n in line.split()) for line in lines[1 : lines.index("0")]]
    rankings = [row[1:-1] for row in rows]
    assert rankings == sorted(set(rankings))
    assert sum(row[0] for row in rows) == len(running.voters)


def test_voting_is_rate_limited_together_with_the_ballot_page(
    client: Client, running: RunningElection
) -> None:
    from consejo.common.ratelimit import VOTE_LIMIT

    token = token_for(running.voters["votante-1"])
    path = f"/elections/{running.election.pk}/ballots"
    for _attempt in range(VOTE_LIMIT):
        assert_error_shape(post(client, path, {"candidates": []}, token), 400, "invalid")
    response = post(client, path, {"candidates": [running.candidates[0].pk]}, token)
    assert_error_shape(response, 429, "rate_limited")
    assert not Voter.objects.exists()
    # The ballot page counts the same attempts.
    page = Client()
    page.force_login(running.voters["votante-1"])
    ballot_page = page.post(f"/elections/{running.election.pk}/vote/", {})
    assert ballot_page.status_code == 429
