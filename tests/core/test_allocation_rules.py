"""Supply allocation: rules 1-5 (consejo.core.allocation) against independent oracles, on random
tiny problems (Hypothesis).

The oracles (tests/core/oracles_allocation.py) are linear programs in scipy's HiGHS over the
variables "units on each route" (tier totals, a leximin sequence of LPs, least cost for given
amounts); the exhaustive search over whole-unit plans of tiny instances is here. The solver
itself uses OR-Tools' network flows and exact fractions, so the two share no code and no method.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

import numpy as np
import pytest
from hypothesis import example, given, settings

from consejo.core.allocation import Depot, Item, Problem, Recipient, Route, allocate
from tests.core.oracles_allocation import EPS, Lp, check_rules
from tests.core.strategies_allocation import problems


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
