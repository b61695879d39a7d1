"""Supply allocation: hand-worked plans, and rules 1-5 against independent oracles.

The oracles are written here, apart from the solver: linear programs in scipy's HiGHS over the
variables "units on each route" (tier totals, a leximin sequence of LPs, least cost for given
amounts) and exhaustive search over whole-unit plans on tiny instances. The solver itself uses
OR-Tools' network flows and exact fractions, so the two share no code and no method.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import example, given, settings, strategies as st
from scipy.optimize import linprog

from consejo.core.allocation import (
    MAX_UNITS,
    Allocation,
    Depot,
    Item,
    Problem,
    Recipient,
    Route,
    allocate,
    allocate_json,
    read_json,
    to_json,
    write_json,
)
from consejo.core.errors import InvalidInput

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "allocation.json"
EPS = 1e-6
#: HiGHS solves within tolerances: tight ones here, and each bound the next LP of an oracle takes
#: from an answer already found (an amount, a ratio) is loosened by LP_TOLERANCE per unit of need,
#: so that HiGHS's rounding never makes that LP infeasible. What the loosened bounds leave free is
#: counted when a recipient is frozen; it stays far below the smallest true difference of ratios.
HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
LP_TOLERANCE = 1e-8

GAS = Item("gas", "cylinder")


def one_item(
    stock: dict[str, int], recipients: list[tuple[str, int, int, dict[str, int]]]
) -> Problem:
    """A gas-only problem: ``recipients`` as (id, tier, need, {depot: cost})."""
    return Problem(
        items=(GAS,),
        depots=tuple(Depot(d, {"gas": units}) for d, units in stock.items()),
        recipients=tuple(
            Recipient(r, tier, {"gas": need}, tuple(Route(d, c) for d, c in routes.items()))
            for r, tier, need, routes in recipients
        ),
    )


def units(plan: Allocation, item: str = "gas") -> dict[str, int]:
    return {d.recipient: d.units for d in plan.deliveries if d.item == item}


# ------------------------------------------------------------------------------------------------
# Hand-worked plans


def test_a_clinic_is_filled_before_any_neighborhood() -> None:
    problem = one_item(
        {"senkata": 10},
        [("barrio", 2, 10, {"senkata": 1}), ("clinic", 1, 4, {"senkata": 9})],
    )

    plan = allocate(problem)

    assert units(plan) == {"barrio": 6, "clinic": 4}
    assert plan.total_cost == 6 * 1 + 4 * 9


def test_a_tier_shares_by_the_same_fill_ratio_when_depots_allow() -> None:
    # 12 cylinders for needs 10, 6 and 4 (20): everyone gets 60 % of its need.
    problem = one_item(
        {"senkata": 12},
        [(name, 1, need, {"senkata": 0}) for name, need in [("a", 10), ("b", 6), ("c", 4)]],
    )

    plan = allocate(problem)

    # Whole units (rule 4): a's 6 is exact; b's 3.6 and c's 2.4 round down or up, and the level
    # keeps its exact total of 12. Costs are equal, so which of them gets the unit is not ruled.
    got = units(plan)
    assert got["a"] == 6
    assert (got["b"], got["c"]) in {(4, 2), (3, 3)}
    assert {d.recipient: d.target for d in plan.deliveries} == {
        "a": Fraction(6),
        "b": Fraction(18, 5),
        "c": Fraction(12, 5),
    }
    assert [level.fill for level in plan.levels] == [Fraction(3, 5)]


def test_a_recipient_tied_to_a_poor_depot_is_frozen_and_the_others_rise() -> None:
    # A has 10 and serves the clinic (4) first; n2 and n3 reach only B (5 units for 13 of need),
    # so they stop at 5/13; n1 reaches A and B and takes the 6 left in A: 60 %, not 5/13, since
    # raising it lowers nobody. "far" has no route at all.
    problem = one_item(
        {"A": 10, "B": 5},
        [
            ("clinic", 1, 4, {"A": 3}),
            ("n1", 2, 10, {"A": 1, "B": 2}),
            ("n2", 2, 10, {"B": 1}),
            ("n3", 2, 3, {"B": 1}),
            ("far", 2, 3, {}),
        ],
    )

    plan = allocate(problem)

    got = units(plan)
    assert got["clinic"] == 4
    assert got["n1"] == 6
    assert got["n2"] + got["n3"] == 5
    assert got["n2"] in (3, 4)
    assert got["n3"] in (1, 2)
    assert got["far"] == 0
    assert plan.unreachable == ("far",)
    assert sorted((lv.tier, lv.fill) for lv in plan.levels) == [
        (1, Fraction(1)),
        (2, Fraction(0)),
        (2, Fraction(5, 13)),
        (2, Fraction(3, 5)),
    ]
    assert plan.remainders == ()


def test_the_cheaper_depot_serves_when_fairness_does_not_care() -> None:
    problem = one_item(
        {"near": 5, "far": 5},
        [("kitchen", 1, 4, {"near": 1, "far": 7})],
    )

    plan = allocate(problem)

    assert [(s.depot, s.units) for s in plan.shipments] == [("near", 4)]
    assert plan.total_cost == 4
    assert [(r.depot, r.units) for r in plan.remainders] == [("near", 1), ("far", 5)]


def test_rounding_gives_the_extra_cylinder_where_it_costs_least() -> None:
    # Three clinics need one cylinder each and there are two: 2/3 each, rounded to 1, 1, 0.
    problem = one_item(
        {"plant": 2},
        [("c1", 1, 1, {"plant": 5}), ("c2", 1, 1, {"plant": 1}), ("c3", 1, 1, {"plant": 2})],
    )

    plan = allocate(problem)

    assert units(plan) == {"c1": 0, "c2": 1, "c3": 1}
    assert all(d.target == Fraction(2, 3) for d in plan.deliveries)


def test_no_cylinder_stays_in_a_depot_while_a_reachable_recipient_is_short() -> None:
    # B serves only y; a greedy "nearest depot" would leave B's stock unused.
    problem = one_item(
        {"A": 3, "B": 3},
        [("x", 1, 3, {"A": 1, "B": 0}), ("y", 1, 3, {"B": 5})],
    )

    plan = allocate(problem)

    assert units(plan) == {"x": 3, "y": 3}
    assert plan.remainders == ()


def test_items_are_planned_independently_and_costs_add_up() -> None:
    problem = Problem(
        items=(GAS, Item("flour", "kg")),
        depots=(Depot("A", {"gas": 2, "flour": 10}),),
        recipients=(
            Recipient("x", 1, {"gas": 2, "flour": 4}, (Route("A", 3),)),
            Recipient("y", 2, {"flour": 10}, (Route("A", 1),)),
        ),
    )

    plan = allocate(problem)

    assert units(plan, "gas") == {"x": 2}
    assert units(plan, "flour") == {"x": 4, "y": 6}
    assert plan.units_of("y", "gas") == 0
    assert plan.total_cost == 2 * 3 + 4 * 3 + 6 * 1


def test_the_example_file_gives_a_plan_that_keeps_every_rule() -> None:
    problem = read_json(EXAMPLE.read_text(encoding="utf-8"))

    plan = allocate(problem)

    check_rules(problem, plan)
    shaped = to_json(plan)
    assert json.loads(json.dumps(shaped)) == shaped
    assert set(shaped) == {
        "total_cost",
        "shipments",
        "deliveries",
        "levels",
        "remainders",
        "unreachable",
    }


def test_large_amounts_are_exact_and_each_level_keeps_its_whole_total() -> None:
    # Stocks and needs near the limit: levels are fractions with 9-digit denominators, and the
    # scaled capacities of the maximum flows are near 10**18.
    problem = one_item(
        {"A": 999_999_937, "B": 1},
        [
            ("x", 1, 400_000_009, {"A": 2}),
            ("y", 1, 333_333_331, {"A": 1, "B": 3}),
            ("z", 2, 266_666_653, {"A": 5}),
            ("w", 2, 7, {"B": 0}),
        ],
    )

    plan = allocate(problem)

    check_rules(problem, plan)
    for delivery in plan.deliveries:
        assert abs(delivery.units - delivery.target) < 1
    for level in plan.levels:
        members = [d for d in plan.deliveries if d.tier == level.tier and d.fill == level.fill]
        assert level.fill * level.need == level.units == sum(d.units for d in members)
    assert sum(d.units for d in plan.deliveries) == 999_999_938


def test_the_same_input_gives_the_same_plan() -> None:
    problem = read_json(EXAMPLE.read_text(encoding="utf-8"))

    assert to_json(allocate(problem)) == to_json(allocate(problem))


def test_a_recipient_whose_depots_hold_none_of_the_item_gets_nothing_and_is_not_unreachable() -> (
    None
):
    problem = one_item({"A": 0, "B": 4}, [("x", 1, 3, {"A": 1}), ("y", 2, 3, {"B": 1})])

    plan = allocate(problem)

    assert units(plan) == {"x": 0, "y": 3}
    assert plan.unreachable == ()
    assert [(lv.tier, lv.fill, lv.depots) for lv in plan.levels] == [
        (1, Fraction(0), ()),
        (2, Fraction(1), ()),
    ]


def test_the_json_shows_exact_fills_and_targets_as_four_place_decimals() -> None:
    problem = one_item(
        {"A": 10, "B": 5},
        [("n1", 2, 10, {"A": 1, "B": 2}), ("n2", 2, 10, {"B": 1}), ("n3", 2, 3, {"B": 1})],
    )

    shaped = to_json(allocate(problem))

    rows = {row["recipient"]: row for row in shaped["deliveries"]}  # type: ignore[attr-defined]
    assert (rows["n2"]["fill"], rows["n2"]["target"]) == ("0.3846", "3.8462")
    assert (rows["n3"]["fill"], rows["n3"]["target"]) == ("0.3846", "1.1538")
    assert (rows["n1"]["fill"], rows["n1"]["target"]) == ("1.0000", "10.0000")
    assert shaped["shipments"][0] == {  # type: ignore[index]
        "depot": "A",
        "recipient": "n1",
        "item": "gas",
        "units": 10,
        "cost": 1,
    }


@given(
    st.fractions(min_value=0, max_value=1, max_denominator=10**9),
    st.integers(0, 10**9),
)
def test_a_target_is_written_as_the_exact_product_rounded_half_up(
    fill: Fraction, need: int
) -> None:
    from consejo.core.allocation.writing import _decimal, _decimal_product

    assert _decimal_product(fill, need) == _decimal(fill * need)


def test_shipments_and_deliveries_read_like_tuples_of_records() -> None:
    plan = allocate(one_item({"A": 5}, [("x", 1, 2, {"A": 1}), ("y", 1, 2, {"A": 2})]))

    assert len(plan.deliveries) == 2
    assert plan.deliveries[1].recipient == "y"
    assert plan.deliveries[-1] == plan.deliveries[1]
    assert [d.recipient for d in plan.deliveries[:1]] == ["x"]
    assert plan.shipments == tuple(plan.shipments)
    assert plan == allocate(one_item({"A": 5}, [("x", 1, 2, {"A": 1}), ("y", 1, 2, {"A": 2})]))


# ------------------------------------------------------------------------------------------------
# Oracles: linear programs in HiGHS over "units on each route", and exhaustive search


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


# ------------------------------------------------------------------------------------------------
# Random tiny problems


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    max_recipients: int = 5,
    max_items: int = 2,
    max_depots: int = 3,
    max_stock: int = 8,
    max_need: int = 6,
) -> Problem:
    depots = [f"D{d}" for d in range(draw(st.integers(1, max_depots)))]
    items = [f"i{k}" for k in range(draw(st.integers(1, max_items)))]
    stock = st.integers(0, max_stock)
    need = st.integers(0, max_need)
    recipients = []
    for r in range(draw(st.integers(1, max_recipients))):
        reach = draw(st.lists(st.sampled_from(depots), unique=True, max_size=len(depots)))
        recipients.append(
            Recipient(
                id=f"R{r}",
                tier=draw(st.integers(1, 3)),
                need={item: draw(need) for item in items},
                routes=tuple(Route(d, draw(st.integers(0, 4))) for d in reach),
            )
        )
    return Problem(
        items=tuple(Item(item) for item in items),
        depots=tuple(Depot(d, {item: draw(stock) for item in items}) for d in depots),
        recipients=tuple(recipients),
    )


@given(problems())
def test_rule_1_each_tier_gets_the_most_it_can_after_the_higher_tiers(problem: Problem) -> None:
    plan = allocate(problem)

    for item in problem.items:
        totals: dict[int, int] = defaultdict(int)
        for d in plan.deliveries:
            if d.item == item.id:
                totals[d.tier] += d.units
        oracle = Lp(problem, item.id).tier_totals()
        assert {tier: round(v) for tier, v in oracle.items()} == {
            tier: totals[tier] for tier in oracle
        }
        assert all(abs(v - round(v)) < 1e-4 for v in oracle.values())


def _a_lower_tier_after_a_full_one() -> Problem:
    """A draw on which a looser oracle kept tier 1's amounts too tightly for HiGHS's rounding,
    and found tier 2's LP infeasible."""
    return Problem(
        items=(Item("i0"),),
        depots=(Depot("D0", {"i0": 1}), Depot("D1", {"i0": 5})),
        recipients=(
            Recipient("R0", 1, {"i0": 5}, (Route("D0", 0), Route("D1", 0))),
            Recipient("R1", 1, {"i0": 1}, (Route("D0", 0), Route("D1", 0))),
            Recipient("R2", 2, {"i0": 1}, (Route("D0", 0),)),
        ),
    )


