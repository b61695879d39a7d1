"""The whole plan: each item's fair levels and rounding, gathered into one :class:`Allocation`.

The rules and their sources are in the package's docstring (consejo.core.allocation).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from consejo.core.allocation.model import (
    Allocation,
    Delivery,
    Level,
    Problem,
    Remainder,
    Rows,
    Shipment,
)
from consejo.core.allocation.rounding import rounded
from consejo.core.allocation.validation import Compiled, compiled
from consejo.core.allocation.water_filling import fair_levels

__all__ = ["allocate", "solved"]


def allocate(problem: Problem) -> Allocation:
    """The integer allocation plan of ``problem`` under rules 1-5 (see the package's docstring).

    Rules, in order: (1) tiers first, lexicographically largest tier totals; (2) leximin on the
    fill ratio within a tier; (3) least transport cost among such plans; (4) whole units within
    one unit of the fractional plan, each level group keeping its exact total, the rounding chosen
    by least cost; (5) no unit left in a depot that reaches a recipient short of the item.

    ``deliveries`` lists every (recipient, item) with a positive need, in the input order of the
    recipients and then of the items; ``shipments`` every route and item with units, in the order of
    the recipients and their routes; ``unreachable`` the recipients with no route at all.
    Ties in cost are broken by the solver, deterministically for the same input.

    Raises :class:`InvalidInput` naming the place of the first bad value: an empty or duplicate
    id, an unknown item or depot, a negative or non-whole amount, a tier below 1, a cost outside
    0 to :data:`MAX_COST`, or an item's total stock or need above :data:`MAX_UNITS`.

    Sources: Megiddo 1974 and Fujishige 1980 (lexicographically optimal flows and bases);
    Gallo, Grigoriadis & Tarjan 1989 (parametric cuts); Ahuja, Magnanti & Orlin 1993
    (integral minimum-cost flows).
    """
    return solved(compiled(problem))


def solved(data: Compiled) -> Allocation:
    """The plan of a checked input (``allocate``'s rules 1-5), item by item: the fair levels by
    water-filling (Megiddo 1974, Fujishige 1980), then whole units at least cost by one
    minimum-cost flow (Ahuja, Magnanti & Orlin 1993)."""
    items = data.item_ids
    depot_ids, recipient_ids = data.depot_ids, data.recipient_ids
    recipients, routes = len(recipient_ids), len(data.route_depot)
    levels: list[Level] = []
    remainders: list[Remainder] = []
    total_cost = 0
    # Per item: units on each route, units and fill (index into `fills`) of each recipient.
    route_units = np.zeros((len(items), routes), dtype=np.int64)
    received = np.zeros((len(items), recipients), dtype=np.int64)
    fill_of = np.zeros((len(items), recipients), dtype=np.int64)
    fills: list[Fraction] = []
    for k, item in enumerate(items):
        stock, need = data.stock[k], data.need[k]
        group_of, groups = fair_levels(
            stock=stock,
            need=need,
            tier=data.tier,
            route_depot=data.route_depot,
            route_recipient=data.route_recipient,
        )
        units = rounded(
            stock=stock,
            need=need,
            route_depot=data.route_depot,
            route_recipient=data.route_recipient,
            route_cost=data.route_cost,
            group_of=group_of,
            groups=groups,
        )
        route_units[k] = units
        total_cost += int((units * data.route_cost).sum())
        received[k] = np.bincount(data.route_recipient, weights=units, minlength=recipients).astype(
            np.int64
        )
        fill_of[k] = np.where(group_of >= 0, group_of + len(fills), 0)
        for index, group in enumerate(groups):
            members = group_of == index
            fills.append(Fraction(group.p, group.q))
            levels.append(
                Level(
                    item=item,
                    tier=group.tier,
                    fill=fills[-1],
                    recipients=int(members.sum()),
                    need=int(need[members].sum()),
                    units=int(received[k][members].sum()),
                    depots=tuple(depot_ids[d] for d in group.depots),
                )
            )
        sent = np.bincount(data.route_depot, weights=units, minlength=len(depot_ids))
        left = stock - sent.astype(np.int64)
        remainders.extend(
            Remainder(depot=depot_ids[d], item=item, units=int(left[d]))
            for d in np.flatnonzero(left).tolist()
        )
    # Deliveries and shipments in the order of the recipients (and routes), then of the items.
    recipient_names = np.array(recipient_ids, dtype=object)
    item_names = np.array(items, dtype=object)
    recipient_of, item_of = np.nonzero(data.need.T > 0)
    deliveries = Rows(
        Delivery._make,
        [
            recipient_names[recipient_of].tolist(),
            item_names[item_of].tolist(),
            data.tier[recipient_of].tolist(),
            data.need[item_of, recipient_of].tolist(),
            received[item_of, recipient_of].tolist(),
            np.array(fills, dtype=object)[fill_of[item_of, recipient_of]].tolist(),
        ],
    )
    route_of, item_of = np.nonzero(route_units.T)
    shipments = Rows(
        Shipment._make,
        [
            np.array(depot_ids, dtype=object)[data.route_depot[route_of]].tolist(),
            recipient_names[data.route_recipient[route_of]].tolist(),
            item_names[item_of].tolist(),
            route_units[item_of, route_of].tolist(),
            data.route_cost[route_of].tolist(),
        ],
    )
    return Allocation(
        shipments=shipments,
        deliveries=deliveries,
        levels=tuple(levels),
        remainders=tuple(remainders),
        unreachable=tuple(data.unreachable),
        total_cost=total_cost,
    )
