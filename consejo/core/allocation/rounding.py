"""Rules 3-5 for one item: whole units, at least cost, nothing wasted, by one minimum-cost flow.

The fair plan of rules 1 and 2 (consejo.core.allocation.water_filling) gives each recipient an
exact fractional amount and each level group an exact whole total. One integer minimum-cost flow
then rounds it: each recipient must receive the floor of its exact amount and may receive one more
unit (through an arc of capacity 1 to its group's node), each group must receive its exact total,
and what is left of the stock goes to a remainder node at no cost. A network with integer data
has integral optimal flows, so no rounding heuristic is needed and the rounded plan always exists;
because the total shipped is the maximum flow there is no augmenting path: nothing is wasted.

Sources: R. K. Ahuja, T. L. Magnanti & J. B. Orlin, *Network Flows*, Prentice Hall 1993,
ch. 9-10 (integrality of minimum-cost flows). Solver: OR-Tools' ``SimpleMinCostFlow`` (cost
scaling).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import min_cost_flow

from consejo.core.allocation.model import Int32Array, Int64Array
from consejo.core.allocation.water_filling import Group
from consejo.core.errors import ConsejoError

__all__ = ["rounded"]


def rounded(
    *,
    stock: Int64Array,
    need: Int64Array,
    route_depot: Int32Array,
    route_recipient: Int32Array,
    route_cost: Int64Array,
    group_of: Int64Array,
    groups: list[Group],
) -> Int64Array:
    """Rules 3-5 for one item: the whole units on every route, given the fair plan's groups.

    Rule: each recipient gets the floor or the ceiling of its exact amount (``fill * need``),
    each level group exactly its whole total, at the least transport cost; what is left stays in
    the depots. One integer minimum-cost flow (Ahuja, Magnanti & Orlin 1993, ch. 9-10).
    """
    depots, recipients = len(stock), len(need)
    needy = group_of >= 0
    p = np.zeros(recipients, dtype=np.int64)
    q = np.ones(recipients, dtype=np.int64)
    if groups:
        group_p = np.array([g.p for g in groups], dtype=np.int64)
        group_q = np.array([g.q for g in groups], dtype=np.int64)
        p[needy] = group_p[group_of[needy]]
        q[needy] = group_q[group_of[needy]]
    floor, rest = np.divmod(need * p, q)
    fractional = rest > 0
    ceiling = floor + fractional
    # Each group's exact total, and the units it adds above its members' floors.
    extra = np.zeros(len(groups), dtype=np.int64)
    for index, group in enumerate(groups):
        members = group_of == index
        total, left = divmod(group.p * int(need[members].sum()), group.q)
        if left:  # pragma: no cover - a tight cut has an integer total
            raise ConsejoError("a fill level has a fractional total; please report")
        extra[index] = total - int(floor[members].sum())
    # Nodes: depots, recipients, one per group, the remainder.
    group_node = depots + recipients
    remainder = group_node + len(groups)
    shipped = int(floor.sum() + extra.sum())
    solver = min_cost_flow.SimpleMinCostFlow()
    usable = (ceiling[route_recipient] > 0) & (stock[route_depot] > 0)
    routes = np.flatnonzero(usable)
    capacity = np.minimum(ceiling[route_recipient[routes]], stock[route_depot[routes]])
    arcs = solver.add_arcs_with_capacity_and_unit_cost(
        route_depot[routes].astype(np.int32),
        (route_recipient[routes] + depots).astype(np.int32),
        capacity.astype(np.int64),
        route_cost[routes],
    )
    rounded = np.flatnonzero(fractional)
    if len(rounded):
        solver.add_arcs_with_capacity_and_unit_cost(
            (rounded + depots).astype(np.int32),
            (group_of[rounded] + group_node).astype(np.int32),
            np.ones(len(rounded), dtype=np.int64),
            np.zeros(len(rounded), dtype=np.int64),
        )
    solver.add_arcs_with_capacity_and_unit_cost(
        np.arange(depots, dtype=np.int32),
        np.full(depots, remainder, dtype=np.int32),
        stock,
        np.zeros(depots, dtype=np.int64),
    )
    solver.set_nodes_supplies(np.arange(depots, dtype=np.int32), stock)
    solver.set_nodes_supplies(np.arange(depots, depots + recipients, dtype=np.int32), -floor)
    solver.set_nodes_supplies(
        np.arange(group_node, remainder, dtype=np.int32), -extra.astype(np.int64)
    )
    solver.set_node_supply(remainder, shipped - int(stock.sum()))
    status = solver.solve()
    if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:  # pragma: no cover - always feasible
        raise ConsejoError(f"the minimum-cost flow solver failed ({status}); please report")
    route_units = np.zeros(len(route_depot), dtype=np.int64)
    if len(routes):
        route_units[routes] = np.asarray(solver.flows(np.asarray(arcs, dtype=np.int32)))
    return route_units