@given(problems())
@example(_a_lower_tier_after_a_full_one())
def test_rule_2_the_exact_plan_is_the_leximin_plan_of_each_tier(problem: Problem) -> None:
    plan = allocate(problem)

    for item in problem.items:
        lp = Lp(problem, item.id)
        oracle = lp.leximin()
        ours = {(d.recipient): d.target for d in plan.deliveries if d.item == item.id}
        for recipient, amount in zip(lp.recipients, oracle, strict=True):
            assert float(ours[recipient.id]) == pytest.approx(amount, abs=1e-5)


def _three_share_five_at_five_elevenths() -> Problem:
    """A draw on which a looser oracle froze R0 a round late, above the others' ratio 5/11."""
    depots = {"D0": 0, "D1": 3, "D2": 2}
    reach = {"R0": (1, ["D0", "D1"]), "R1": (5, ["D0", "D1", "D2"]), "R3": (5, ["D0", "D1"])}
    return Problem(
        items=(Item("i0"), Item("i1")),
        depots=tuple(Depot(d, {"i0": 0, "i1": units}) for d, units in depots.items()),
        recipients=(
            *(
                Recipient(r, 3, {"i0": 0, "i1": need}, tuple(Route(d, 0) for d in ds))
                for r, (need, ds) in reach.items()
            ),
            Recipient("R2", 1, {"i0": 0, "i1": 0}, ()),
        ),
    )


