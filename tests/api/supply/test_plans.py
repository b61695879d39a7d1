"""The supply API's plans: a committee member proposes one from the current figures, anyone reads
it and its tally (only members see who voted), votes are checked and counted once, more than half
of the current members carry or reject it, proposals and votes are rate limited together with
the pages, and the whole flow through the API with tokens, where the next approval supersedes
the first.

The scene (tests.builders.build_supply, in this package's conftest.py) has a supply committee
of three, a control commission with its counter, the gas depot of Senkata, a clinic and the
barrio of Senkata.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.common import ratelimit
from consejo.core.ledger import json_digest
from consejo.ledger.models import LedgerEntry
from consejo.supply import services
from consejo.supply.models import Plan, PlanVote
from tests.api.supply.calls import get, post, refused, token_for, writes
from tests.builders import SupplyScene, build_supply, make_member, propose_from_new_figures

pytestmark = pytest.mark.django_db


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
