"""Allocation speed: consejo's solver against one naive LP in HiGHS and OR-Tools' min-cost flow.

Run: ``.venv/bin/python benchmarks/allocation_peers.py [--sizes 100000,1000000]``. Figures:
docs/allocation.md.

The instance is random and seeded: 20 depots, 3 items, 4 tiers, each recipient reached by 3 to 5
depots at a cost of 1 to 99 per unit, needs of 1 to 40 units (a tenth of the recipients need
none of an item), and stock for about 60 % of the total need of each item, so that every tier
but the first is short. In the same run, on the same instance:

- **consejo**: ``allocate(problem)``, the whole plan (tiers, leximin fairness, least cost, whole
  units, no waste) from the input data classes to the output data classes.
- **naive LP**: one linear program for all three items in scipy's HiGHS (``linprog``), a variable
  per route and item, the tiers' priority and the cost folded into one objective
  (``max Σ weight(tier)·units - Σ cost·units``, the weight gap above any path cost). It gives
  priority and cost only: no fairness, fractional units.
- **OR-Tools min-cost flow**: the same priority-and-cost objective as one network per item
  (``SimpleMinCostFlow``, the tier weight as a negative cost on the recipient's arc to the sink),
  integral but without fairness.

Each system's tier totals are compared: they must be equal (all three give rule 1). The LP
is skipped when its estimated time is above ``--limit`` seconds.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from importlib.metadata import version
from typing import Any

import numpy as np
from ortools.graph.python import min_cost_flow
from scipy.optimize import linprog
from scipy.sparse import csr_array

from consejo.core.allocation import Allocation, Depot, Item, Problem, Recipient, Route, allocate

DEPOTS = 20
ITEMS = ("gas-10kg", "flour", "water")
TIERS = 4
SEED = 2005
MAX_COST = 99
#: The weight of one unit to tier k: above the cost of any augmenting path (≤ 2·DEPOTS arcs).
TIER_GAP = 2 * DEPOTS * MAX_COST + 1


def tier_weight(tier: int) -> int:
    return (TIERS + 1 - tier) * TIER_GAP


class Instance:
    """A random instance as arrays (for the peers) and as consejo's ``Problem``."""

    def __init__(self, recipients: int, *, seed: int = SEED) -> None:
        rng = np.random.default_rng(seed)
        self.recipients = recipients
        degree = rng.integers(3, 6, size=recipients)
        self.route_recipient = np.repeat(np.arange(recipients), degree)
        # 3-5 distinct depots each: the first `degree` of a random permutation.
        keys = rng.random((recipients, DEPOTS))
        order = np.argsort(keys, axis=1)
        mask = np.arange(DEPOTS)[None, :] < degree[:, None]
        self.route_depot = order[mask]
        self.route_cost = rng.integers(1, MAX_COST + 1, size=len(self.route_depot))
        self.tier = rng.integers(1, TIERS + 1, size=recipients)
        self.need = rng.integers(1, 41, size=(len(ITEMS), recipients))
        self.need[rng.random((len(ITEMS), recipients)) < 0.1] = 0
        share = rng.dirichlet(np.ones(DEPOTS) * 4, size=len(ITEMS))
        totals = (self.need.sum(axis=1) * 0.6).astype(np.int64)
        self.stock = np.floor(share * totals[:, None]).astype(np.int64)

    def problem(self) -> Problem:
        depot_ids = [f"depot-{d:02d}" for d in range(DEPOTS)]
        starts = np.concatenate([[0], np.cumsum(np.bincount(self.route_recipient))])
        depots = tuple(
            Depot(depot_ids[d], {item: int(self.stock[k, d]) for k, item in enumerate(ITEMS)})
            for d in range(DEPOTS)
        )
        route_depot = self.route_depot.tolist()
        route_cost = self.route_cost.tolist()
        need = self.need.T.tolist()
        tier = self.tier.tolist()
        recipients = []
        for r in range(self.recipients):
            routes = tuple(
                Route(depot_ids[route_depot[a]], route_cost[a])
                for a in range(starts[r], starts[r + 1])
            )
            wants = {item: n for item, n in zip(ITEMS, need[r], strict=True) if n}
            recipients.append(Recipient(f"r{r}", tier[r], wants, routes))
        return Problem(tuple(Item(i) for i in ITEMS), depots, tuple(recipients))


def tier_totals(instance: Instance, item: int, units: np.ndarray) -> list[int]:
    """Units per tier (1..4) of one item, from units per recipient."""
    return [int(units[instance.tier == t].sum()) for t in range(1, TIERS + 1)]


def consejo_totals(plan: Allocation) -> tuple[list[list[int]], int]:
    """Units per item and tier of consejo's plan (read after the timing), and its cost."""
    totals = [[0] * TIERS for _ in ITEMS]
    for delivery in plan.deliveries:
        totals[ITEMS.index(delivery.item)][delivery.tier - 1] += delivery.units
    return totals, plan.total_cost