@given(problems())
@example(_three_share_five_at_five_elevenths())
def test_rules_3_and_4_least_cost_among_the_roundings_of_the_fair_plan(problem: Problem) -> None:
    plan = allocate(problem)

    for item in problem.items:
        lp = Lp(problem, item.id)
        exact = lp.leximin()
        ours = [plan.units_of(r.id, item.id) for r in lp.recipients]
        # Rule 4: within one unit of the fractional plan, never above the need.
        for amount, units_got, need in zip(exact, ours, lp.need, strict=True):
            assert abs(units_got - amount) < 1 - 1e-9 or abs(units_got - amount) < EPS
            assert units_got <= need
        # Rule 3: our routing is the cheapest for our amounts ...
        cost = sum(s.units * s.cost for s in plan.shipments if s.item == item.id)
        cheapest = lp.least_cost(ours)
        assert cheapest is not None
        assert cost == pytest.approx(cheapest, abs=1e-6)
        # ... and no other rounding (same level totals) is cheaper: exhaustive search.
        levels: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, r in enumerate(lp.recipients):
            levels[r.tier, round(exact[i] / lp.need[i] * 10**6)].append(i)
        choices = [sorted({int(np.floor(a + EPS)), int(np.ceil(a - EPS))}) for a in exact]
        best = None
        for amounts in itertools.product(*choices):
            if any(
                abs(sum(amounts[i] for i in group) - sum(exact[i] for i in group)) > 1e-4
                for group in levels.values()
            ):
                continue
            value = lp.least_cost(list(amounts))
            if value is not None and (best is None or value < best - 1e-9):
                best = value
        assert best is not None
        assert cost == pytest.approx(best, abs=1e-6)


