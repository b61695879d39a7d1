"""Supply allocation: hand-worked plans (consejo.core.allocation: water-filling, rounding, plan).

Each plan is worked out by hand in its comments: a higher tier first, equal fill ratios in a tier,
a recipient frozen by a poor depot while the others rise, the cheaper depot, rounding by cost, no
unit left waiting, several items, amounts near the limits, and the example file of the docs.
"""

from __future__ import annotations

import json
from fractions import Fraction

from consejo.core.allocation import (
    Allocation,
    Depot,
    Item,
    Problem,
    Recipient,
    Route,
    allocate,
    read_json,
    to_json,
)
from tests.core.oracles_allocation import check_rules
from tests.core.problems_allocation import EXAMPLE, GAS, one_item


def units(plan: Allocation, item: str = "gas") -> dict[str, int]:
    return {d.recipient: d.units for d in plan.deliveries if d.item == item}


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


def test_shipments_and_deliveries_read_like_tuples_of_records() -> None:
    plan = allocate(one_item({"A": 5}, [("x", 1, 2, {"A": 1}), ("y", 1, 2, {"A": 2})]))

    assert len(plan.deliveries) == 2
    assert plan.deliveries[1].recipient == "y"
    assert plan.deliveries[-1] == plan.deliveries[1]
    assert [d.recipient for d in plan.deliveries[:1]] == ["x"]
    assert plan.shipments == tuple(plan.shipments)
    assert plan == allocate(one_item({"A": 5}, [("x", 1, 2, {"A": 1}), ("y", 1, 2, {"A": 2})]))
