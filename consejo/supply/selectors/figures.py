"""The current figures of supply, shared by its pages and the API: a depot's stock of an item is
its newest count; a recipient's need, its newest registration (0 when it has none)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from consejo.bodies.authority import current
from consejo.bodies.models import Body, Membership
from consejo.common.actors import Actor
from consejo.supply.models import Depot, Item, Need, Recipient, Route, StockCount

#: Rows a page lists at most (a page must stay under 60 KB); the JSON downloads hold them all.
PAGE_ROWS = 250
HISTORY_ROWS = 100


def item_list() -> list[Item]:
    """Every item, by name."""
    return list(Item.objects.order_by("name", "pk")[:500])


@dataclass(frozen=True)
class Stock:
    """A depot's current stock of an item: its newest count, who made it and when."""

    item: Item
    units: int
    counted_at: datetime
    counted_by: str


@dataclass(frozen=True)
class Needed:
    item: Item
    units: int
    registered_at: datetime
    registered_by: str


def stock_current(
    depots: Iterable[Depot], *, named: set[int] | None = None
) -> dict[int, list[Stock]]:
    """The newest count of each item in each depot (by depot id; items by name); who counted,
    for the depots in ``named`` (ids; None: every depot)."""
    ids = [d.pk for d in depots]
    out: dict[int, list[Stock]] = {pk: [] for pk in ids}
    seen: set[tuple[int, int]] = set()
    rows = (
        StockCount.objects.filter(depot_id__in=ids)
        .select_related("item", "counted_by")
        .order_by("depot_id", "item_id", "-counted_at", "-id")
    )
    for row in rows:
        if (row.depot_id, row.item_id) in seen:
            continue
        seen.add((row.depot_id, row.item_id))
        who = (
            row.counted_by.name
            if row.counted_by and (named is None or row.depot_id in named)
            else ""
        )
        out[row.depot_id].append(Stock(row.item, row.units, row.counted_at, who))
    for stocks in out.values():
        stocks.sort(key=lambda s: s.item.name)
    return out


def need_current(
    recipients: Iterable[Recipient], *, named: set[int] | None = None
) -> dict[int, list[Needed]]:
    """The newest need of each item of each recipient (by recipient id; items by name); who
    registered it, for the recipients in ``named`` (ids; None: every recipient)."""
    ids = [r.pk for r in recipients]
    out: dict[int, list[Needed]] = {pk: [] for pk in ids}
    seen: set[tuple[int, int]] = set()
    rows = (
        Need.objects.filter(recipient_id__in=ids)
        .select_related("item", "registered_by")
        .order_by("recipient_id", "item_id", "-registered_at", "-id")
    )
    for row in rows:
        if (row.recipient_id, row.item_id) in seen:
            continue
        seen.add((row.recipient_id, row.item_id))
        who = (
            row.registered_by.name
            if row.registered_by and (named is None or row.recipient_id in named)
            else ""
        )
        out[row.recipient_id].append(Needed(row.item, row.units, row.registered_at, who))
    for needs in out.values():
        needs.sort(key=lambda n: n.item.name)
    return out


def is_current_member(actor: Actor, body: Body, at: datetime) -> bool:
    """Whether ``actor`` (a user) is an active login of a current member of ``body`` at ``at``."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return Membership.objects.filter(current(at), body=body, member__user_id=actor.pk).exists()


@dataclass(frozen=True)
class DepotRow:
    depot: Depot
    stock: list[Stock]


@dataclass(frozen=True)
class RecipientRow:
    recipient: Recipient
    needs: list[Needed]
    routes: list[Route]


def percent(units: int, need: int) -> str:
    """``units`` as a percentage of ``need``, with one decimal ("-" when nothing is needed)."""
    return f"{Decimal(units) * 100 / Decimal(need):.1f}" if need else "-"