@given(problems(max_items=3))
def test_rule_5_no_unit_waits_in_a_depot_that_reaches_a_short_recipient(problem: Problem) -> None:
    plan = allocate(problem)

    check_rules(problem, plan)
    for item in problem.items:
        lp = Lp(problem, item.id)
        routes = sum((lp.into(i) for i in range(len(lp.recipients))), np.zeros(lp.n))
        most = lp.most(routes)
        assert sum(plan.units_of(r.id, item.id) for r in lp.recipients) == round(most)


def _r0_alone_reaches_d4() -> Problem:
    """A draw that once failed (issue 8, item 18): R0 alone reaches D4, whose unit nobody else can
    use, so leximin gives R0, R1 and R2 one unit each; the oracle gave R0 nothing."""
    reach = {0: [0, 1, 2, 3, 4], 1: [0, 1, 2], 2: [0, 1, 3]}
    need = {0: 1, 1: 2, 2: 2}
    return Problem(
        items=(Item("i0"),),
        depots=tuple(Depot(f"D{d}", {"i0": units}) for d, units in enumerate([0, 1, 0, 1, 1])),
        recipients=tuple(
            Recipient(
                f"R{r}",
                1,
                {"i0": need.get(r, 0)},
                tuple(Route(f"D{d}", 0) for d in reach.get(r, [])),
            )
            for r in range(8)
        ),
    )


