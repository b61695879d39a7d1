"""Allocation of scarce supplies: who gets which units, from which depot.

The supply committee has depots with stock of each item (10 kg gas cylinders, flour...) and
recipients (clinics, community kitchens, neighborhoods) with a need of each item, a priority tier
(1 is the highest) and the depots that can reach them, each with a transport cost per unit. The
plan says how many whole units go from each depot to each recipient. Its rules, in this order:

1. **Higher tiers first**: a lower tier receives nothing that a higher tier could have used (the
   tiers' totals are lexicographically largest: tier 1 gets the most it can, then tier 2 the most
   it can with what is left, and so on).
2. **Leximin-fair within a tier** on the fill ratio (units received / need): no recipient's ratio
   can be raised without lowering that of someone whose ratio is not larger.
3. **Least transport cost** among the plans that keep rules 1 and 2.
4. **Whole units**: rounding departs from the fractional plan of rules 1-3 by less than one unit
   per recipient and item, and never exceeds a depot's stock or a recipient's need. Each group
   of recipients that share a fill level keeps its exact (whole) total, so rounding never moves a
   unit between tiers or between levels; which recipients of a group get the unit rounded up is
   decided by least cost.
5. **No waste**: no unit stays in a depot while a recipient that the depot can reach is short of
   that item.

Items are independent, so each is solved on its own. For one item the set of vectors of amounts
that the depots can deliver is a polymatroid (a flow network: depots → recipients), so the plan of
rules 1 and 2 is unique and is found by *water-filling*: in each tier, raise everybody's fill ratio
``t`` together as far as the stock and the routes allow, freeze the recipients that cannot rise
further (the sink side of a minimum cut), and go on with the rest. The largest feasible ``t`` is
found exactly by Newton's (Dinkelbach's) method on the parametric minimum cut: each step is one
maximum flow with integer capacities scaled by the denominator of ``t``, so every level is an
exact fraction. A frozen group at a level below 1 uses up the whole stock of the depots on its
side of the cut; those depots leave the network, and recipients of later tiers keep only the
depots that still hold stock. Recipients with the same tier and the same set of depots always get
the same ratio, so the maximum flows run on these classes, not on single recipients. Rules 3-5 are
then one integer minimum-cost flow: each recipient must receive the floor of its exact amount and
may receive one more unit, each group must receive its exact total, and the depots keep the rest.
A network with integer data has integral optimal flows, so no rounding heuristic is needed, and
because the total shipped is the maximum flow there is no augmenting path: nothing is wasted.

Sources: N. Megiddo, "Optimal flows in networks with multiple sources and sinks", Mathematical
Programming 7 (1974) 97-107 (lexicographically optimal flows); S. Fujishige, "Lexicographically
optimal base of a polymatroid with respect to a weight vector", Mathematics of Operations Research
5 (1980) 186-196; G. Gallo, M. D. Grigoriadis & R. E. Tarjan, "A fast parametric maximum flow
algorithm and applications", SIAM J. Computing 18 (1989) 30-55 (Newton's method on parametric
cuts); R. K. Ahuja, T. L. Magnanti & J. B. Orlin, *Network Flows*, Prentice Hall 1993, ch. 9-10
(integrality of minimum-cost flows). Solvers: OR-Tools' ``SimpleMaxFlow`` (push-relabel) and
``SimpleMinCostFlow`` (cost scaling).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt
from ortools.graph.python import max_flow, min_cost_flow

from consejo.core.errors import ConsejoError, InvalidInput
from consejo.core.limits import MAX_DIGITS, MAX_SHOWN, check_json_depth, shown

__all__ = [
    "MAX_COST",
    "MAX_UNITS",
    "Allocation",
    "Delivery",
    "Depot",
    "Item",
    "Level",
    "Problem",
    "Recipient",
    "Remainder",
    "Route",
    "Rows",
    "Shipment",
    "allocate",
    "read_json",
    "to_json",
]

#: Largest total stock, and largest total need, of one item. Exact levels are fractions whose
#: numerator and denominator are at most this, and the scaled capacities (their products) must fit
#: in 64 bits.
MAX_UNITS = 10**9

#: Largest transport cost per unit (any unit the committee likes: centavos, minutes, kilometres).
MAX_COST = 10**6

Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


# --------------------------------------------------------------------------------------------
# Input


@dataclass(frozen=True, slots=True)
class Item:
    """An item that is distributed in whole units (``unit`` names one: "cylinder", "kg")."""

    id: str
    unit: str = "unit"


@dataclass(frozen=True, slots=True)
class Depot:
    """A depot and its stock: units of each item (items not named have none)."""

    id: str
    stock: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Route:
    """A depot that can reach a recipient, and the transport cost of one unit (any item)."""

    depot: str
    cost: int = 0


@dataclass(frozen=True, slots=True)
class Recipient:
    """A recipient: its priority tier (1 is highest), its need of each item, its routes."""

    id: str
    tier: int
    need: Mapping[str, int]
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything the solver needs: the items, the depots and the recipients."""

    items: tuple[Item, ...]
    depots: tuple[Depot, ...]
    recipients: tuple[Recipient, ...]


