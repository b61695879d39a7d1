"""Proposing and voting on plans through the pages, and a plan's page: members propose and vote
until a plan is approved or rejected, the plan's table, chart, map, digests and JSON downloads,
a vote kept once, strangers refused, votes rate limited, and the vote of someone who has left
shown but not counted.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from consejo.supply import services
from consejo.supply.models import Plan, PlanStatus, PlanVote
from tests.builders import SupplyScene, build_supply
from tests.supply.pages.browsing import _propose, en_client, messages_of, plain, table_rows, text

pytestmark = pytest.mark.django_db


def test_members_propose_and_vote_until_the_plan_is_approved(scene: SupplyScene) -> None:
    first, second, third = (en_client(user) for user in scene.members)
    response = second.post(reverse("supply_propose", args=[scene.committee.slug]), follow=True)
    plan = Plan.objects.get()
    assert response.redirect_chain[-1][0] == reverse("supply_plan", args=[plan.pk])
    assert "The plan was computed and put to the committee's vote." in messages_of(response)
    body = text(response)
    assert "proposed" in body
    assert "Abasto Dos" in body
    assert "Carried by 2 yes votes: more than half of the committee's 3 current members." in body
    assert 'value="yes"' in body

    vote = reverse("supply_plan_vote", args=[plan.pk])
    response = first.post(vote, {"choice": "yes"}, follow=True)
    assert "Your vote was recorded." in messages_of(response)
    assert "Abasto Uno: yes" in plain(response)
    assert "You have voted on this plan." in text(response)
    assert Plan.objects.get().status == PlanStatus.PROPOSED

    response = third.post(vote, {"choice": "yes"}, follow=True)
    assert "The plan is approved: it is the plan in force." in messages_of(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    body = text(response)
    assert "approved" in body
    assert "Abasto Tres: yes" in plain(response)
    assert 'value="yes"' not in body  # no more vote buttons

    committee = plain(en_client().get(reverse("supply_committee", args=[scene.committee.slug])))
    assert f"Plan in force: Plan {plan.pk}" in committee
    barrio = text(en_client().get(reverse("supply_recipient", args=[scene.barrio.slug])))
    assert "In the plan in force" in barrio
    assert "Planta de Senkata (70)" in barrio


def test_the_plan_page_shows_the_table_chart_totals_digests_and_ledger_entry(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    page = en_client().get(reverse("supply_plan", args=[plan.pk]))
    assert page.status_code == 200
    body = text(page)
    # 100 cylinders: the clinic (tier 1) gets its 30, the barrio (tier 2) the other 70 of 400.
    rows = table_rows(body, "plan")
    assert rows == [
        ["Tier 1"],
        ["Posta de Senkata Garrafa 10 kg · Planta de Senkata (30)", "30", "30", "100.0%"],
        ["Tier 2"],
        ["Barrio Senkata Garrafa 10 kg · Planta de Senkata (70)", "400", "70", "17.5%"],
    ]
    assert "17.5%" in body
    assert "Planta de Senkata (70)" in body
    assert body.count('class="got"') == 2  # one bar per tier and item
    assert "Tier 1 · Garrafa 10 kg" in body
    assert str(plan.total_cost) in body  # 30 x 1 + 70 x 2
    assert plan.total_cost == 170
    assert plan.problem_digest in body
    assert plan.result_digest in body
    assert f"#{plan.ledger_seq}" in body
    assert "Abasto Uno" not in body  # a visitor sees no names
    assert 'class="map"' not in body  # no coordinates, no map


def test_the_json_downloads_are_the_stored_input_and_output_and_match_the_digests(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    client = en_client()
    for which, stored, digest in (
        ("input", plan.problem, plan.problem_digest),
        ("output", plan.result, plan.result_digest),
    ):
        response = client.get(reverse(f"supply_plan_{which}", args=[plan.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert f"plan-{plan.pk}-{which}.json" in response["Content-Disposition"]
        assert json.loads(response.content) == stored
        assert hashlib.sha256(response.content).hexdigest() == digest


def test_the_map_shows_depots_recipients_and_shipments_where_coordinates_exist(
    operator: Any,
) -> None:
    scene = build_supply(actor=operator)
    kitchen = services.recipient_register(
        actor=operator,
        committee_id=scene.committee.pk,
        body_id=scene.federation.neighborhood.pk,
        slug="comedor-1",
        name="Comedor 1",
        kind="kitchen",
        tier=1,
        location=services.Place(Decimal("-16.55"), Decimal("-68.19")),
    )
    services.route_set(actor=operator, depot_id=scene.depot.pk, recipient_id=kitchen.pk, cost=1)
    services.need_register(actor=operator, recipient_id=kitchen.pk, item_id=scene.gas.pk, units=5)
    services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="villa-ingenio",
        name="Villa Ingenio",
        location=services.Place(Decimal("-16.48"), Decimal("-68.17")),
    )
    plan = _propose(scene)
    body = text(en_client().get(reverse("supply_plan", args=[plan.pk])))
    assert 'class="map"' in body
    assert "<title>Villa Ingenio</title>" in body
    assert re.search(r'class="dest"', body)
    assert "h0" in body


def test_voting_twice_is_a_message_and_one_vote_is_kept(scene: SupplyScene) -> None:
    plan = _propose(scene)
    client = en_client(scene.members[0])
    vote = reverse("supply_plan_vote", args=[plan.pk])
    client.post(vote, {"choice": "no"})
    response = client.post(vote, {"choice": "yes"}, follow=True)
    assert response.status_code == 200
    assert "you have already voted on this plan" in messages_of(response)
    assert list(PlanVote.objects.values_list("choice", flat=True)) == ["no"]


def test_someone_outside_the_committee_cannot_vote_or_propose(
    scene: SupplyScene, outsider: Any
) -> None:
    plan = _propose(scene)
    for user in (outsider, scene.counter, scene.junta):
        client = en_client(user)
        response = client.post(reverse("supply_plan_vote", args=[plan.pk]), {"choice": "yes"})
        assert response.status_code == 403
        assert "You may not vote on this plan" in text(response)
        assert 'value="yes"' not in text(client.get(reverse("supply_plan", args=[plan.pk])))
        response = client.post(reverse("supply_propose", args=[scene.committee.slug]))
        assert response.status_code == 403
    assert PlanVote.objects.count() == 0
    assert Plan.objects.count() == 1


def test_a_bad_choice_is_a_message(scene: SupplyScene) -> None:
    plan = _propose(scene)
    response = en_client(scene.members[0]).post(
        reverse("supply_plan_vote", args=[plan.pk]), {"choice": "maybe"}, follow=True
    )
    assert "Choose yes, no or abstain." in messages_of(response)
    assert PlanVote.objects.count() == 0


def test_two_no_votes_reject_the_plan_and_voting_on_it_then_is_a_message(
    scene: SupplyScene,
) -> None:
    plan = _propose(scene)
    vote = reverse("supply_plan_vote", args=[plan.pk])
    en_client(scene.members[0]).post(vote, {"choice": "no"})
    response = en_client(scene.members[1]).post(vote, {"choice": "abstain"}, follow=True)
    assert "The plan can no longer be carried: it is rejected." in messages_of(response)
    response = en_client(scene.members[2]).post(vote, {"choice": "yes"}, follow=True)
    assert "this plan is no longer open to a vote" in messages_of(response)


def test_proposing_without_recipients_is_a_message(operator: Any) -> None:
    from consejo.bodies import services as bodies
    from consejo.bodies.models import BodyKind
    from tests.builders import build_small_federation, make_member

    federation = build_small_federation(actor=operator)
    empty = bodies.body_create(
        actor=operator,
        name="Comité vacío",
        slug="vacio",
        kind=BodyKind.COMMITTEE,
        parent_id=federation.council.pk,
    )
    member = make_member(actor=operator, body=empty, username="vacio-1")
    response = en_client(member).post(reverse("supply_propose", args=["vacio"]), follow=True)
    assert response.status_code == 200
    assert "has no depots or no recipients yet" in messages_of(response)[0]


def test_votes_on_plans_are_rate_limited_per_person(scene: SupplyScene) -> None:
    plan = _propose(scene)
    client = en_client(scene.members[0])
    vote = reverse("supply_plan_vote", args=[plan.pk])
    statuses = [client.post(vote, {"choice": "maybe"}).status_code for _ in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert "Too many attempts" in text(client.post(vote, {"choice": "yes"}))
    assert PlanVote.objects.count() == 0


def test_the_vote_of_someone_who_left_the_committee_is_shown_but_not_counted(
    operator: Any, scene: SupplyScene
) -> None:
    from consejo.bodies import services as bodies
    from consejo.bodies.models import Membership

    plan = _propose(scene)
    services.plan_vote(actor=scene.members[2], plan_id=plan.pk, choice="yes")
    gone = Membership.objects.get(body=scene.committee, member__user=scene.members[2])
    bodies.membership_end(actor=operator, membership_id=gone.pk)
    body = plain(en_client(scene.members[0]).get(reverse("supply_plan", args=[plan.pk])))
    assert "0 yes · 0 no · 0 abstain" in body
    assert "Abasto Tres: yes" in body
    assert "no longer a member: not counted" in body
    assert "Carried by 2 yes votes: more than half of the committee's 2 current members." in body