def run_lp(instance: Instance, method: str) -> tuple[list[list[float]], float]:
    """One LP over all items: variables (item, route); rows: stock per (item, depot), need per
    (item, recipient)."""
    routes = len(instance.route_depot)
    items = len(ITEMS)
    columns = np.arange(items * routes)
    item_of = columns // routes
    route_of = columns % routes
    depot_rows = item_of * DEPOTS + instance.route_depot[route_of]
    need_rows = items * DEPOTS + item_of * instance.recipients + instance.route_recipient[route_of]
    rows = np.concatenate([depot_rows, need_rows])
    matrix = csr_array(
        (np.ones(2 * len(columns)), (rows, np.concatenate([columns, columns]))),
        shape=(items * DEPOTS + items * instance.recipients, len(columns)),
    )
    bounds = np.concatenate([instance.stock.reshape(-1), instance.need.reshape(-1)])
    weight = np.array([tier_weight(t) for t in range(TIERS + 1)])
    objective = (
        instance.route_cost[route_of] - weight[instance.tier[instance.route_recipient]][route_of]
    )
    result = linprog(objective, A_ub=matrix, b_ub=bounds, bounds=(0, None), method=method)
    if result.status != 0:
        raise SystemExit(f"the LP failed: {result.message}")
    x = result.x
    totals = []
    for k in range(items):
        into = np.bincount(
            instance.route_recipient,
            weights=x[k * routes : (k + 1) * routes],
            minlength=instance.recipients,
        )
        totals.append([float(into[instance.tier == t].sum()) for t in range(1, TIERS + 1)])
    cost = float((x * instance.route_cost[route_of]).sum())
    return totals, cost


def run_min_cost_flow(instance: Instance) -> tuple[list[list[int]], int]:
    """One network per item: depots → recipients → sink, the tier weight as a negative cost."""
    depots, recipients = DEPOTS, instance.recipients
    sink = depots + recipients
    totals, cost = [], 0
    weight = np.array([tier_weight(t) for t in range(TIERS + 1)], dtype=np.int64)
    for k in range(len(ITEMS)):
        solver = min_cost_flow.SimpleMinCostFlow()
        stock = instance.stock[k]
        need = instance.need[k]
        arcs = solver.add_arcs_with_capacity_and_unit_cost(
            instance.route_depot.astype(np.int32),
            (instance.route_recipient + depots).astype(np.int32),
            np.minimum(need[instance.route_recipient], stock[instance.route_depot]),
            instance.route_cost.astype(np.int64),
        )
        solver.add_arcs_with_capacity_and_unit_cost(
            np.arange(depots, sink, dtype=np.int32),
            np.full(recipients, sink, dtype=np.int32),
            need.astype(np.int64),
            -weight[instance.tier],
        )
        # Unused stock flows straight to the sink at no cost.
        solver.add_arcs_with_capacity_and_unit_cost(
            np.arange(depots, dtype=np.int32),
            np.full(depots, sink, dtype=np.int32),
            stock,
            np.zeros(depots, dtype=np.int64),
        )
        solver.set_nodes_supplies(np.arange(depots, dtype=np.int32), stock)
        solver.set_node_supply(sink, -int(stock.sum()))
        status = solver.solve()
        if status != solver.OPTIMAL:
            raise SystemExit(f"min-cost flow failed: {status}")
        flows = np.asarray(solver.flows(np.asarray(arcs, dtype=np.int32)))
        into = np.bincount(instance.route_recipient, weights=flows, minlength=recipients)
        totals.append(tier_totals(instance, k, into))
        cost += int((flows * instance.route_cost).sum())
    return totals, cost


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="recipients, comma-separated")
    parser.add_argument("--lp-method", default="highs-ipm", help="highs-ipm, highs-ds, highs")
    parser.add_argument("--limit", type=float, default=300.0, help="skip the LP above this")
    arguments = parser.parse_args()
    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"ortools {version('ortools')}, scipy {version('scipy')}, numpy {version('numpy')}, "
        f"{DEPOTS} depots, {len(ITEMS)} items, {TIERS} tiers"
    )
    lp_seconds_per_route: float | None = None
    for size in (int(s) for s in arguments.sizes.split(",")):
        instance = Instance(size)
        build, problem = timed(instance.problem)
        ours, plan = timed(partial(allocate, problem))
        our_totals, our_cost = consejo_totals(plan)
        del plan
        mcf, (mcf_totals, mcf_cost) = timed(partial(run_min_cost_flow, instance))
        routes = len(instance.route_depot)
        print(f"\n## {size:,} recipients, {routes:,} routes; building the input: {build:.2f} s")
        print(f"consejo (whole plan)            {ours:8.2f} s   cost {our_cost:,}")
        print(
            f"OR-Tools min-cost flow (prio+cost) {mcf:5.2f} s   cost {mcf_cost:,}"
            f"   consejo / it: {ours / mcf:.2f}x"
        )
        estimate = None if lp_seconds_per_route is None else lp_seconds_per_route * routes
        if estimate is not None and estimate > arguments.limit:
            print(f"naive LP ({arguments.lp_method}): skipped, estimated {estimate:.0f} s")
            lp_totals = None
        else:
            lp, (lp_totals, lp_cost) = timed(partial(run_lp, instance, arguments.lp_method))
            lp_seconds_per_route = lp / routes
            print(
                f"naive LP in HiGHS ({arguments.lp_method}) {lp:8.2f} s   cost {lp_cost:,.0f}"
                f"   it / consejo: {lp / ours:.1f}x"
            )
        for k, item in enumerate(ITEMS):
            print(f"  {item:9} tier totals: consejo {our_totals[k]}, min-cost flow {mcf_totals[k]}")
            if our_totals[k] != mcf_totals[k]:
                print("  !! the tier totals differ")
            if lp_totals is not None and any(
                abs(a - b) > 1e-3 for a, b in zip(lp_totals[k], our_totals[k], strict=True)
            ):
                print(f"  !! the LP's tier totals differ: {lp_totals[k]}")


if __name__ == "__main__":
    main()
