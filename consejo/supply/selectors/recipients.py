"""Reads for a recipient's page and its needs and routes in the API."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from consejo.bodies.authority import is_operator, is_secretary, names_visible
from consejo.common.actors import Actor
from consejo.core.visibility import Names
from consejo.supply.models import Depot, Item, Need, Plan, PlanStatus, Recipient, Route
from consejo.supply.selectors.committees import depot_choices
from consejo.supply.selectors.figures import (
    HISTORY_ROWS,
    Needed,
    RecipientRow,
    item_list,
    need_current,
    percent,
)
from consejo.supply.selectors.plans import plan_item_names


@dataclass(frozen=True)
class Received:
    """What a recipient gets of an item in a plan."""

    item: str
    need: int
    units: int
    percent: str
    depots: list[tuple[str, int]]


@dataclass(frozen=True)
class RecipientPage:
    recipient: Recipient
    needs: list[Needed]
    history: list[Need]
    names: bool  # whether the names of who registered are shown
    routes: list[Route]
    items: list[Item]
    plan_in_force: Plan | None
    received: list[Received]
    unreachable: bool
    may_register: bool
    may_route: bool
    depots: list[tuple[int, str]]  # the committee's depots, for the route form


def recipient_page(*, recipient: Recipient, actor: Actor, at: datetime) -> RecipientPage:
    """A recipient's needs (current and past), routes, what it gets in the plan in force."""
    plan = (
        Plan.objects.filter(committee_id=recipient.committee_id, status=PlanStatus.APPROVED)
        .order_by("-decided_at")
        .first()
    )
    received: list[Received] = []
    unreachable = False
    if plan is not None:
        result = plan.result or {}
        item_names = plan_item_names(plan)
        depots = Depot.objects.filter(committee_id=plan.committee_id)
        depot_names = dict(depots.values_list("slug", "name"))
        sent: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for s in result.get("shipments", []):
            if s["recipient"] == recipient.slug:
                sent[s["item"]].append((depot_names.get(s["depot"], s["depot"]), s["units"]))
        for d in result.get("deliveries", []):
            if d["recipient"] == recipient.slug:
                received.append(
                    Received(
                        item=item_names.get(d["item"], d["item"]),
                        need=d["need"],
                        units=d["units"],
                        percent=percent(d["units"], d["need"]),
                        depots=sent.get(d["item"], []),
                    )
                )
        unreachable = recipient.slug in result.get("unreachable", [])
    names = names_visible(actor, Names.OFFICE, at=at)
    may_route = is_operator(actor) or is_secretary(actor, recipient.committee, at)
    return RecipientPage(
        recipient=recipient,
        needs=need_current([recipient], named={recipient.pk} if names else set())[recipient.pk],
        names=names,
        history=list(
            Need.objects.filter(recipient=recipient)
            .select_related("item", "registered_by")
            .order_by("-registered_at", "-pk")[:HISTORY_ROWS]
        ),
        routes=list(
            Route.objects.filter(recipient=recipient).select_related("depot").order_by("cost")
        ),
        items=item_list(),
        plan_in_force=plan,
        received=received,
        unreachable=unreachable,
        may_register=is_operator(actor) or is_secretary(actor, recipient.body, at),
        may_route=may_route,
        depots=depot_choices(committee=recipient.committee) if may_route else [],
    )


def need_list(
    *, recipient: Recipient, item: Item | None = None, limit: int = HISTORY_ROWS
) -> list[Need]:
    """A recipient's registrations of need, newest first, with who registered them."""
    query = Need.objects.filter(recipient=recipient)
    if item is not None:
        query = query.filter(item=item)
    return list(
        query.select_related("item", "registered_by").order_by("-registered_at", "-pk")[:limit]
    )


def recipient_row(*, recipient: Recipient) -> RecipientRow:
    """One recipient with its current needs and its routes, cheapest first."""
    routes = list(
        Route.objects.filter(recipient=recipient)
        .select_related("depot")
        .order_by("cost", "depot__slug")
    )
    return RecipientRow(recipient, need_current([recipient])[recipient.pk], routes)
