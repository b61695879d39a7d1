"""Allocation problems written by hand for the tests of consejo.core.allocation: the example file
of the docs (docs/examples/allocation.json), and problems of one item (gas cylinders)."""

from __future__ import annotations

from pathlib import Path

from consejo.core.allocation import Depot, Item, Problem, Recipient, Route

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "allocation.json"


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
