"""The count, the result, the BLT export and the mandates under /api/v1/: the count waits for
the close, the box and the secretary; a whole election through the API; the mandates and their
history; and the paper tally, refused line by line."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from consejo.bodies.models import Membership
from consejo.boxes.models import Box
from consejo.elections.models import Election
from consejo.ledger.models import LedgerEntry
from consejo.mandates.models import Mandate
from tests.api.api_helpers import assert_error_shape
from tests.api.elections.api import (
    api_ceremony,
    api_close_and_decrypt,
    api_decrypt,
    election_payload,
    get,
    member_id,
    post,
    token_for,
    vote_all,
    writes,
)
from tests.builders import (
    RunningElection,
    SmallFederation,
    make_member,
    make_secretary,
    trustee_logins,
)

pytestmark = pytest.mark.django_db


# --- the count, the result, the BLT, the mandates ---------------------------------------------


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
    assert not Mandate.objects.filter(office="").exists()  # no seats; offices are mandates too
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
    assert_error_shape(get(client, "/mandates/", token), 400, "invalid")  # no council, no member
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
