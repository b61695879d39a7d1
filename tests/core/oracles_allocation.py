"""Independent oracles of the allocation rules (consejo.core.allocation), apart from the solver.

Linear programs in scipy's HiGHS over the variables "units on each route" (tier totals, a leximin
sequence of LPs, least cost for given amounts), and rule 5 checked directly on a plan. The solver
itself uses OR-Tools' network flows and exact fractions, so the two share no code and no method.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from scipy.optimize import linprog

from consejo.core.allocation import Allocation, Problem

EPS = 1e-6
#: HiGHS solves within tolerances: tight ones here, and each bound the next LP of an oracle takes
#: from an answer already found (an amount, a ratio) is loosened by LP_TOLERANCE per unit of need,
#: so that HiGHS's rounding never makes that LP infeasible. What the loosened bounds leave free is
#: counted when a recipient is frozen; it stays far below the smallest true difference of ratios.
HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
LP_TOLERANCE = 1e-8


class Lp:
    """The LP of one item: a variable per route with stock, constraints of stock and need."""

    def __init__(self, problem: Problem, item: str) -> None:
        self.depots = [d.id for d in problem.depots]
        stock = {d.id: d.stock.get(item, 0) for d in problem.depots}
        self.recipients = [r for r in problem.recipients if r.need.get(item, 0) > 0]
        self.need = [r.need[item] for r in self.recipients]
        self.routes = [
            (i, route.depot, route.cost)
            for i, r in enumerate(self.recipients)
            for route in r.routes
            if stock[route.depot] > 0
        ]
        n = len(self.routes)
        self.n = n
        rows, bounds = [], []
        for depot in self.depots:
            rows.append([1.0 if d == depot else 0.0 for _, d, _ in self.routes])
            bounds.append(stock[depot])
        for i, need in enumerate(self.need):
            rows.append([1.0 if r == i else 0.0 for r, _, _ in self.routes])
            bounds.append(need)
        self.a_ub = np.array(rows).reshape(len(rows), n)
        self.b_ub = np.array(bounds, dtype=float)

    def into(self, i: int) -> np.ndarray:
        return np.array([1.0 if r == i else 0.0 for r, _, _ in self.routes])

    def optimum(
        self,
        objective: np.ndarray,
        equal: list[tuple[np.ndarray, float]] = (),  # type: ignore[assignment]
        at_least: list[tuple[np.ndarray, float]] = (),  # type: ignore[assignment]
    ) -> float | None:
        """Min of ``objective``, or None when infeasible."""
        if self.n == 0:
            feasible = all(abs(v) < EPS for _, v in equal) and all(v < EPS for _, v in at_least)
            return 0.0 if feasible else None
        a_ub = [*self.a_ub, *(-row for row, _ in at_least)]
        b_ub = [*self.b_ub, *(-v for _, v in at_least)]
        result = linprog(
            objective,
            A_ub=np.array(a_ub),
            b_ub=np.array(b_ub),
            A_eq=np.array([row for row, _ in equal]) if equal else None,
            b_eq=np.array([v for _, v in equal]) if equal else None,
            bounds=(0, None),
            method="highs",
            options=HIGHS,
        )
        return float(result.fun) if result.status == 0 else None

    def most(
        self,
        objective: np.ndarray,
        equal: list[tuple[np.ndarray, float]] = (),  # type: ignore[assignment]
        at_least: list[tuple[np.ndarray, float]] = (),  # type: ignore[assignment]
    ) -> float:
        """Max of ``objective``. Every LP asked here has a solution (the bounds come from amounts
        already reached), so an infeasible one is the oracle's failure: it must never read as
        0, which would wrongly claim that a recipient can get nothing more."""
        value = self.optimum(-objective, equal=equal, at_least=at_least)
        if value is None:  # pragma: no cover - an LP oracle failure
            raise AssertionError("the oracle's LP is infeasible")
        return -value

    def tier_totals(self) -> dict[int, float]:
        """Rule 1's oracle: each tier's largest total, the higher tiers' totals kept."""
        kept: list[tuple[np.ndarray, float]] = []
        totals = {}
        for tier in sorted({r.tier for r in self.recipients}):
            row = sum(
                (self.into(i) for i, r in enumerate(self.recipients) if r.tier == tier),
                np.zeros(self.n),
            )
            best = self.most(row, at_least=kept)
            totals[tier] = best
            kept.append((row, best - EPS))
        return totals

    def leximin(self) -> list[float]:
        """Rule 2's oracle: leximin amounts, tier by tier (the classic sequence of LPs).

        In a tier: maximize the common ratio ``t`` of the active recipients; a recipient whose
        ratio cannot exceed ``t`` while the others keep ``t`` is frozen at ``t``; repeat.
        Recipients of higher tiers keep their amounts (not their routes).
        """
        amounts: dict[int, float] = {}
        for tier in sorted({r.tier for r in self.recipients}):
            active = [i for i, r in enumerate(self.recipients) if r.tier == tier]
            while active:
                # Those already frozen keep their amounts, and those active at least the ratio t,
                # each within its tolerance.
                slack = {i: LP_TOLERANCE * (1 + self.need[i]) for i in amounts}
                kept = [(self.into(i), v - slack[i]) for i, v in amounts.items()]
                kept += [(-self.into(i), -v - slack[i]) for i, v in amounts.items()]
                t = self._max_ratio(active, kept)
                below = max(0.0, t - LP_TOLERANCE)
                floor = [(self.into(j), below * self.need[j]) for j in active]
                # What those tolerances let one recipient take from the others, at most.
                leak = 2 * sum(slack.values()) + LP_TOLERANCE * sum(self.need[j] for j in active)
                still = []
                for i in active:
                    best = self.most(self.into(i), at_least=kept + floor)
                    if best <= t * self.need[i] + leak + 1e-7:
                        amounts[i] = t * self.need[i]
                    else:
                        still.append(i)
                if len(still) == len(active):  # pragma: no cover - an LP oracle failure
                    raise AssertionError("the leximin oracle froze nobody")
                active = still
        return [amounts[i] for i in range(len(self.recipients))]

    def _max_ratio(self, active: list[int], kept: list[tuple[np.ndarray, float]]) -> float:
        """The largest common ratio ``t`` of the ``active`` recipients' needs, as one LP over the
        routes and ``t``: maximize t with into(j) >= t * need(j), the others kept."""
        if self.n == 0:
            return 0.0
        rows = [np.append(row, 0.0) for row in self.a_ub]
        bounds = list(self.b_ub)
        for row, value in kept:
            rows.append(np.append(-row, 0.0))
            bounds.append(-value)
        for j in active:
            rows.append(np.append(-self.into(j), float(self.need[j])))
            bounds.append(0.0)
        result = linprog(
            np.append(np.zeros(self.n), -1.0),
            A_ub=np.array(rows),
            b_ub=np.array(bounds),
            bounds=[*((0, None) for _ in range(self.n)), (0, 1)],
            method="highs",
            options=HIGHS,
        )
        if result.status != 0:  # pragma: no cover - an LP oracle failure
            raise AssertionError("the oracle's ratio LP is infeasible")
        return float(result.x[-1])

    def least_cost(self, amounts: list[int]) -> float | None:
        """Least transport cost that delivers exactly ``amounts`` (None if impossible)."""
        costs = np.array([float(c) for _, _, c in self.routes])
        equal = [(self.into(i), float(v)) for i, v in enumerate(amounts)]
        return self.optimum(costs, equal=equal)


def check_rules(problem: Problem, plan: Allocation) -> None:
    """Rule 5 directly, and the plan's basic bounds (stock, need, routes)."""
    stock = {(d.id, item): units for d in problem.depots for item, units in d.stock.items()}
    sent: dict[tuple[str, str], int] = defaultdict(int)
    got: dict[tuple[str, str], int] = defaultdict(int)
    routes = {r.id: {route.depot for route in r.routes} for r in problem.recipients}
    for s in plan.shipments:
        assert s.units > 0
        assert s.depot in routes[s.recipient]
        sent[s.depot, s.item] += s.units
        got[s.recipient, s.item] += s.units
    for key, units_sent in sent.items():
        assert units_sent <= stock.get(key, 0)
    for r in problem.recipients:
        for item in (i.id for i in problem.items):
            need = r.need.get(item, 0)
            assert got[r.id, item] <= need
            assert plan.units_of(r.id, item) == got[r.id, item]
            if got[r.id, item] < need:  # rule 5: no reachable depot keeps any of it
                for depot in routes[r.id]:
                    assert sent[depot, item] == stock.get((depot, item), 0), (r.id, depot, item)
