"""Supply allocation: one validation (consejo.core.allocation.validation), the same words for a
file and for the data classes: each spoilt copy of the example problem gets the same message from
``read_json``, ``allocate_json`` and ``allocate`` of the data classes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from consejo.core.allocation import (
    Depot,
    Item,
    Problem,
    Recipient,
    Route,
    allocate,
    allocate_json,
    read_json,
)
from consejo.core.errors import InvalidInput
from tests.core.problems_allocation import EXAMPLE


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
