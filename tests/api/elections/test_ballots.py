"""Ballots through /api/v1/elections/{id}/ballots: one vote a member with a receipt that carries
no ballot number, every refusal in the one error shape, the secrecy of secret ballots in every read
of a counted election, and the rate limit shared with the ballot page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.elections.models import Ballot, Voter
from tests.api.api_helpers import assert_error_shape
from tests.api.elections.api import (
    api_close_and_decrypt,
    get,
    post,
    token_for,
    vote_all,
    writes,
)
from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    make_member,
    secret_box,
)

pytestmark = pytest.mark.django_db


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
