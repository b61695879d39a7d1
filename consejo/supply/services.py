"""The one write path for supply: items, depots, stock counts, recipients, routes, needs, and the
allocation plans a supply committee proposes and approves by a recorded vote.

Each service is one durable transaction: take the ledger lock and fix the instant, check
authority at that instant from current memberships, write, append the ledger entry last. The rules
of the allocation live in consejo.core.allocation, the rule of the vote in consejo.core.votes.

Who does what:
- an operator, or a supply committee's secretary: items, depots, recipients (with their tier) and
  routes of that committee;
- any current member of a depot's control commission: its stock counts;
- the secretary of a recipient's own body: its needs;
- any current member of the supply committee: propose a plan, and vote on it by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    current,
    is_member,
    is_operator,
    refuse,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.models import Body, BodyKind, Membership, MembershipRole
from consejo.common.actors import Actor
from consejo.common.rows import row_of
from consejo.common.text import clean_text
from consejo.core import allocation as solver
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.ledger import json_digest
from consejo.core.slugs import is_slug
from consejo.core.votes import Decision, Refusal, Tally, majority_of_members, vote_refusal
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.supply.models import (
    MAX_COST,
    MAX_TIER,
    MAX_UNITS,
    Depot,
    Item,
    Need,
    Plan,
    PlanStatus,
    PlanVote,
    Recipient,
    RecipientKind,
    Route,
    StockCount,
    VoteChoice,
)
from consejo.supply.selectors import committee_problem, plan_tally


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is, for the plan's map (both or neither)."""

    latitude: Decimal
    longitude: Decimal


def item_create(
    *, actor: Actor, slug: str, name: str, unit: str, at: datetime | None = None
) -> Item:
    """Register an item distributed in whole units (an operator or a committee's secretary)."""
    slug = _slug(slug, max_length=60)  # Item.slug holds 60 characters (a depot's, 80)
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    unit = clean_text(unit, label=_("unit"), max_length=60, required=True)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        require(
            is_operator(actor) or _secretary_of_a_committee(actor, at),
            actor=actor,
            action=gettext_noop("register an item"),
            target=name,
        )
        try:
            with transaction.atomic():
                item = Item.objects.create(slug=slug, name=name, unit=unit, created_at=at)
        except IntegrityError as error:
            raise Conflict(_("an item called %(slug)s exists") % {"slug": slug}) from error
        ledger_append(
            Kind.ITEM_CREATED,
            {"item": slug, "id": item.pk, "name": name, "unit": unit, "by": actor_ref(actor)},
            at=at,
        )
    return item


def depot_create(
    *,
    actor: Actor,
    committee_id: int,
    commission_id: int,
    slug: str,
    name: str,
    place: str = "",
    location: Place | None = None,
    at: datetime | None = None,
) -> Depot:
    """Register a depot: the supply committee allocates its stock, the control commission
    counts it."""
    slug = _slug(slug)
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    place = clean_text(place, label=_("place"), max_length=200)
    _check_location(location)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        committee = _committee(committee_id)
        commission = row_of(Body, commission_id, _("no such body"))
        if commission.kind != BodyKind.COMMITTEE:
            raise InvalidInput(_("%(body)s is not a committee") % {"body": commission})
        if commission.pk == committee.pk:
            # Who allocates the stock does not count it: the count checks the allocation.
            raise InvalidInput(
                _("the control commission must be another body than the supply committee")
            )
        require_secretary_or_operator(actor, committee, at, gettext_noop("register a depot"))
        try:
            with transaction.atomic():
                depot = Depot.objects.create(
                    slug=slug,
                    name=name,
                    place=place,
                    committee=committee,
                    commission=commission,
                    latitude=location.latitude if location else None,
                    longitude=location.longitude if location else None,
                    created_at=at,
                )
        except IntegrityError as error:
            raise Conflict(_("a depot called %(slug)s exists") % {"slug": slug}) from error
        ledger_append(
            Kind.DEPOT_CREATED,
            {
                "depot": slug,
                "id": depot.pk,
                "name": name,
                "place": place,
                "committee": committee.slug,
                "commission": commission.slug,
                **_location(depot),
                "by": actor_ref(actor),
            },
            at=at,
        )
    return depot


