"""Rules 1 and 2 for one item: the fair fractional plan, by water-filling on classes.

For one item the set of vectors of amounts that the depots can deliver is a polymatroid (a flow
network: depots → recipients), so the plan of rules 1 and 2 is unique and is found by
*water-filling*: in each tier, raise everybody's fill ratio ``t`` together as far as the stock and
the routes allow, freeze the recipients that cannot rise further (the sink side of a minimum cut),
and go on with the rest. The largest feasible ``t`` is found exactly by Newton's (Dinkelbach's)
method on the parametric minimum cut: each step is one maximum flow with integer capacities scaled
by the denominator of ``t``, so every level is an exact fraction. A frozen group at a level below
1 uses up the whole stock of the depots on its side of the cut; those depots leave the network,
and recipients of later tiers keep only the depots that still hold stock. Recipients with the same
tier and the same set of depots always get the same ratio, so the maximum flows run on these
classes, not on single recipients.

Sources: N. Megiddo, "Optimal flows in networks with multiple sources and sinks", Mathematical
Programming 7 (1974) 97-107; S. Fujishige, "Lexicographically optimal base of a polymatroid with
respect to a weight vector", Mathematics of Operations Research 5 (1980) 186-196; G. Gallo,
M. D. Grigoriadis & R. E. Tarjan, "A fast parametric maximum flow algorithm and applications",
SIAM J. Computing 18 (1989) 30-55. Solver: OR-Tools' ``SimpleMaxFlow`` (push-relabel).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow

from consejo.core.allocation.model import BoolArray, Int32Array, Int64Array
from consejo.core.errors import ConsejoError, InvalidInput

__all__ = ["Classes", "Group", "fair_levels", "water_fill"]


@dataclass(slots=True)
class Group:
    """A level group found by water-filling: its tier, exact level ``p/q`` and used-up depots."""

    tier: int
    p: int
    q: int
    depots: list[int]


_FUTURE, _ACTIVE, _FULL, _FROZEN, _DONE = 0, 1, 2, 3, 4


class Classes:
    """Recipients of one item grouped by (tier, set of stocked depots that reach them).

    Water-filling gives every member of a class the same ratio, so the maximum flows run on
    classes: one node per class, its need the sum of its members' needs.
    """

    def __init__(
        self,
        *,
        stock: Int64Array,
        need: Int64Array,
        tier: Int64Array,
        route_depot: Int32Array,
        route_recipient: Int32Array,
    ) -> None:
        depots = len(stock)
        needy = need > 0
        live = (stock[route_depot] > 0) & needy[route_recipient]
        words = max(1, (depots + 63) // 64)
        keys = np.zeros((len(need), words + 1), dtype=np.uint64)
        keys[:, 0] = tier.astype(np.uint64)
        bits = np.left_shift(np.uint64(1), (route_depot[live] % 64).astype(np.uint64))
        np.bitwise_or.at(keys, (route_recipient[live], 1 + route_depot[live] // 64), bits)
        members = np.flatnonzero(needy)
        self.class_of = np.full(len(need), -1, dtype=np.int64)
        if len(members):
            if depots <= 52:  # one 64-bit key: the tier above the depots' bits
                flat = keys[members, 1] | (keys[members, 0] << np.uint64(depots))
                _, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
            else:
                _, first, inverse = np.unique(
                    keys[members], axis=0, return_index=True, return_inverse=True
                )
            self.class_of[members] = inverse.reshape(-1)
            representatives = members[first]
        else:
            representatives = np.zeros(0, dtype=np.int64)
        count = len(representatives)
        self.count = count
        self.tier = tier[representatives]
        self.need = np.bincount(
            self.class_of[members], weights=need[members], minlength=count
        ).astype(np.int64)
        is_representative = np.zeros(len(need), dtype=np.bool_)
        is_representative[representatives] = True
        chosen = live & is_representative[route_recipient]
        self.arc_class = self.class_of[route_recipient[chosen]]
        self.arc_depot = route_depot[chosen].astype(np.int64)


def water_fill(stock: Int64Array, classes: Classes) -> tuple[Int64Array, list[Group]]:
    """Rules 1 and 2 on classes: the level group of every class (see the module docstring)."""
    depots = len(stock)
    count = classes.count
    state = np.where(classes.tier > 0, _FUTURE, _DONE).astype(np.int64)
    group_of = np.full(count, -1, dtype=np.int64)
    available = stock > 0
    groups: list[Group] = []
    source, sink = depots + count, depots + count + 1

    def cut(p: int, q: int) -> tuple[bool, BoolArray, BoolArray]:
        """Max flow with active classes at ``p/q`` of their need; the minimal source side."""
        flow = max_flow.SimpleMaxFlow()
        big = int(stock[available].sum()) * q + 1
        depot_ids = np.flatnonzero(available)
        flow.add_arcs_with_capacity(
            np.full(len(depot_ids), source, dtype=np.int32),
            depot_ids.astype(np.int32),
            stock[depot_ids] * q,
        )
        in_play = (state == _ACTIVE) | (state == _FULL)
        arcs = available[classes.arc_depot] & in_play[classes.arc_class]
        flow.add_arcs_with_capacity(
            classes.arc_depot[arcs].astype(np.int32),
            (classes.arc_class[arcs] + depots).astype(np.int32),
            np.full(int(arcs.sum()), big, dtype=np.int64),
        )
        nodes = np.flatnonzero(in_play)
        demand = np.where(state[nodes] == _ACTIVE, classes.need[nodes] * p, classes.need[nodes] * q)
        flow.add_arcs_with_capacity(
            (nodes + depots).astype(np.int32), np.full(len(nodes), sink, dtype=np.int32), demand
        )
        status = flow.solve(source, sink)
        if status != max_flow.SimpleMaxFlow.OPTIMAL:  # pragma: no cover - bounded by MAX_UNITS
            raise InvalidInput(f"the maximum-flow solver failed ({status}); amounts too large?")
        reached = np.zeros(depots + count + 2, dtype=np.bool_)
        reached[np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)] = True
        sink_depots = available & ~reached[:depots]
        sink_classes = in_play & ~reached[depots : depots + count]
        return flow.optimal_flow() == int(demand.sum()), sink_depots, sink_classes

    for level in np.unique(classes.tier[classes.tier > 0]):
        state[(classes.tier == level) & (state == _FUTURE)] = _ACTIVE
        while (state == _ACTIVE).any():
            # Classes that no depot with stock left can reach get nothing (level 0).
            reachable = np.zeros(count, dtype=np.bool_)
            reachable[classes.arc_class[available[classes.arc_depot]]] = True
            stranded = (state == _ACTIVE) & ~reachable
            if stranded.any():
                group_of[stranded] = len(groups)
                state[stranded] = _FROZEN
                groups.append(Group(tier=int(level), p=0, q=1, depots=[]))
                continue
            p, q = 1, 1
            while True:
                feasible, sink_depots, sink_classes = cut(p, q)
                active_side = sink_classes & (state == _ACTIVE)
                full_side = sink_classes & (state == _FULL)
                if feasible and (p, q) == (1, 1):
                    group_of[state == _ACTIVE] = len(groups)
                    state[state == _ACTIVE] = _FULL
                    groups.append(Group(tier=int(level), p=1, q=1, depots=[]))
                    break
                if feasible:
                    if not active_side.any():  # pragma: no cover - excluded by the theory
                        raise ConsejoError("water-filling found no bottleneck; please report")
                    group_of[active_side] = len(groups)
                    state[active_side] = _FROZEN
                    state[full_side] = _DONE
                    available[sink_depots] = False
                    groups.append(
                        Group(
                            tier=int(level), p=p, q=q, depots=np.flatnonzero(sink_depots).tolist()
                        )
                    )
                    break
                # Newton's step: the level at which this cut becomes tight.
                numerator = int(stock[sink_depots].sum()) - int(classes.need[full_side].sum())
                denominator = int(classes.need[active_side].sum())
                if denominator <= 0 or numerator < 0:  # pragma: no cover - excluded by the theory
                    raise ConsejoError("water-filling found an empty cut; please report")
                divisor = math.gcd(numerator, denominator)
                p, q = numerator // divisor, denominator // divisor
    return group_of, groups


def fair_levels(
    *,
    stock: Int64Array,
    need: Int64Array,
    tier: Int64Array,
    route_depot: Int32Array,
    route_recipient: Int32Array,
) -> tuple[Int64Array, list[Group]]:
    """Rules 1 and 2 for one item: the level group of every recipient (-1 when it needs none of
    the item) and the groups, each with its tier, its exact level and the depots it used up.

    Rule: water-filling on classes (this module's docstring); Megiddo 1974, Fujishige 1980,
    Gallo, Grigoriadis & Tarjan 1989.
    """
    classes = Classes(
        stock=stock,
        need=need,
        tier=tier,
        route_depot=route_depot,
        route_recipient=route_recipient,
    )
    class_group, groups = water_fill(stock, classes)
    group_of = np.full(len(need), -1, dtype=np.int64)
    needy = classes.class_of >= 0
    group_of[needy] = class_group[classes.class_of[needy]]
    return group_of, groups
