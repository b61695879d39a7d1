"""Reads for the committees' pages (the list and a committee's page) and the API's committee."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q

from consejo.bodies.authority import is_operator, is_secretary, names_visible
from consejo.bodies.models import Body
from consejo.common.actors import Actor
from consejo.core.visibility import Names
from consejo.supply.models import Depot, Item, Plan, PlanStatus, Recipient, Route
from consejo.supply.selectors.figures import (
    PAGE_ROWS,
    DepotRow,
    RecipientRow,
    is_current_member,
    item_list,
    need_current,
    stock_current,
)


@dataclass(frozen=True)
class CommitteeRow:
    committee: Body
    depots: int
    recipients: int


def supply_committee_list() -> list[CommitteeRow]:
    """The supply committees: bodies with depots or recipients, by name."""
    query = (
        Body.objects.filter(Q(depots__isnull=False) | Q(recipients_served__isnull=False))
        .annotate(
            n_depots=Count("depots", distinct=True),
            n_recipients=Count("recipients_served", distinct=True),
        )
        .order_by("name")
        .distinct()
    )
    return [CommitteeRow(b, b.n_depots, b.n_recipients) for b in query[:500]]


@dataclass(frozen=True)
class TierGroup:
    tier: int
    rows: list[RecipientRow]


@dataclass(frozen=True)
class CommitteePage:
    committee: Body
    depots: list[DepotRow]
    tiers: list[TierGroup]
    recipients: int  # how many in all (the page lists at most PAGE_ROWS)
    truncated: bool
    items: list[Item]
    open_plans: list[Plan]
    plan_in_force: Plan | None
    past_plans: list[Plan]
    may_propose: bool
    may_manage: bool


def committee_page(*, committee: Body, actor: Actor, at: datetime) -> CommitteePage:
    """Everything the committee's page shows ``actor`` at ``at``."""
    depots = list(Depot.objects.filter(committee=committee).order_by("name", "pk"))
    names = names_visible(actor, Names.OFFICE, at=at)
    stock = stock_current(depots, named={d.pk for d in depots} if names else set())
    query = Recipient.objects.filter(committee=committee).order_by("tier", "name", "pk")
    total = query.count()
    recipients = list(query[:PAGE_ROWS])
    needs = need_current(recipients, named=set())
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in (
        Route.objects.filter(recipient__in=recipients)
        .select_related("depot")
        .order_by("cost", "depot__name")
    ):
        routes[route.recipient_id].append(route)
    tiers: list[TierGroup] = []
    for r in recipients:
        if not tiers or tiers[-1].tier != r.tier:
            tiers.append(TierGroup(r.tier, []))
        tiers[-1].rows.append(RecipientRow(r, needs[r.pk], routes[r.pk]))
    plans = list(
        Plan.objects.filter(committee=committee)
        .select_related("proposed_by")
        .order_by("-proposed_at", "-pk")[:20]
    )
    may_manage = is_operator(actor) or is_secretary(actor, committee, at)
    return CommitteePage(
        committee=committee,
        depots=[DepotRow(d, stock[d.pk]) for d in depots],
        tiers=tiers,
        recipients=total,
        truncated=total > len(recipients),
        items=item_list(),
        open_plans=[p for p in plans if p.status == PlanStatus.PROPOSED],
        plan_in_force=Plan.objects.filter(committee=committee, status=PlanStatus.APPROVED)
        .select_related("proposed_by")
        .first(),
        past_plans=[p for p in plans if p.status in (PlanStatus.REJECTED, PlanStatus.SUPERSEDED)][
            :10
        ],
        may_propose=is_operator(actor) or is_current_member(actor, committee, at),
        may_manage=may_manage,
    )


def depot_choices(*, committee: Body) -> list[tuple[int, str]]:
    """The committee's depots (id, name), for the route form."""
    return list(
        Depot.objects.filter(committee=committee).order_by("name").values_list("pk", "name")
    )


# --- reads for the API (consejo/api/supply.py) ---

#: Recipients the API lists at most in one answer (``offset`` pages on).
API_RECIPIENTS = 1000


@dataclass(frozen=True)
class CommitteeSupply:
    """What a supply committee distributes: its depots with their current stock, the recipients
    it serves (one page of them, by tier and short name) with their needs and routes, and its
    newest plans (without their input and output)."""

    committee: Body
    depots: list[DepotRow]
    recipients: list[RecipientRow]
    recipients_total: int
    plans: list[Plan]
    in_force: Plan | None  # the approved plan, however old


def committee_supply(
    *, committee: Body, offset: int = 0, limit: int = API_RECIPIENTS, plans: int = 50
) -> CommitteeSupply:
    """A committee's figures as the API gives them: a fixed number of queries, whatever the
    number of depots and recipients."""
    depots = list(
        Depot.objects.filter(committee=committee).select_related("commission").order_by("slug")
    )
    stock = stock_current(depots)
    query = Recipient.objects.filter(committee=committee).order_by("tier", "slug", "pk")
    recipients = list(query.select_related("body")[offset : offset + limit])
    needs = need_current(recipients)
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in (
        Route.objects.filter(recipient__in=recipients)
        .select_related("depot")
        .order_by("cost", "depot__slug")
    ):
        routes[route.recipient_id].append(route)
    return CommitteeSupply(
        committee=committee,
        depots=[DepotRow(d, stock[d.pk]) for d in depots],
        recipients=[RecipientRow(r, needs[r.pk], routes[r.pk]) for r in recipients],
        recipients_total=query.count(),
        plans=list(
            Plan.objects.filter(committee=committee)
            .defer("problem", "result")
            .order_by("-proposed_at", "-pk")[:plans]
        ),
        in_force=Plan.objects.filter(committee=committee, status=PlanStatus.APPROVED)
        .defer("problem", "result")
        .first(),
    )