@settings(max_examples=25)
@given(problems(max_recipients=12, max_items=1, max_depots=5, max_stock=40, max_need=15))
@example(_r0_alone_reaches_d4())
def test_rules_1_2_and_5_hold_on_larger_instances_with_many_levels(problem: Problem) -> None:
    # More depots and recipients than above: several freezing rounds per tier, depots emptied
    # by one group while others go on rising.
    plan = allocate(problem)

    check_rules(problem, plan)
    item = problem.items[0].id
    lp = Lp(problem, item)
    ours = {d.recipient: d.target for d in plan.deliveries}
    for recipient, amount in zip(lp.recipients, lp.leximin(), strict=True):
        assert float(ours[recipient.id]) == pytest.approx(amount, abs=1e-5)
        assert abs(plan.units_of(recipient.id, item) - ours[recipient.id]) < 1


def integer_plans(lp: Lp, stock: dict[str, int]) -> list[list[int]]:
    """Every whole-unit plan (units per route) within stock and need: exhaustive search."""
    ranges = [range(min(stock[d], lp.need[r]) + 1) for r, d, _ in lp.routes]
    plans = []
    for flows in itertools.product(*ranges):
        into = defaultdict(int)
        out = defaultdict(int)
        for (r, d, _), f in zip(lp.routes, flows, strict=True):
            into[r] += f
            out[d] += f
        if all(into[r] <= n for r, n in enumerate(lp.need)) and all(
            out[d] <= stock[d] for d in stock
        ):
            plans.append([into[r] for r in range(len(lp.need))])
    return plans


@settings(max_examples=60)
@given(problems(max_recipients=3, max_items=1))
def test_rule_1_no_whole_unit_plan_gives_the_tiers_lexicographically_more(
    problem: Problem,
) -> None:
    plan = allocate(problem)
    item = problem.items[0].id
    lp = Lp(problem, item)
    stock = {d.id: d.stock.get(item, 0) for d in problem.depots}
    tiers = sorted({r.tier for r in lp.recipients})

    def totals(amounts: list[int]) -> tuple[int, ...]:
        return tuple(
            sum(a for a, r in zip(amounts, lp.recipients, strict=True) if r.tier == tier)
            for tier in tiers
        )

    ours = totals([plan.units_of(r.id, item) for r in lp.recipients])
    assert ours == max((totals(p) for p in integer_plans(lp, stock)), default=())


# ------------------------------------------------------------------------------------------------
# Bad input


