"""Supply allocation as JSON: the input file read (consejo.core.allocation.reading), its bad input
refused in one line naming the place, and the plan written (consejo.core.allocation.writing) byte
for byte as ``json.dumps(to_json(plan), ensure_ascii=False, indent=1)``.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from consejo.core.allocation import (
    MAX_UNITS,
    Depot,
    Problem,
    allocate,
    allocate_json,
    read_json,
    to_json,
    write_json,
)
from consejo.core.errors import InvalidInput
from tests.core.problems_allocation import EXAMPLE, GAS, one_item
from tests.core.strategies_allocation import problems

# ------------------------------------------------------------------------------------------------
# Reading: bad input


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
# Writing: the plan as JSON


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