def stock_count_record(
    *,
    actor: Actor,
    depot_id: int,
    item_id: int,
    units: int,
    note: str = "",
    at: datetime | None = None,
) -> StockCount:
    """Record a count of ``item`` in a depot: the work of its control commission's members.

    The newest count is the depot's stock; older ones stay, so the record shows every count.
    """
    _check_units(units)
    note = clean_text(note, label=_("note"), max_length=500)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        depot = row_of(Depot.objects.select_related("commission"), depot_id, _("no such depot"))
        item = row_of(Item.objects.all(), item_id, _("no such item"))
        counter = actor_member(actor)
        require(
            is_operator(actor)
            or (counter is not None and is_member(counter, depot.commission, at)),
            actor=actor,
            action=gettext_noop("count the stock of a depot"),
            target=depot,
        )
        count = StockCount.objects.create(
            depot=depot, item=item, units=units, counted_at=at, counted_by=counter, note=note
        )
        ledger_append(
            Kind.STOCK_COUNTED,
            {
                "count": count.pk,
                "depot": depot.slug,
                "item": item.slug,
                "units": units,
                "note": note,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return count


def recipient_register(
    *,
    actor: Actor,
    committee_id: int,
    body_id: int,
    slug: str,
    name: str,
    kind: str,
    tier: int,
    households: int | None = None,
    location: Place | None = None,
    at: datetime | None = None,
) -> Recipient:
    """Register a recipient served by a supply committee, with its priority ``tier`` (1 is
    highest).

    ``body_id`` is the recipient's own body (the junta of a neighborhood, the workers of a
    hospital): its secretary registers the needs.
    """
    slug = _slug(slug)
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    if kind not in RecipientKind.values:
        raise InvalidInput(_("unknown kind of recipient: %(kind)s") % {"kind": kind})
    _check_tier(tier)
    if households is not None and not _is_whole(households, 0, MAX_UNITS):
        raise InvalidInput(_("households must be a whole number from 0"))
    _check_location(location)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        committee = _committee(committee_id)
        body = row_of(Body, body_id, _("no such body"))
        require_secretary_or_operator(actor, committee, at, gettext_noop("register a recipient"))
        try:
            with transaction.atomic():
                recipient = Recipient.objects.create(
                    slug=slug,
                    name=name,
                    kind=kind,
                    body=body,
                    committee=committee,
                    tier=tier,
                    households=households,
                    latitude=location.latitude if location else None,
                    longitude=location.longitude if location else None,
                    created_at=at,
                )
        except IntegrityError as error:
            raise Conflict(_("a recipient called %(slug)s exists") % {"slug": slug}) from error
        ledger_append(
            Kind.RECIPIENT_REGISTERED,
            {
                "recipient": slug,
                "id": recipient.pk,
                "name": name,
                "kind": kind,
                "body": body.slug,
                "committee": committee.slug,
                "tier": tier,
                "households": households,
                **_location(recipient),
                "by": actor_ref(actor),
            },
            at=at,
        )
    return recipient


def recipient_tier_set(
    *, actor: Actor, recipient_id: int, tier: int, at: datetime | None = None
) -> Recipient:
    """Change a recipient's priority tier (its committee's secretary)."""
    _check_tier(tier)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        recipient = row_of(
            Recipient.objects.select_related("committee"), recipient_id, _("no such recipient")
        )
        require_secretary_or_operator(
            actor, recipient.committee, at, gettext_noop("set a recipient's priority")
        )
        recipient.tier = tier
        recipient.save(update_fields=["tier"])
        ledger_append(
            Kind.RECIPIENT_TIER_CHANGED,
            {"recipient": recipient.slug, "tier": tier, "by": actor_ref(actor)},
            at=at,
        )
    return recipient


def route_set(
    *, actor: Actor, depot_id: int, recipient_id: int, cost: int, at: datetime | None = None
) -> Route:
    """Say that a depot reaches a recipient, at ``cost`` per unit (or change the cost)."""
    if not _is_whole(cost, 0, MAX_COST):
        raise InvalidInput(_("a cost is a whole number from 0 to %(max)d") % {"max": MAX_COST})
    with transaction.atomic(durable=True):
        at = service_instant(at)
        depot = row_of(Depot.objects.select_related("committee"), depot_id, _("no such depot"))
        recipient = row_of(Recipient.objects.all(), recipient_id, _("no such recipient"))
        # Authority first: a refusal must not tell a stranger which committee serves whom.
        require_secretary_or_operator(actor, depot.committee, at, gettext_noop("set a route"))
        if recipient.committee_id != depot.committee_id:
            raise InvalidInput(
                _("%(depot)s and %(recipient)s are served by different committees")
                % {"depot": depot, "recipient": recipient}
            )
        route, _created = Route.objects.update_or_create(
            depot=depot, recipient=recipient, defaults={"cost": cost}
        )
        ledger_append(
            Kind.ROUTE_SET,
            {
                "depot": depot.slug,
                "recipient": recipient.slug,
                "cost": cost,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return route


def need_register(
    *, actor: Actor, recipient_id: int, item_id: int, units: int, at: datetime | None = None
) -> Need:
    """Register how many units of ``item`` a recipient needs: its own body's secretary.

    The newest registration is the need (0 when it has none); older ones stay on record.
    """
    _check_units(units)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        recipient = row_of(
            Recipient.objects.select_related("body"), recipient_id, _("no such recipient")
        )
        item = row_of(Item.objects.all(), item_id, _("no such item"))
        require_secretary_or_operator(
            actor, recipient.body, at, gettext_noop("register a recipient's needs")
        )
        need = Need.objects.create(
            recipient=recipient,
            item=item,
            units=units,
            registered_at=at,
            registered_by=actor_member(actor),
        )
        ledger_append(
            Kind.NEED_REGISTERED,
            {
                "need": need.pk,
                "recipient": recipient.slug,
                "item": item.slug,
                "units": units,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return need


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
        try:
            with transaction.atomic():
                PlanVote.objects.create(plan=plan, member=voter, choice=choice, cast_at=at)
        except IntegrityError as error:
            raise Conflict(_("you have already voted on this plan")) from error
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


# --- private helpers shared by the services above (they run inside the caller's transaction) ---


def _location(row: Depot | Recipient) -> dict[str, object]:
    """A place's coordinates as the ledger records them: decimal text, or null."""
    return {
        "latitude": None if row.latitude is None else str(row.latitude),
        "longitude": None if row.longitude is None else str(row.longitude),
    }


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


def _secretary_of_a_committee(actor: Actor, at: datetime) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return Membership.objects.filter(
        current(at),
        member__user_id=actor.pk,
        role=MembershipRole.SECRETARY,
        body__kind=BodyKind.COMMITTEE,
    ).exists()


def _committee(body_id: int) -> Body:
    """The supply committee a service acts on, read after the ledger lock."""
    body = row_of(Body, body_id, _("no such body"))
    if body.kind != BodyKind.COMMITTEE:
        raise InvalidInput(_("%(body)s is not a committee") % {"body": body})
    return body


def _slug(slug: str, *, max_length: int = 80) -> str:
    slug = slug.strip()
    if not is_slug(slug, max_length=max_length):
        raise InvalidInput(
            _("the short name must be lowercase letters, digits and dashes, e.g. senkata-plant")
        )
    return slug


def _is_whole(value: object, least: int, most: int) -> bool:
    """Whether ``value`` is an int (not a bool) from ``least`` to ``most``."""
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= most


def _check_units(units: int) -> None:
    if not _is_whole(units, 0, MAX_UNITS):
        raise InvalidInput(_("units are a whole number from 0 to %(max)d") % {"max": MAX_UNITS})


def _check_tier(tier: int) -> None:
    if not _is_whole(tier, 1, MAX_TIER):
        raise InvalidInput(
            _("a priority tier is a whole number from 1 to %(max)d") % {"max": MAX_TIER}
        )


def _check_location(location: Place | None) -> None:
    if location is None:
        return
    latitude, longitude = Decimal(location.latitude), Decimal(location.longitude)
    if not (
        latitude.is_finite()
        and longitude.is_finite()
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    ):
        raise InvalidInput(_("a latitude is from -90 to 90 and a longitude from -180 to 180"))