def bad(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        read_json(text)
    return str(caught.value)


def test_a_negative_stock_is_refused_naming_the_depot() -> None:
    message = bad(
        '{"items": [{"id": "gas"}], "depots": [{"id": "senkata", "stock": {"gas": -5}}],'
        ' "recipients": []}'
    )
    assert message == (
        f"depots[0] ('senkata').stock.gas: must be a whole number from 0 to {MAX_UNITS}, got -5"
    )


def test_an_unknown_depot_is_refused_naming_the_route() -> None:
    message = bad(
        '{"items": [{"id": "gas"}], "depots": [], "recipients": [{"id": "clinic", "tier": 1,'
        ' "need": {"gas": 1}, "routes": [{"depot": "nowhere", "cost": 1}]}]}'
    )
    assert message == "recipients[0] ('clinic').routes[0]: unknown depot 'nowhere'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "line 1 column 2: not valid JSON"),
        ("[]", "the file: must be an object"),
        ('{"items": [], "depots": []}', "the file: missing field 'recipients'"),
        (
            '{"items": [], "depots": [], "recipients": [{"id": "x", "need": {}, "routes": []}]}',
            "recipients[0] ('x'): missing field 'tier'",
        ),
        (
            '{"items": [], "depots": [], "recipients": [], "extra": 1}',
            "the file: unknown field 'extra'",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [], "recipients": [{"id": "x", "tier": 0,'
            ' "need": {}, "routes": []}]}',
            "recipients[0] ('x').tier: must be a whole number from 1 to 1000, got 0",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [], "recipients": [{"id": "x", "tier": 1,'
            ' "need": {"flour": 2}, "routes": []}]}',
            "recipients[0] ('x').need: unknown item 'flour'",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {}},'
            ' {"id": "a", "stock": {}}], "recipients": []}',
            "depots[1] ('a'): duplicate depot id",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {"gas": 1.5}}],'
            ' "recipients": []}',
            "depots[0] ('a').stock.gas: must be a whole number",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {}}], "recipients":'
            ' [{"id": "x", "tier": 1, "need": {}, "routes": [{"depot": "a", "cost": -1}]}]}',
            "recipients[0] ('x').routes[0].cost: must be a whole number from 0 to 1000000",
        ),
    ],
)
def test_bad_input_gets_one_line_naming_the_place(text: str, expected: str) -> None:
    message = bad(text)
    assert message.startswith(expected)
    assert "\n" not in message


def test_an_item_with_more_stock_than_the_limit_is_refused() -> None:
    problem = Problem(
        items=(GAS,),
        depots=(Depot("a", {"gas": MAX_UNITS}), Depot("b", {"gas": 1})),
        recipients=(),
    )
    with pytest.raises(InvalidInput, match="item 'gas': total stock"):
        allocate(problem)


def test_a_problem_read_from_json_equals_the_one_built_in_python() -> None:
    text = json.dumps(
        {
            "items": [{"id": "gas", "unit": "cylinder"}],
            "depots": [{"id": "A", "stock": {"gas": 3}}],
            "recipients": [
                {"id": "x", "tier": 1, "need": {"gas": 2}, "routes": [{"depot": "A", "cost": 4}]}
            ],
        }
    )

    assert read_json(text) == one_item({"A": 3}, [("x", 1, 2, {"A": 4})])


# ------------------------------------------------------------------------------------------------
# One validation: the same words for a file and for the data classes


def problem_of(data: dict[str, Any]) -> Problem:
    """The data classes of a JSON value, as they are (no check): what a caller in Python builds."""
    return Problem(
        items=tuple(Item(**item) for item in data["items"]),
        depots=tuple(Depot(**depot) for depot in data["depots"]),
        recipients=tuple(
            Recipient(
                id=r["id"],
                tier=r["tier"],
                need=r["need"],
                routes=(
                    tuple(Route(**route) for route in r["routes"])
                    if isinstance(r["routes"], list)
                    else r["routes"]
                ),
            )
            for r in data["recipients"]
        ),
    )


