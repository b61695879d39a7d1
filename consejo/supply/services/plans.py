"""Allocation plans: proposed from the committee's current figures, decided by its members'
votes."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    is_member,
    is_operator,
    refuse,
    require,
)
from consejo.common.actors import Actor
from consejo.common.rows import row_created, row_of
from consejo.core import allocation as solver
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.ledger import json_digest
from consejo.core.votes import Decision, Refusal, Tally, majority_of_members, vote_refusal
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.supply.models import (
    Plan,
    PlanStatus,
    PlanVote,
    VoteChoice,
)
from consejo.supply.selectors import committee_problem, plan_tally
from consejo.supply.services._checks import _committee


def plan_propose(*, actor: Actor, committee_id: int, at: datetime | None = None) -> Plan:
    """Compute a plan from the committee's current figures and put it to the committee's vote.

    The input is built from the newest stock count of every item in the committee's depots, the
    newest need of every recipient it serves, their tiers and routes; the solver
    (consejo.core.allocation) decides. Input and output are stored as they are, and their
    digests enter the ledger. A proposal from the same input as one still open to the vote is
    refused: it would only split the committee's votes between two copies of one plan.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        committee = _committee(committee_id)
        proposer = actor_member(actor)
        require(
            is_operator(actor) or (proposer is not None and is_member(proposer, committee, at)),
            actor=actor,
            action=gettext_noop("propose an allocation plan"),
            target=committee,
        )
        problem = committee_problem(committee)
        if not problem["depots"] or not problem["recipients"]:
            raise Conflict(_("%(body)s has no depots or no recipients yet") % {"body": committee})
        # The head lock taken by service_instant serializes proposals: two identical ones sent at
        # once cannot both pass this check.
        same = (
            Plan.objects.filter(
                committee=committee, status=PlanStatus.PROPOSED, problem_digest=json_digest(problem)
            )
            .values_list("pk", flat=True)
            .first()
        )
        if same is not None:
            raise Conflict(
                _(
                    "plan %(plan)s, computed from these same figures, is still open to the "
                    "committee's vote: vote on it, or record the new figures first"
                )
                % {"plan": same}
            )
        result = solver.to_json(solver.allocate(solver.problem_of(problem)))
        plan = Plan.objects.create(
            committee=committee,
            proposed_at=at,
            proposed_by_id=actor_ref(actor),
            problem=problem,
            result=result,
            problem_digest=json_digest(problem),
            result_digest=json_digest(result),
            total_cost=int(result["total_cost"]),  # type: ignore[call-overload]
            ledger_seq=0,
        )
        entry = ledger_append(
            Kind.PLAN_PROPOSED,
            {
                "plan": plan.pk,
                "committee": committee.slug,
                "problem_digest": plan.problem_digest,
                "result_digest": plan.result_digest,
                "total_cost": plan.total_cost,
                "by": actor_ref(actor),
            },
            at=at,
        )
        plan.ledger_seq = entry.seq
        plan.save(update_fields=["ledger_seq"])
    return plan


def plan_vote(*, actor: Actor, plan_id: int, choice: str, at: datetime | None = None) -> Plan:
    """Record the actor's vote on a proposed plan, by name; decide it when the vote is decisive.

    Rule (consejo.core.votes.majority_of_members): carried by more than half of the committee's
    current members. When carried, the plan is approved and frozen, the plan previously in force
    and every other open proposal of the committee are superseded; when it can no longer be
    carried, it is rejected.
    """
    if choice not in VoteChoice.values:
        raise InvalidInput(_("a vote is yes, no or abstain"))
    with transaction.atomic(durable=True):
        at = service_instant(at)
        plan = row_of(
            Plan.objects.select_related("committee"), plan_id, _("no such plan"), lock=True
        )
        voter = actor_member(actor)
        refusal = vote_refusal(
            entitled=voter is not None and is_member(voter, plan.committee, at),
            open_=plan.status == PlanStatus.PROPOSED,
            has_voted=PlanVote.objects.filter(plan=plan, member=voter).exists(),
        )
        if voter is None or refusal is Refusal.NOT_ENTITLED:
            refuse(actor=actor, action=gettext_noop("vote on this plan"), target=plan)
        if refusal is Refusal.CLOSED:
            raise Conflict(_("this plan is no longer open to a vote"))
        if refusal is Refusal.ALREADY_VOTED:
            raise Conflict(_("you have already voted on this plan"))
        row_created(
            PlanVote,
            _("you have already voted on this plan"),
            plan=plan,
            member=voter,
            choice=choice,
            cast_at=at,
        )
        ledger_append(
            Kind.PLAN_VOTED,
            {"plan": plan.pk, "member": voter.pk, "choice": choice, "by": actor_ref(actor)},
            at=at,
        )
        tally, present = plan_tally(plan=plan, at=at)
        members = len(present)
        decision = majority_of_members(
            yes=tally.yes, no=tally.no, abstain=tally.abstain, members=members
        )
        if decision is not Decision.OPEN:
            _decide(plan, decision, tally, members, at=at, by=actor_ref(actor))
    return plan


def _decide(
    plan: Plan,
    decision: Decision,
    tally: Tally,
    members: int,
    *,
    at: datetime,
    by: int | None,
) -> None:
    approved = decision is Decision.CARRIED
    if approved:
        others = Plan.objects.filter(committee=plan.committee).exclude(pk=plan.pk)
        superseded = list(
            others.filter(status__in=[PlanStatus.APPROVED, PlanStatus.PROPOSED]).values_list(
                "pk", flat=True
            )
        )
        others.filter(pk__in=superseded).update(status=PlanStatus.SUPERSEDED, decided_at=at)
    plan.status = PlanStatus.APPROVED if approved else PlanStatus.REJECTED
    plan.decided_at = at
    plan.save(update_fields=["status", "decided_at"])
    ledger_append(
        Kind.PLAN_APPROVED if approved else Kind.PLAN_REJECTED,
        {
            "plan": plan.pk,
            "committee": plan.committee.slug,
            "yes": tally.yes,
            "no": tally.no,
            "abstain": tally.abstain,
            "members": members,
            "problem_digest": plan.problem_digest,
            "result_digest": plan.result_digest,
            "superseded": superseded if approved else [],
            "by": by,
        },
        at=at,
    )
