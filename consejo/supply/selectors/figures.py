"""The current figures of supply, shared by its pages and the API: a depot's stock of an item is
its newest count; a recipient's need, its newest registration (0 when it has none)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

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
    return _newest(StockCount, "depot", "counted_at", "counted_by", depots, named, Stock)


def need_current(
    recipients: Iterable[Recipient], *, named: set[int] | None = None
) -> dict[int, list[Needed]]:
    """The newest need of each item of each recipient (by recipient id; items by name); who
    registered it, for the recipients in ``named`` (ids; None: every recipient)."""
    return _newest(Need, "recipient", "registered_at", "registered_by", recipients, named, Needed)


F = TypeVar("F", Stock, Needed)


def _newest(
    figures: type[StockCount] | type[Need],
    owner: str,
    when: str,
    by: str,
    owners: Iterable[Depot] | Iterable[Recipient],
    named: set[int] | None,
    figure: Callable[[Item, int, datetime, str], F],
) -> dict[int, list[F]]:
    """The newest row of ``figures`` per owner and item, in one query ordered newest first."""
    ids = [o.pk for o in owners]
    out: dict[int, list[F]] = {pk: [] for pk in ids}
    seen: set[tuple[int, int]] = set()
    rows = (
        figures.objects.filter(**{f"{owner}_id__in": ids})
        .select_related("item", by)
        .order_by(f"{owner}_id", "item_id", f"-{when}", "-id")
    )
    for row in rows:
        key = getattr(row, f"{owner}_id")
        if (key, row.item_id) in seen:
            continue
        seen.add((key, row.item_id))
        person = getattr(row, by)
        who = person.name if person and (named is None or key in named) else ""
        out[key].append(figure(row.item, row.units, getattr(row, when), who))
    for listed in out.values():
        listed.sort(key=lambda f: f.item.name)
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