def spoilt(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """The example problem with one ``change``."""
    data = json.loads(EXAMPLE.read_text())
    change(data)
    return data


RECIPIENT = 3  # 'comedor-rio-seco' in the example
SPOILT = [
    (
        lambda d: d["depots"][0]["stock"].update({"gas-10kg": -5}),
        "depots[0] ('senkata').stock.gas-10kg: must be a whole number from 0 to 1000000000, got -5",
    ),
    (
        lambda d: d["depots"][1]["stock"].update({"flour": 2.5}),
        "depots[1] ('villa-ingenio').stock.flour: must be a whole number from 0 to 1000000000, "
        "got 2.5",
    ),
    (
        lambda d: d["depots"][1]["stock"].update({"petrol": 1}),
        "depots[1] ('villa-ingenio').stock: unknown item 'petrol'",
    ),
    (
        lambda d: d["depots"][2].update({"id": "senkata"}),
        "depots[2] ('senkata'): duplicate depot id",
    ),
    (
        lambda d: d["depots"][2].update({"id": "  "}),
        "depots[2].id: must be a non-empty text, got '  '",
    ),
    (lambda d: d["depots"][2].update({"id": 7}), "depots[2].id: must be a non-empty text, got 7"),
    (
        lambda d: d["depots"][2].update({"stock": [1]}),
        "depots[2] ('rio-seco').stock: must be an object {...}, got list",
    ),
    (lambda d: d["items"].append({"id": "flour"}), "items[2]: duplicate item 'flour'"),
    (lambda d: d["items"].append({"id": ""}), "items[2].id: must be a non-empty text, got ''"),
    (
        lambda d: d["items"].append({"id": "water", "unit": " "}),
        "items[2].unit: must be a non-empty text, got ' '",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"tier": 0}),
        "recipients[3] ('comedor-rio-seco').tier: must be a whole number from 1 to 1000, got 0",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"tier": True}),
        "recipients[3] ('comedor-rio-seco').tier: must be a whole number from 1 to 1000, got True",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"tier": "1"}),
        "recipients[3] ('comedor-rio-seco').tier: must be a whole number from 1 to 1000, got '1'",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"need": {"flour": 10**9 + 1}}),
        "recipients[3] ('comedor-rio-seco').need.flour: must be a whole number from 0 to "
        "1000000000, got 1000000001",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"need": {"petrol": 1}}),
        "recipients[3] ('comedor-rio-seco').need: unknown item 'petrol'",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"routes": {}}),
        "recipients[3] ('comedor-rio-seco').routes: must be a list [...], got dict",
    ),
    (
        lambda d: d["recipients"][RECIPIENT]["routes"].append({"depot": "nowhere"}),
        "recipients[3] ('comedor-rio-seco').routes[1]: unknown depot 'nowhere'",
    ),
    (
        lambda d: d["recipients"][RECIPIENT]["routes"].append({"depot": ""}),
        "recipients[3] ('comedor-rio-seco').routes[1].depot: must be a non-empty text, got ''",
    ),
    (
        lambda d: d["recipients"][RECIPIENT]["routes"].append({"depot": None}),
        "recipients[3] ('comedor-rio-seco').routes[1].depot: must be a non-empty text, got None",
    ),
    (
        lambda d: d["recipients"][RECIPIENT]["routes"].append({"depot": "rio-seco", "cost": 9}),
        "recipients[3] ('comedor-rio-seco').routes[1]: depot 'rio-seco' listed twice",
    ),
    (
        lambda d: d["recipients"][RECIPIENT]["routes"][0].update({"cost": 10**6 + 1}),
        "recipients[3] ('comedor-rio-seco').routes[0].cost: must be a whole number from 0 to "
        "1000000, got 1000001",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"id": "hospital-los-andes"}),
        "recipients[3] ('hospital-los-andes'): duplicate recipient id",
    ),
    (
        lambda d: d["recipients"][RECIPIENT].update({"id": "\t"}),
        "recipients[3].id: must be a non-empty text, got '\\t'",
    ),
    (
        lambda d: d["depots"][0]["stock"].update({"gas-10kg": 10**9}),
        "item 'gas-10kg': total stock 1000000180 is above 1000000000",
    ),
    (
        lambda d: d["recipients"][0]["need"].update({"gas-10kg": 10**9}),
        "item 'gas-10kg': total need 1000001520 is above 1000000000",
    ),
]


