"""The solver's input from a committee's current figures (docs/allocation.md): what
``plan_propose`` freezes into a plan, read here so that a page or the API can show it too."""

from __future__ import annotations

from typing import Any

from consejo.bodies.models import Body
from consejo.supply.models import Depot, Item, Need, Recipient, Route, StockCount


def committee_problem(committee: Body) -> dict[str, Any]:
    """The solver's input (docs/allocation.md) from a committee's current figures.

    Items: those with a positive stock or need. Depots: the committee's, with their newest count
    of each item. Recipients: those it serves, with their newest need of each item, their tier and
    their routes. Sorted by short name, so that the same figures give the same input.
    """
    depots = list(Depot.objects.filter(committee=committee).order_by("slug"))
    recipients = list(Recipient.objects.filter(committee=committee).order_by("slug"))
    stock: dict[int, dict[str, int]] = {d.pk: {} for d in depots}
    for depot_id, item, units in _newest(
        StockCount.objects.filter(depot__in=depots), "depot_id", "counted_at"
    ):
        stock[depot_id][item] = units
    need: dict[int, dict[str, int]] = {r.pk: {} for r in recipients}
    for recipient_id, item, units in _newest(
        Need.objects.filter(recipient__in=recipients), "recipient_id", "registered_at"
    ):
        need[recipient_id][item] = units
    routes: dict[int, list[dict[str, object]]] = {r.pk: [] for r in recipients}
    for route in Route.objects.filter(recipient__in=recipients).select_related("depot"):
        routes[route.recipient_id].append({"depot": route.depot.slug, "cost": route.cost})
    used = {i for units in [*stock.values(), *need.values()] for i, n in units.items() if n > 0}
    items = Item.objects.filter(slug__in=used).order_by("slug")
    return {
        "items": [{"id": item.slug, "unit": item.unit} for item in items],
        "depots": [
            {"id": d.slug, "stock": {i: n for i, n in sorted(stock[d.pk].items()) if i in used}}
            for d in depots
        ],
        "recipients": [
            {
                "id": r.slug,
                "tier": r.tier,
                # A need of 0 is no need: the same input as a need never registered.
                "need": {i: n for i, n in sorted(need[r.pk].items()) if i in used and n > 0},
                "routes": sorted(routes[r.pk], key=lambda route: str(route["depot"])),
            }
            for r in recipients
        ],
    }


def _newest(query: Any, owner: str, when: str) -> list[tuple[int, str, int]]:
    """(owner id, item slug, units) of the newest row for each owner and item."""
    seen: set[tuple[int, int]] = set()
    out = []
    rows = query.order_by(owner, "item_id", f"-{when}", "-id").values_list(
        owner, "item_id", "item__slug", "units"
    )
    for owner_id, item_id, slug, units in rows:
        if (owner_id, item_id) not in seen:
            seen.add((owner_id, item_id))
            out.append((owner_id, slug, units))
    return out