# --------------------------------------------------------------------------------------------
# Output


class Shipment(NamedTuple):
    """``units`` of ``item`` from ``depot`` to ``recipient``, at ``cost`` per unit.

    (A named tuple, not a dataclass: a city's plan has hundreds of thousands of them.)
    """

    depot: str
    recipient: str
    item: str
    units: int
    cost: int


class Delivery(NamedTuple):
    """What one recipient gets of one item it needs (a named tuple, like :class:`Shipment`).

    ``fill`` is the exact fill ratio of the fractional plan (rules 1-3), shared by the recipient's
    whole level group; ``target = fill * need`` is the exact amount it stands for, and ``units``
    (a whole number) is within one unit of it.
    """

    recipient: str
    item: str
    tier: int
    need: int
    units: int
    fill: Fraction

    @property
    def target(self) -> Fraction:
        """The exact fractional amount of the fair plan: ``fill * need``."""
        return self.fill * self.need


@dataclass(frozen=True, slots=True)
class Level:
    """A group of recipients of one item and tier that share the exact fill ratio ``fill``.

    ``units`` is the group's whole total (exactly ``fill * need``, an integer); ``depots`` are the
    depots whose whole stock the group (with higher tiers) used up, empty for a group that is filled
    completely or that no stocked depot reaches.
    """

    item: str
    tier: int
    fill: Fraction
    recipients: int
    need: int
    units: int
    depots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Remainder:
    """Stock of ``item`` left in ``depot`` after the plan (no recipient it reaches is short)."""

    depot: str
    item: str
    units: int


_Row = TypeVar("_Row", Shipment, Delivery)