@pytest.mark.parametrize(("change", "expected"), SPOILT)
def test_each_bad_input_gets_the_same_message_from_a_file_and_from_the_data_classes(
    change: Callable[[dict[str, Any]], object], expected: str
) -> None:
    data = spoilt(change)
    text = json.dumps(data, ensure_ascii=False)

    with pytest.raises(InvalidInput) as from_file:
        read_json(text)
    with pytest.raises(InvalidInput) as printed:
        allocate_json(text)
    with pytest.raises(InvalidInput) as from_classes:
        allocate(problem_of(data))

    assert str(from_file.value) == str(printed.value) == str(from_classes.value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The typed decoder refuses these; the message still names the place in our words.
        (
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock":'
            ' {"gas": 1234567890123456}}], "recipients": []}',
            "depots[0] ('a').stock.gas: must be a whole number from 0 to 1000000000, "
            "got a number of 16 digits",
        ),
        (
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {"gas": 1e3}}],'
            ' "recipients": []}',
            "depots[0] ('a').stock.gas: must be a whole number from 0 to 1000000000, got 1000.0",
        ),
        (
            '{"items": [], "depots": [], "recipients": [{"id": "x", "tier": 1, "need": {},'
            ' "routes": [{"depot": "a", "costs": 1}]}]}',
            "recipients[0] ('x').routes[0]: unknown field 'costs' (allowed: depot, cost)",
        ),
        (
            '{"items": [{"id": "gas", "u\\ud800": 1}], "depots": [], "recipients": []}',
            "items[0]: unknown field 'u\\ud800' (allowed: id, unit)",
        ),
        (
            '{"items": [], "depots": [{"id": "\\ud800", "stock": {}}], "recipients": []}',
            "depots[0].id: must be a text, got one that is not valid Unicode",
        ),
        (
            '{"items": [], "depots": [], "recipients": [{"id": "x", "tier": 1, "need": '
            + "[" * 40
            + "]" * 40
            + ', "routes": []}]}',
            "line 1: the JSON is nested more than 32 levels deep",
        ),
        ('{"items": [], "depots": [], "recipients": []} x', "line 1 column 47: not valid JSON"),
        ('{"depots": [], "recipients": []}', "the file: missing field 'items'"),
        ('{"items": [5], "depots": [], "recipients": []}', "items[0]: must be an object {...}"),
        (
            '{"items": [], "depots": [{"stock": {}}], "recipients": []}',
            "depots[0]: missing field 'id'",
        ),
        (
            '{"items": [], "depots": [], "recipients": [{"id": "x", "tier": 1, "need": {}}]}',
            "recipients[0] ('x'): missing field 'routes'",
        ),
    ],
)
def test_what_the_typed_decoder_refuses_is_named_in_the_same_words(
    text: str, expected: str
) -> None:
    assert bad(text).startswith(expected)
    with pytest.raises(InvalidInput) as printed:
        allocate_json(text)
    assert str(printed.value) == bad(text)


def test_the_printed_plan_is_json_dumps_of_to_json_byte_for_byte() -> None:
    text = EXAMPLE.read_text()
    plan = allocate(read_json(text))
    expected = json.dumps(to_json(plan), ensure_ascii=False, indent=1)

    assert write_json(plan) == allocate_json(text) == expected


@given(problems(max_recipients=8, max_items=3))
def test_the_printed_plan_of_any_problem_is_its_to_json(problem: Problem) -> None:
    plan = allocate(problem)
    expected = json.dumps(to_json(plan), ensure_ascii=False, indent=1)

    assert write_json(plan) == expected
    assert json.loads(expected) == json.loads(json.dumps(to_json(plan)))


def test_names_beyond_ascii_are_printed_as_json_dumps_prints_them() -> None:
    problem = one_item(
        {'Río Seco \u2028"q"': 5},
        [("comedor «Ñ» 😀\t", 1, 3, {'Río Seco \u2028"q"': 1}), ("x\\y", 2, 4, {})],
    )
    plan = allocate(problem)

    assert write_json(plan) == json.dumps(to_json(plan), ensure_ascii=False, indent=1)
