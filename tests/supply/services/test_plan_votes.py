"""Voting on a plan (consejo.supply.services.plans.plan_vote), on SQLite and on PostgreSQL: more
than half of the committee's current members carry or reject it, each member votes once, a
decided plan takes no more votes, and an approval supersedes the plan in force and every open
proposal; members who join or leave meanwhile, and logins that may act on nothing.

The scene, the other committee and the checks after each test are in this package's conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.bodies.models import Body, Member
from consejo.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from consejo.supply import services
from consejo.supply.models import Plan, PlanStatus
from tests.builders import SupplyScene, make_member, propose_from_new_figures
from tests.supply.services.records import entries, member_of, snapshot
from tests.supply.services.steps import T0, appoint_secretary, end_membership, propose, register

pytestmark = pytest.mark.django_db


# --- voting on a plan ------------------------------------------------------------------------


def vote(user: Any, plan: Plan, choice: str) -> Plan:
    return services.plan_vote(actor=user, plan_id=plan.pk, choice=choice)


def status(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


def test_two_yes_of_three_approve_the_plan(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=5))
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.PROPOSED
    decided = clock(timedelta(minutes=9))
    approved = vote(scene.members[2], plan, "yes")
    stored = Plan.objects.get(pk=plan.pk)
    assert approved.status == stored.status == PlanStatus.APPROVED
    assert stored.decided_at == decided
    assert (stored.problem, stored.result) == (plan.problem, plan.result)  # frozen as proposed
    votes = entries("plan.voted")
    assert [(v["member"], v["choice"]) for v in votes] == [
        (member_of(scene.members[1]).pk, "yes"),
        (member_of(scene.members[2]).pk, "yes"),
    ]
    assert entries("plan.approved") == [
        {
            "plan": plan.pk,
            "committee": "abastecimiento",
            "yes": 2,
            "no": 0,
            "abstain": 0,
            "members": 3,
            "problem_digest": plan.problem_digest,
            "result_digest": plan.result_digest,
            "superseded": [],
            "by": scene.members[2].pk,
        }
    ]


def test_a_member_votes_once(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    before = snapshot()
    for choice in ("yes", "no"):
        with pytest.raises(Conflict, match="already voted"):
            vote(scene.members[0], plan, choice)
    assert snapshot() == before
    assert status(plan) == PlanStatus.PROPOSED


@pytest.mark.parametrize("who", ["operator", "commission member", "junta", "outsider"])
def test_only_the_committees_members_vote(
    operator: Any, scene: SupplyScene, outsider: Any, who: str
) -> None:
    plan = propose(scene)
    actor = {
        "operator": operator,
        "commission member": scene.counter,
        "junta": scene.junta,
        "outsider": outsider,
    }[who]
    before = snapshot()
    with pytest.raises(PermissionDenied):
        vote(actor, plan, "yes")
    assert snapshot() == before


def test_a_vote_is_yes_no_or_abstain_on_a_plan_that_exists(scene: SupplyScene) -> None:
    plan = propose(scene)
    before = snapshot()
    for choice in ("si", "YES", ""):
        with pytest.raises(InvalidInput, match="yes, no or abstain"):
            vote(scene.members[0], plan, choice)
    with pytest.raises(NotFound, match="plan"):
        services.plan_vote(actor=scene.members[0], plan_id=999_999, choice="yes")
    assert snapshot() == before


def test_two_no_of_three_reject_the_plan(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "no")
    assert status(plan) == PlanStatus.PROPOSED
    assert vote(scene.members[1], plan, "no").status == PlanStatus.REJECTED
    stored = Plan.objects.get(pk=plan.pk)
    assert stored.decided_at == T0
    [rejected] = entries("plan.rejected")
    assert (rejected["yes"], rejected["no"], rejected["members"]) == (0, 2, 3)
    assert rejected["superseded"] == []


def test_abstentions_count_against_carrying(scene: SupplyScene) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "abstain")
    assert status(plan) == PlanStatus.PROPOSED  # the third could still carry it
    assert vote(scene.members[2], plan, "abstain").status == PlanStatus.REJECTED
    [rejected] = entries("plan.rejected")
    assert (rejected["yes"], rejected["no"], rejected["abstain"]) == (1, 0, 2)


@pytest.mark.parametrize("outcome", ["approved", "rejected"])
def test_a_decided_plan_takes_no_more_votes(scene: SupplyScene, outcome: str) -> None:
    plan = propose(scene)
    choice = "yes" if outcome == "approved" else "no"
    vote(scene.members[0], plan, choice)
    vote(scene.members[1], plan, choice)
    assert status(plan) == outcome
    before = snapshot()
    with pytest.raises(Conflict, match="no longer open"):
        vote(scene.members[2], plan, "yes")
    assert snapshot() == before


def test_an_approval_supersedes_the_plan_in_force_and_every_open_proposal(
    scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    first = propose(scene)
    vote(scene.members[0], first, "yes")
    vote(scene.members[1], first, "yes")
    clock(timedelta(hours=1))
    rejected = propose(scene)
    vote(scene.members[0], rejected, "no")
    vote(scene.members[1], rejected, "no")
    open_one = propose(scene)
    vote(scene.members[2], open_one, "yes")
    newest = propose_from_new_figures(scene, scene.members[0], units=120)
    decided = clock(timedelta(hours=2))
    vote(scene.members[0], newest, "yes")
    vote(scene.members[2], newest, "yes")
    plans = {p.pk: p for p in Plan.objects.filter(committee=scene.committee)}
    assert plans[newest.pk].status == PlanStatus.APPROVED
    assert plans[first.pk].status == PlanStatus.SUPERSEDED
    assert plans[open_one.pk].status == PlanStatus.SUPERSEDED
    assert plans[rejected.pk].status == PlanStatus.REJECTED  # a decision stays as it was
    assert plans[rejected.pk].decided_at == T0 + timedelta(hours=1)
    assert plans[first.pk].decided_at == plans[open_one.pk].decided_at == decided
    assert Plan.objects.filter(committee=scene.committee, status="approved").count() == 1
    assert sorted(entries("plan.approved")[-1]["superseded"]) == sorted([first.pk, open_one.pk])
    with pytest.raises(Conflict, match="no longer open"):
        vote(scene.members[1], open_one, "yes")


def test_another_committees_plans_are_not_superseded(
    operator: Any, scene: SupplyScene, other_committee: Body
) -> None:
    depot = services.depot_create(
        actor=operator,
        committee_id=other_committee.pk,
        commission_id=scene.commission.pk,
        slug="almacen-ventilla",
        name="Almacén de Ventilla",
    )
    kitchen = register(operator, scene, committee=other_committee)
    services.route_set(actor=operator, depot_id=depot.pk, recipient_id=kitchen.pk, cost=1)
    secretary = Member.objects.get(name="Otra Secretaria").user
    theirs = services.plan_propose(actor=secretary, committee_id=other_committee.pk)
    vote(secretary, theirs, "yes")  # a committee of one
    assert status(theirs) == PlanStatus.APPROVED
    ours = propose(scene)
    vote(scene.members[0], ours, "yes")
    vote(scene.members[1], ours, "yes")
    assert (status(theirs), status(ours)) == (PlanStatus.APPROVED, PlanStatus.APPROVED)


def test_a_member_who_joined_after_the_proposal_votes_and_counts(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=10))
    newcomer = make_member(actor=operator, body=scene.committee, username="abasto-4")
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 2 of 4 is not more than half
    assert vote(newcomer, plan, "yes").status == PlanStatus.APPROVED
    assert entries("plan.approved")[-1]["members"] == 4


def test_a_member_who_left_votes_no_more_and_no_longer_counts(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    clock(timedelta(minutes=10))
    end_membership(operator, scene.members[2], scene.committee)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        vote(scene.members[2], plan, "yes")
    assert snapshot() == before
    vote(scene.members[0], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 1 of 2 is not more than half
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.APPROVED
    assert entries("plan.approved")[-1]["members"] == 2


def test_the_vote_of_someone_who_has_since_left_does_not_decide(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    # The rule is a majority of the members at the instant of the decision: a yes cast by a
    # member who has left since is neither a member's vote nor a member.
    plan = propose(scene)
    vote(scene.members[2], plan, "yes")
    clock(timedelta(minutes=10))
    end_membership(operator, scene.members[2], scene.committee)
    vote(scene.members[0], plan, "yes")
    assert status(plan) == PlanStatus.PROPOSED  # 1 yes of the 2 members is not a majority
    assert vote(scene.members[1], plan, "yes").status == PlanStatus.APPROVED
    approved = entries("plan.approved")[-1]
    assert (approved["yes"], approved["members"]) == (2, 2)


def test_a_plan_stays_decidable_when_those_who_voted_have_left(
    operator: Any, scene: SupplyScene, clock: Callable[[timedelta], datetime]
) -> None:
    plan = propose(scene)
    vote(scene.members[0], plan, "yes")
    vote(scene.members[1], plan, "no")
    clock(timedelta(minutes=10))
    appoint_secretary(operator, scene.members[2], scene.committee)
    end_membership(operator, scene.members[0], scene.committee)
    end_membership(operator, scene.members[1], scene.committee)
    # Two votes on record, one member left: the last member can still decide.
    assert vote(scene.members[2], plan, "yes").status == PlanStatus.APPROVED
    approved = entries("plan.approved")[-1]
    assert (approved["yes"], approved["no"], approved["members"]) == (1, 0, 1)


def test_an_anonymous_visitor_and_a_deactivated_login_act_on_nothing(scene: SupplyScene) -> None:
    from django.contrib.auth.models import AnonymousUser

    plan = propose(scene)
    secretary, member = scene.members[0], scene.members[1]
    for user in (secretary, member, scene.counter):
        user.is_active = False
        user.save(update_fields=["is_active"])
    before = snapshot()
    for actor in (AnonymousUser(), secretary):
        with pytest.raises(PermissionDenied):
            services.item_create(actor=actor, slug="harina", name="Harina", unit="quintal")
    for actor in (AnonymousUser(), scene.counter):
        with pytest.raises(PermissionDenied):
            services.stock_count_record(
                actor=actor, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=1
            )
    for actor in (AnonymousUser(), member):
        with pytest.raises(PermissionDenied):
            vote(actor, plan, "yes")
        with pytest.raises(PermissionDenied):
            services.plan_propose(actor=actor, committee_id=scene.committee.pk)
    assert snapshot() == before