class Rows(Sequence[_Row]):
    """An immutable sequence of records kept as columns; each record is made when it is read.

    A city's plan has hundreds of thousands of shipments and deliveries: making them all as
    objects would take longer than solving the plan, and most readers want one column (the
    units) or stream them once (to JSON).
    """

    __slots__ = ("_columns", "_make")

    def __init__(self, make: Callable[[Iterable[Any]], _Row], columns: Sequence[list[Any]]) -> None:
        self._make: Callable[[Iterable[Any]], _Row] = make
        self._columns: tuple[list[Any], ...] = tuple(columns)

    def column(self, number: int) -> list[Any]:
        """The values of one field, by its position in the record (a copy)."""
        return list(self._columns[number])

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, index: int) -> _Row: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_Row]: ...

    def __getitem__(self, index: int | slice) -> _Row | Sequence[_Row]:
        if isinstance(index, slice):
            return tuple(self)[index]
        return self._make(column[index] for column in self._columns)

    def __iter__(self) -> Iterator[_Row]:
        return map(self._make, zip(*self._columns, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self._columns == other._columns
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Allocation:
    """The plan: shipments, what each recipient gets, the fill levels, what is left, the cost."""

    shipments: Rows[Shipment]
    deliveries: Rows[Delivery]
    levels: tuple[Level, ...]
    remainders: tuple[Remainder, ...]
    unreachable: tuple[str, ...]
    total_cost: int
    _index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)

    def units_of(self, recipient: str, item: str) -> int:
        """Units of ``item`` that ``recipient`` gets (0 when it needs none)."""
        if not self._index:
            recipients, items = self.deliveries.column(0), self.deliveries.column(1)
            for number, key in enumerate(zip(recipients, items, strict=True)):
                self._index[key] = number
        found = self._index.get((recipient, item))
        return 0 if found is None else self.deliveries[found].units


# --------------------------------------------------------------------------------------------
# Validation


def _quoted(value: object) -> str:
    """``value`` as an error message quotes it: cut to MAX_SHOWN characters (a name of a million
    characters, a list of a million numbers, are not one readable line)."""
    if isinstance(value, str):
        return shown(value)
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


class _TooManyDigits:
    """What the JSON reader gives for a number of more than MAX_DIGITS digits (Python would
    refuse to convert it beyond 4,300): not a whole number, so the field that holds it is
    refused, naming its place and its length."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits

    def __repr__(self) -> str:
        return f"a number of {self.digits} digits"


def _json_int(text: str) -> int | _TooManyDigits:
    digits = len(text.lstrip("-"))
    return _TooManyDigits(digits) if digits > MAX_DIGITS else int(text)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _whole(value: object, place: str, *, at_least: int = 0, at_most: int = MAX_UNITS) -> int:
    if _is_whole(value) and at_least <= value <= at_most:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    raise InvalidInput(
        f"{place}: must be a whole number from {at_least} to {at_most}, got {_quoted(value)}"
    )


def _name(value: object, place: str) -> str:
    if isinstance(value, str) and value.strip():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\\ud800" in JSON) is not text
            raise InvalidInput(
                f"{place}: must be a text, got one that is not valid Unicode"
            ) from None
        return value
    raise InvalidInput(f"{place}: must be a non-empty text, got {_quoted(value)}")


def _checked(problem: Problem) -> None:
    """Raise :class:`InvalidInput` naming the first problem of ``problem``, if any."""
    if not isinstance(problem, Problem):
        raise InvalidInput("the input must be a Problem(items, depots, recipients)")
    items: set[str] = set()
    for i, item in enumerate(problem.items):
        if not isinstance(item, Item):
            raise InvalidInput(f"items[{i}]: must be an Item")
        _name(item.id, f"items[{i}].id")
        if item.id in items:
            raise InvalidInput(f"items[{i}]: duplicate item {_quoted(item.id)}")
        items.add(item.id)
    depots: set[str] = set()
    totals = dict.fromkeys(items, 0)
    for d, depot in enumerate(problem.depots):
        if not isinstance(depot, Depot):
            raise InvalidInput(f"depots[{d}]: must be a Depot")
        place = f"depots[{d}] ({_quoted(depot.id)})"
        _name(depot.id, f"depots[{d}].id")
        if depot.id in depots:
            raise InvalidInput(f"{place}: duplicate depot id")
        depots.add(depot.id)
        for item_id, units in depot.stock.items():
            if item_id not in items:
                raise InvalidInput(f"{place}.stock: unknown item {_quoted(item_id)}")
            totals[item_id] += _whole(units, f"{place}.stock.{item_id}")
    for item_id, total in totals.items():
        if total > MAX_UNITS:
            raise InvalidInput(f"item {_quoted(item_id)}: total stock {total} is above {MAX_UNITS}")
    totals = dict.fromkeys(items, 0)
    recipients: set[str] = set()
    for r, recipient in enumerate(problem.recipients):
        if not isinstance(recipient, Recipient):
            raise InvalidInput(f"recipients[{r}]: must be a Recipient")
        place = f"recipients[{r}] ({_quoted(recipient.id)})"
        _name(recipient.id, f"recipients[{r}].id")
        if recipient.id in recipients:
            raise InvalidInput(f"{place}: duplicate recipient id")
        recipients.add(recipient.id)
        _whole(recipient.tier, f"{place}.tier", at_least=1, at_most=1000)
        for item_id, units in recipient.need.items():
            if item_id not in items:
                raise InvalidInput(f"{place}.need: unknown item {_quoted(item_id)}")
            totals[item_id] += _whole(units, f"{place}.need.{item_id}")
        seen: set[str] = set()
        for k, route in enumerate(recipient.routes):
            if not isinstance(route, Route):
                raise InvalidInput(f"{place}.routes[{k}]: must be a Route")
            if route.depot not in depots:
                raise InvalidInput(f"{place}.routes[{k}]: unknown depot {_quoted(route.depot)}")
            if route.depot in seen:
                raise InvalidInput(
                    f"{place}.routes[{k}]: depot {_quoted(route.depot)} listed twice"
                )
            seen.add(route.depot)
            _whole(route.cost, f"{place}.routes[{k}].cost", at_most=MAX_COST)
    for item_id, total in totals.items():
        if total > MAX_UNITS:
            raise InvalidInput(f"item {_quoted(item_id)}: total need {total} is above {MAX_UNITS}")


# --------------------------------------------------------------------------------------------
# The solver for one item


@dataclass(slots=True)
class _Group:
    """A level group found by water-filling: its tier, exact level ``p/q`` and used-up depots."""

    tier: int
    p: int
    q: int
    depots: list[int]


@dataclass(slots=True)
class _ItemPlan:
    """The plan of one item in arrays: flow on every route, and each recipient's group."""

    route_units: Int64Array
    group_of: Int64Array  # per recipient; -1 when it needs none of the item
    groups: list[_Group]


_FUTURE, _ACTIVE, _FULL, _FROZEN, _DONE = 0, 1, 2, 3, 4


class _Classes:
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


def _water_fill(stock: Int64Array, classes: _Classes) -> tuple[Int64Array, list[_Group]]:
    """Rules 1 and 2 on classes: the level group of every class (see the module docstring)."""
    depots = len(stock)
    count = classes.count
    state = np.where(classes.tier > 0, _FUTURE, _DONE).astype(np.int64)
    group_of = np.full(count, -1, dtype=np.int64)
    available = stock > 0
    groups: list[_Group] = []
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
                groups.append(_Group(tier=int(level), p=0, q=1, depots=[]))
                continue
            p, q = 1, 1
            while True:
                feasible, sink_depots, sink_classes = cut(p, q)
                active_side = sink_classes & (state == _ACTIVE)
                full_side = sink_classes & (state == _FULL)
                if feasible and (p, q) == (1, 1):
                    group_of[state == _ACTIVE] = len(groups)
                    state[state == _ACTIVE] = _FULL
                    groups.append(_Group(tier=int(level), p=1, q=1, depots=[]))
                    break
                if feasible:
                    if not active_side.any():  # pragma: no cover - excluded by the theory
                        raise ConsejoError("water-filling found no bottleneck; please report")
                    group_of[active_side] = len(groups)
                    state[active_side] = _FROZEN
                    state[full_side] = _DONE
                    available[sink_depots] = False
                    groups.append(
                        _Group(
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


def _solve_item(
    *,
    stock: Int64Array,
    need: Int64Array,
    tier: Int64Array,
    route_depot: Int32Array,
    route_recipient: Int32Array,
    route_cost: Int64Array,
) -> _ItemPlan:
    """The whole plan of one item: water-filling, then one integer minimum-cost flow."""
    depots, recipients = len(stock), len(need)
    classes = _Classes(
        stock=stock,
        need=need,
        tier=tier,
        route_depot=route_depot,
        route_recipient=route_recipient,
    )
    class_group, groups = _water_fill(stock, classes)
    group_of = np.full(recipients, -1, dtype=np.int64)
    needy = classes.class_of >= 0
    group_of[needy] = class_group[classes.class_of[needy]]
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
    return _ItemPlan(route_units=route_units, group_of=group_of, groups=groups)


# --------------------------------------------------------------------------------------------
# The public solver


@dataclass(slots=True)
class _Compiled:
    """A valid problem as arrays: routes in the order of the recipients and their routes."""

    recipient_ids: list[str]
    depot_ids: list[str]
    tier: Int64Array
    need: Int64Array  # (items, recipients)
    stock: Int64Array  # (items, depots)
    route_recipient: Int32Array
    route_depot: Int32Array
    route_cost: Int64Array


def _compiled(problem: Problem) -> _Compiled:
    """Check ``problem`` and turn it into arrays in one pass.

    The pass is fast and at least as strict as :func:`_checked`; when it finds anything wrong it
    lets :func:`_checked` raise the error that names the place.
    """
    try:
        return _compiled_or_none(problem)
    except _Rejected:
        _checked(problem)
        raise InvalidInput(  # pragma: no cover - _checked names every rejected value
            "the input holds a value of an unexpected type (whole numbers must be plain int)"
        ) from None


class _Rejected(Exception):
    """Raised by the fast pass of :func:`_compiled` at the first doubtful value."""


def _compiled_or_none(problem: Problem) -> _Compiled:
    if type(problem) is not Problem:
        raise _Rejected
    item_index: dict[str, int] = {}
    for item in problem.items:
        if type(item) is not Item or type(item.id) is not str or not item.id.strip():
            raise _Rejected
        item_index[item.id] = len(item_index)
    if len(item_index) != len(problem.items):
        raise _Rejected
    depot_index: dict[str, int] = {}
    stock = np.zeros((len(item_index), len(problem.depots)), dtype=np.int64)
    for d, depot in enumerate(problem.depots):
        if type(depot) is not Depot or type(depot.id) is not str or not depot.id.strip():
            raise _Rejected
        depot_index[depot.id] = d
        for item_id, units in depot.stock.items():
            k = item_index.get(item_id)
            if k is None or type(units) is not int or not 0 <= units <= MAX_UNITS:
                raise _Rejected
            stock[k, d] = units
    if len(depot_index) != len(problem.depots):
        raise _Rejected
    recipient_ids: list[str] = []
    tiers: list[int] = []
    counts: list[int] = []
    need_recipient: list[int] = []
    need_item: list[int] = []
    need_units: list[int] = []
    route_depot: list[int] = []
    route_cost: list[int] = []
    for r, recipient in enumerate(problem.recipients):
        if type(recipient) is not Recipient:
            raise _Rejected
        recipient_id, tier, routes = recipient.id, recipient.tier, recipient.routes
        if type(recipient_id) is not str or not recipient_id.strip():
            raise _Rejected
        if type(tier) is not int or not 1 <= tier <= 1000:
            raise _Rejected
        recipient_ids.append(recipient_id)
        tiers.append(tier)
        for item_id, units in recipient.need.items():
            position = item_index.get(item_id)
            if position is None or type(units) is not int or not 0 <= units <= MAX_UNITS:
                raise _Rejected
            need_recipient.append(r)
            need_item.append(position)
            need_units.append(units)
        counts.append(len(routes))
        for route in routes:
            if type(route) is not Route:
                raise _Rejected
            reached = depot_index.get(route.depot)
            cost = route.cost
            if reached is None or type(cost) is not int or not 0 <= cost <= MAX_COST:
                raise _Rejected
            route_depot.append(reached)
            route_cost.append(cost)
    if len(set(recipient_ids)) != len(recipient_ids):
        raise _Rejected
    pairs = np.repeat(np.arange(len(counts), dtype=np.int64), counts) * max(1, len(depot_index))
    pairs += np.array(route_depot, dtype=np.int64)
    pairs.sort()
    if (pairs[1:] == pairs[:-1]).any():  # a depot listed twice for one recipient
        raise _Rejected
    need = np.zeros((len(item_index), len(recipient_ids)), dtype=np.int64)
    need[np.array(need_item, dtype=np.int64), np.array(need_recipient, dtype=np.int64)] = np.array(
        need_units, dtype=np.int64
    )
    if (stock.sum(axis=1) > MAX_UNITS).any() or (need.sum(axis=1) > MAX_UNITS).any():
        raise _Rejected
    return _Compiled(
        recipient_ids=recipient_ids,
        depot_ids=list(depot_index),
        tier=np.array(tiers, dtype=np.int64),
        need=need,
        stock=stock,
        route_recipient=np.repeat(
            np.arange(len(recipient_ids), dtype=np.int32), np.array(counts, dtype=np.int64)
        ),
        route_depot=np.array(route_depot, dtype=np.int32),
        route_cost=np.array(route_cost, dtype=np.int64),
    )


def allocate(problem: Problem) -> Allocation:
    """The integer allocation plan of ``problem`` under rules 1-5 (see the module docstring).

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
    data = _compiled(problem)
    items = [item.id for item in problem.items]
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
        plan = _solve_item(
            stock=stock,
            need=need,
            tier=data.tier,
            route_depot=data.route_depot,
            route_recipient=data.route_recipient,
            route_cost=data.route_cost,
        )
        route_units[k] = plan.route_units
        total_cost += int((plan.route_units * data.route_cost).sum())
        received[k] = np.bincount(
            data.route_recipient, weights=plan.route_units, minlength=recipients
        ).astype(np.int64)
        fill_of[k] = np.where(plan.group_of >= 0, plan.group_of + len(fills), 0)
        for index, group in enumerate(plan.groups):
            members = plan.group_of == index
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
        sent = np.bincount(data.route_depot, weights=plan.route_units, minlength=len(depot_ids))
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
        unreachable=tuple(r.id for r in problem.recipients if not r.routes),
        total_cost=total_cost,
    )


# --------------------------------------------------------------------------------------------
# JSON


def _field(data: Mapping[str, Any], key: str, place: str) -> Any:
    if key not in data:
        raise InvalidInput(f"{place}: missing field {_quoted(key)}")
    return data[key]


def _object(value: object, place: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{place}: must be an object {{...}}, got {type(value).__name__}")
    return value


def _array(value: object, place: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(f"{place}: must be a list [...], got {type(value).__name__}")
    return value


def _amounts(value: object, place: str) -> dict[str, int]:
    amounts = _object(value, place)
    return {key: _whole(units, f"{place}.{key}") for key, units in amounts.items()}


def _known(data: Mapping[str, Any], allowed: Sequence[str], place: str) -> None:
    for key in data:
        if key not in allowed:
            raise InvalidInput(
                f"{place}: unknown field {_quoted(key)} (allowed: {', '.join(allowed)})"
            )


def read_json(text: str) -> Problem:
    """Read a :class:`Problem` from JSON text (the format is in ``docs/allocation.md``).

    Shape: ``{"items": [{"id", "unit"?}], "depots": [{"id", "stock": {item: units}}],
    "recipients": [{"id", "tier", "need": {item: units}, "routes": [{"depot", "cost"?}]}]}``.
    Unknown fields are rejected, not ignored, so that a misspelt field is never silently dropped.
    JSON nested more than ``MAX_JSON_DEPTH`` levels and numbers of more than ``MAX_DIGITS`` digits
    are refused (consejo.core.limits; docs/limits.md).
    Every error is one line naming the place, e.g.
    ``depots[0] ('senkata').stock.gas: must be a whole number from 0 to 1000000000, got -5``.
    """
    check_json_depth(text)
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"line {error.lineno} column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    root = _object(data, "the file")
    _known(root, ("items", "depots", "recipients"), "the file")
    items: list[Item] = []
    for i, raw in enumerate(_array(_field(root, "items", "the file"), "items")):
        entry = _object(raw, f"items[{i}]")
        _known(entry, ("id", "unit"), f"items[{i}]")
        unit = entry.get("unit", "unit")
        items.append(
            Item(id=_name(_field(entry, "id", f"items[{i}]"), f"items[{i}].id"), unit=unit)
        )
        _name(unit, f"items[{i}].unit")
    depots: list[Depot] = []
    for d, raw in enumerate(_array(_field(root, "depots", "the file"), "depots")):
        place = f"depots[{d}]"
        entry = _object(raw, place)
        _known(entry, ("id", "stock"), place)
        depot_id = _name(_field(entry, "id", place), f"{place}.id")
        place = f"{place} ({_quoted(depot_id)})"
        stock = _amounts(_field(entry, "stock", place), f"{place}.stock")
        depots.append(Depot(id=depot_id, stock=stock))
    recipients: list[Recipient] = []
    for r, raw in enumerate(_array(_field(root, "recipients", "the file"), "recipients")):
        place = f"recipients[{r}]"
        entry = _object(raw, place)
        _known(entry, ("id", "tier", "need", "routes"), place)
        recipient_id = _name(_field(entry, "id", place), f"{place}.id")
        place = f"{place} ({_quoted(recipient_id)})"
        routes: list[Route] = []
        for k, raw_route in enumerate(_array(_field(entry, "routes", place), f"{place}.routes")):
            route_place = f"{place}.routes[{k}]"
            route = _object(raw_route, route_place)
            _known(route, ("depot", "cost"), route_place)
            routes.append(
                Route(
                    depot=_name(_field(route, "depot", route_place), f"{route_place}.depot"),
                    cost=_whole(route.get("cost", 0), f"{route_place}.cost", at_most=MAX_COST),
                )
            )
        recipients.append(
            Recipient(
                id=recipient_id,
                tier=_whole(
                    _field(entry, "tier", place), f"{place}.tier", at_least=1, at_most=1000
                ),
                need=_amounts(_field(entry, "need", place), f"{place}.need"),
                routes=tuple(routes),
            )
        )
    problem = Problem(items=tuple(items), depots=tuple(depots), recipients=tuple(recipients))
    _checked(problem)
    return problem


def _decimal(value: Fraction, places: int = 4) -> str:
    """``value`` (≥ 0) as a decimal with ``places`` places, rounded half up, exactly."""
    scale = 10**places
    whole, part = divmod(math.floor(value * scale + Fraction(1, 2)), scale)
    return f"{whole}.{part:0{places}d}"


def _decimal_product(fill: Fraction, need: int, places: int = 4) -> str:
    """``fill * need`` as :func:`_decimal` writes it, with integers only (no Fraction made)."""
    scale = 10**places
    numerator, denominator = fill.numerator * need * scale, fill.denominator
    scaled = (2 * numerator + denominator) // (2 * denominator)
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def to_json(result: Allocation) -> dict[str, object]:
    """The plan as a JSON-ready dict (the format is in ``docs/allocation.md``).

    Shape: ``{"total_cost": N, "shipments": [{"depot", "recipient", "item", "units", "cost"}],
    "deliveries": [{"recipient", "item", "tier", "need", "units", "fill", "target"}],
    "levels": [{"item", "tier", "fill", "recipients", "need", "units", "depots"}],
    "remainders": [{"depot", "item", "units"}], "unreachable": [id, ...]}``, where ``fill`` and
    ``target`` are the exact values of the fractional plan as decimals with 4 places (rounded half
    up), so that no float rounding reaches the output; ``cost`` is per unit.
    """
    fill_text = {level.fill: _decimal(level.fill) for level in result.levels}
    return {
        "total_cost": result.total_cost,
        "shipments": [
            dict(zip(Shipment._fields, row, strict=True))
            for row in zip(*result.shipments._columns, strict=True)
        ],
        "deliveries": [
            {
                "recipient": recipient,
                "item": item,
                "tier": tier,
                "need": need,
                "units": units,
                "fill": fill_text[fill] if fill in fill_text else _decimal(fill),
                "target": _decimal_product(fill, need),
            }
            for recipient, item, tier, need, units, fill in zip(
                *result.deliveries._columns, strict=True
            )
        ],
        "levels": [
            {
                "item": level.item,
                "tier": level.tier,
                "fill": _decimal(level.fill),
                "recipients": level.recipients,
                "need": level.need,
                "units": level.units,
                "depots": list(level.depots),
            }
            for level in result.levels
        ],
        "remainders": [
            {"depot": rest.depot, "item": rest.item, "units": rest.units}
            for rest in result.remainders
        ],
        "unreachable": list(result.unreachable),
    }
