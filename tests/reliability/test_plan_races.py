"""Races on allocation plans, with real transactions, real threads and a barrier, on PostgreSQL.

What keeps them apart:
- one vote per member and plan is the ``plan_vote_one_per_member`` unique constraint; the first
  test was seen failing with that constraint dropped from the test database: two of one member's
  eight requests were recorded (a "no" and an "abstain"), and together they rejected the plan;
- one decision per plan and one approved plan per committee come from every service starting
  with ``service_instant``, which locks the ledger head: votes run one after another, so the vote
  that decides a plan sees every vote before it, and a vote on a plan that a concurrent approval
  superseded finds it closed (Conflict). The partial unique index
  ``plan_one_approved_per_committee`` stands behind that. The third test was seen failing with
  the lock taken out of the supply services (``service_instant`` replaced by the clock, in a
  throwaway run): deadlocks between the approvals superseding each other's plans escaped the
  service as database errors instead of one approval and a Conflict for the rest.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from consejo.bodies.models import Member
from consejo.core.errors import Conflict
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.supply import services
from consejo.supply.models import Plan, PlanStatus, PlanVote
from tests.builders import SupplyScene, build_supply, propose_from_new_figures
from tests.reliability.threads import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

THREADS = 8
T0 = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def scene(operator: Any, time_machine: Any) -> SupplyScene:
    """The supply committee of three, its depot and two recipients; the clock frozen at T0."""
    time_machine.move_to(T0, tick=False)
    return build_supply(actor=operator)


def kinds(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(payload)
        for payload in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def plans(results: list[object]) -> list[Plan]:
    return [r for r in results if isinstance(r, Plan)]


def others(results: list[object]) -> list[type]:
    return [type(r) for r in results if not isinstance(r, Plan)]


def test_one_member_voting_from_many_requests_at_once_votes_once(scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    voter = scene.members[1]
    choices = ("yes", "no", "abstain")

    results = race(
        lambda i: services.plan_vote(actor=voter, plan_id=plan.pk, choice=choices[i % 3])
    )
    assert len(plans(results)) == 1, results
    assert others(results) == [Conflict] * (THREADS - 1), results
    [recorded] = PlanVote.objects.filter(plan=plan)
    assert recorded.member == Member.objects.get(user=voter)
    [entry] = kinds("plan.voted")
    assert (entry["member"], entry["choice"]) == (recorded.member_id, recorded.choice)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED  # 1 of 3 decides nothing
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_the_whole_committee_voting_at_once_decides_the_plan_once(scene: SupplyScene) -> None:
    plan = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    members = scene.members

    results = race(
        lambda i: services.plan_vote(actor=members[i], plan_id=plan.pk, choice="yes"),
        threads=len(members),
    )
    # The second vote carries the plan; the third finds it decided.
    assert [p.status for p in plans(results)].count(PlanStatus.APPROVED) == 1, results
    assert [p.status for p in plans(results)].count(PlanStatus.PROPOSED) == 1, results
    assert others(results) == [Conflict], results
    assert PlanVote.objects.filter(plan=plan).count() == 2
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.status == PlanStatus.APPROVED
    assert stored.decided_at == T0
    [approved] = kinds("plan.approved")
    assert (approved["plan"], approved["yes"], approved["members"]) == (plan.pk, 2, 3)
    assert len(kinds("plan.voted")) == 2
    assert kinds("plan.rejected") == []
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_deciding_votes_on_several_plans_at_once_approve_exactly_one(scene: SupplyScene) -> None:
    first, second, third = scene.members
    proposed = [
        propose_from_new_figures(scene, first, units=200 + index) for index in range(THREADS // 2)
    ]
    for plan in proposed:
        services.plan_vote(actor=first, plan_id=plan.pk, choice="yes")
    # Every thread casts a deciding vote (the second yes of three) on a plan of its own choice:
    # two members, each on every plan, all at once.
    deciders = (second, third)

    def vote(i: int) -> Plan:
        plan = proposed[i % len(proposed)]
        return services.plan_vote(actor=deciders[i // len(proposed)], plan_id=plan.pk, choice="yes")

    results = race(vote)
    winners = plans(results)
    assert len(winners) == 1, results
    assert winners[0].status == PlanStatus.APPROVED
    assert others(results) == [Conflict] * (THREADS - 1), results
    statuses = dict(Plan.objects.filter(committee=scene.committee).values_list("pk", "status"))
    assert statuses[winners[0].pk] == PlanStatus.APPROVED
    assert sorted(statuses.values()).count(PlanStatus.APPROVED) == 1
    assert all(
        status == PlanStatus.SUPERSEDED for pk, status in statuses.items() if pk != winners[0].pk
    ), statuses
    [approved] = kinds("plan.approved")
    assert approved["plan"] == winners[0].pk
    assert sorted(approved["superseded"]) == sorted(p.pk for p in proposed if p != winners[0])
    # One first yes per plan, and the one deciding vote: the refused votes left nothing.
    assert PlanVote.objects.count() == len(proposed) + 1
    assert len(kinds("plan.voted")) == len(proposed) + 1
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_a_second_round_of_deciding_votes_replaces_the_plan_in_force_once(
    scene: SupplyScene,
) -> None:
    first, second, third = scene.members
    in_force = services.plan_propose(actor=first, committee_id=scene.committee.pk)
    services.plan_vote(actor=first, plan_id=in_force.pk, choice="yes")
    services.plan_vote(actor=second, plan_id=in_force.pk, choice="yes")
    contenders = [propose_from_new_figures(scene, third, units=200 + i) for i in range(2)]
    for plan in contenders:
        services.plan_vote(actor=first, plan_id=plan.pk, choice="yes")

    results = race(
        lambda i: services.plan_vote(
            actor=(second, third)[i % 2], plan_id=contenders[i // 2 % 2].pk, choice="yes"
        ),
        threads=4,
    )
    assert len(plans(results)) == 1, results
    assert others(results) == [Conflict] * 3, results
    statuses = dict(Plan.objects.filter(committee=scene.committee).values_list("pk", "status"))
    assert statuses[in_force.pk] == PlanStatus.SUPERSEDED
    assert sorted(statuses[p.pk] for p in contenders) == [
        PlanStatus.APPROVED,
        PlanStatus.SUPERSEDED,
    ]
    assert len(kinds("plan.approved")) == 2
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)
