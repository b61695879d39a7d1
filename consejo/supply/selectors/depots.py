"""Reads for a depot's page and its counts in the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consejo.bodies.authority import is_operator, names_visible
from consejo.common.actors import Actor
from consejo.core.visibility import Names
from consejo.supply.models import Depot, Item, StockCount
from consejo.supply.selectors.figures import (
    HISTORY_ROWS,
    Stock,
    is_current_member,
    item_list,
    stock_current,
)


@dataclass(frozen=True)
class DepotPage:
    depot: Depot
    stock: list[Stock]
    history: list[StockCount]
    names: bool  # whether the counters' names are shown
    items: list[Item]
    may_count: bool


def depot_page(*, depot: Depot, actor: Actor, at: datetime) -> DepotPage:
    """A depot's current stock and its counts (newest first), and whether ``actor`` may count."""
    names = names_visible(actor, Names.OFFICE, at=at)
    return DepotPage(
        depot=depot,
        stock=stock_current([depot], named={depot.pk} if names else set())[depot.pk],
        names=names,
        history=list(
            StockCount.objects.filter(depot=depot)
            .select_related("item", "counted_by")
            .order_by("-counted_at", "-pk")[:HISTORY_ROWS]
        ),
        items=item_list(),
        may_count=is_operator(actor) or is_current_member(actor, depot.commission, at),
    )


def stock_count_list(
    *, depot: Depot, item: Item | None = None, limit: int = HISTORY_ROWS
) -> list[StockCount]:
    """A depot's counts, newest first (of one item, or of every item), with who counted."""
    query = StockCount.objects.filter(depot=depot)
    if item is not None:
        query = query.filter(item=item)
    return list(query.select_related("item", "counted_by").order_by("-counted_at", "-pk")[:limit])
