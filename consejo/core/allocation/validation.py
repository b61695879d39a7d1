"""Checking an allocation's input, once, whether it comes as data classes or as a file.

Two fronts turn the input into :class:`Columns`, each value of its type and range: the data
classes' (:func:`columns_of`, here) and the file's (``consejo.core.allocation.json``, where a
typed decoder checks the same in C). Everything else is checked by one function,
:func:`validated`, for both: names (non-empty, valid Unicode), duplicate ids, unknown items and
depots, a depot listed twice for a recipient, and each item's total stock and total need. It
finds the first bad recipient with numpy and only then writes the message, in the order of the
input: the items, the depots (each one's id, then its stock), the totals of stock, the
recipients (each one's id, its need, its routes), the totals of need.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import methodcaller
from typing import NoReturn

import numpy as np

from consejo.core.allocation.limits import MAX_COST, MAX_TIER, MAX_UNITS, MIN_TIER
from consejo.core.allocation.model import (
    BoolArray,
    Depot,
    Int32Array,
    Int64Array,
    Item,
    Problem,
    Recipient,
    Route,
)
from consejo.core.errors import ConsejoError, InvalidInput
from consejo.core.limits import MAX_SHOWN, shown

__all__ = [
    "Columns",
    "Compiled",
    "columns_of",
    "compiled",
    "is_name",
    "is_whole",
    "labelled",
    "name",
    "quoted",
    "validated",
    "whole",
]


# --------------------------------------------------------------------------------------------
# The rules of one value, and how an error quotes it


def quoted(value: object) -> str:
    """``value`` as an error message quotes it: cut to MAX_SHOWN characters (a name of a million
    characters, a list of a million numbers, are not one readable line)."""
    if isinstance(value, str):
        return shown(value)
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def is_whole(value: object) -> bool:
    """Whether ``value`` is a whole number (an int, not a bool)."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole(value: object, place: str, *, at_least: int = 0, at_most: int = MAX_UNITS) -> int:
    """``value`` if it is a whole number from ``at_least`` to ``at_most``; otherwise the error
    naming ``place`` and quoting the value."""
    if is_whole(value) and at_least <= value <= at_most:  # type: ignore[operator]
        return value  # type: ignore[return-value]
    raise InvalidInput(
        f"{place}: must be a whole number from {at_least} to {at_most}, got {quoted(value)}"
    )


def is_name(value: object) -> bool:
    """Whether ``value`` is a name: a text that is not blank and is valid Unicode."""
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def name(value: object, place: str) -> str:
    """``value`` if it is a name (:func:`is_name`); otherwise the error naming ``place``."""
    if isinstance(value, str) and value.strip():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\\ud800" in JSON) is not text
            raise InvalidInput(
                f"{place}: must be a text, got one that is not valid Unicode"
            ) from None
        return value
    raise InvalidInput(f"{place}: must be a non-empty text, got {quoted(value)}")


def labelled(place: str, entry_id: object) -> str:
    """``place`` followed by the entry's id when it is a name, as messages name a depot or a
    recipient: ``depots[0] ('senkata')``."""
    return f"{place} ({quoted(entry_id)})" if is_name(entry_id) else place


# --------------------------------------------------------------------------------------------
# The input as columns, and as arrays


@dataclass(slots=True)
class Columns:
    """The input as columns, each value of its type and range: texts are ``str``, amounts whole
    numbers from 0 to MAX_UNITS, tiers from MIN_TIER to MAX_TIER, costs from 0 to MAX_COST.
    Routes are flat, in the order of the recipients and their routes."""

    item_ids: list[str]
    item_units: list[str]
    depot_ids: list[str]
    stocks: list[Mapping[str, int]]
    recipient_ids: list[str]
    tiers: list[int]
    needs: list[Mapping[str, int]]
    route_counts: list[int]
    route_depots: list[str]
    route_costs: list[int]


@dataclass(slots=True)
class Compiled:
    """A valid input as arrays: routes in the order of the recipients and their routes."""

    item_ids: list[str]
    recipient_ids: list[str]
    depot_ids: list[str]
    tier: Int64Array
    need: Int64Array  # (items, recipients)
    stock: Int64Array  # (items, depots)
    route_recipient: Int32Array
    route_depot: Int32Array
    route_cost: Int64Array
    unreachable: list[str]  # recipients with no route at all


# --------------------------------------------------------------------------------------------
# The data classes' front


def _text(value: object, place: str) -> str:
    if isinstance(value, str):
        return value
    raise InvalidInput(f"{place}: must be a non-empty text, got {quoted(value)}")


def _amounts(value: object, place: str) -> Mapping[str, int]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{place}: must be an object {{...}}, got {type(value).__name__}")
    for key, units in value.items():
        if type(units) is not int or not 0 <= units <= MAX_UNITS:
            whole(units, f"{place}.{key}")
    return value


def _plain(amounts: object) -> bool:
    """Whether ``amounts`` is a dict of plain whole numbers from 0 to MAX_UNITS (the fast case)."""
    return type(amounts) is dict and all(
        type(units) is int and 0 <= units <= MAX_UNITS for units in amounts.values()
    )


def columns_of(problem: object) -> Columns:
    """The data classes' front: check the type and range of every value of ``problem`` (a
    :class:`Problem`) and give its columns; :func:`validated` checks the rest."""
    if not isinstance(problem, Problem):
        raise InvalidInput("the input must be a Problem(items, depots, recipients)")
    item_ids: list[str] = []
    item_units: list[str] = []
    for i, item in enumerate(problem.items):
        if not isinstance(item, Item):
            raise InvalidInput(f"items[{i}]: must be an Item")
        item_ids.append(_text(item.id, f"items[{i}].id"))
        item_units.append(_text(item.unit, f"items[{i}].unit"))
    depot_ids: list[str] = []
    stocks: list[Mapping[str, int]] = []
    for d, depot in enumerate(problem.depots):
        if not isinstance(depot, Depot):
            raise InvalidInput(f"depots[{d}]: must be a Depot")
        depot_ids.append(_text(depot.id, f"depots[{d}].id"))
        stock = depot.stock
        if not _plain(stock):
            _amounts(stock, f"{labelled(f'depots[{d}]', depot.id)}.stock")
        stocks.append(stock)
    recipient_ids: list[str] = []
    tiers: list[int] = []
    needs: list[Mapping[str, int]] = []
    route_counts: list[int] = []
    route_depots: list[str] = []
    route_costs: list[int] = []
    for r, recipient in enumerate(problem.recipients):
        if not isinstance(recipient, Recipient):
            raise InvalidInput(f"recipients[{r}]: must be a Recipient")
        recipient_id, tier, need, routes = (
            recipient.id,
            recipient.tier,
            recipient.need,
            recipient.routes,
        )
        recipient_ids.append(_text(recipient_id, f"recipients[{r}].id"))
        if type(tier) is not int or not MIN_TIER <= tier <= MAX_TIER:
            place = labelled(f"recipients[{r}]", recipient_id)
            tier = whole(tier, f"{place}.tier", at_least=MIN_TIER, at_most=MAX_TIER)
        tiers.append(tier)
        if not _plain(need):
            _amounts(need, f"{labelled(f'recipients[{r}]', recipient_id)}.need")
        needs.append(need)
        if not isinstance(routes, tuple | list):
            raise InvalidInput(
                f"{labelled(f'recipients[{r}]', recipient_id)}.routes: must be a list [...], "
                f"got {type(routes).__name__}"
            )
        route_counts.append(len(routes))
        for k, route in enumerate(routes):
            if not isinstance(route, Route):
                place = labelled(f"recipients[{r}]", recipient_id)
                raise InvalidInput(f"{place}.routes[{k}]: must be a Route")
            depot_id, cost = route.depot, route.cost
            if type(depot_id) is not str:
                place = labelled(f"recipients[{r}]", recipient_id)
                _text(depot_id, f"{place}.routes[{k}].depot")
            if type(cost) is not int or not 0 <= cost <= MAX_COST:
                place = labelled(f"recipients[{r}]", recipient_id)
                cost = whole(cost, f"{place}.routes[{k}].cost", at_most=MAX_COST)
            route_depots.append(depot_id)
            route_costs.append(cost)
    return Columns(
        item_ids=item_ids,
        item_units=item_units,
        depot_ids=depot_ids,
        stocks=stocks,
        recipient_ids=recipient_ids,
        tiers=tiers,
        needs=needs,
        route_counts=route_counts,
        route_depots=route_depots,
        route_costs=route_costs,
    )


def compiled(problem: object) -> Compiled:
    """Check ``problem`` (a :class:`Problem`) and turn it into arrays."""
    return validated(columns_of(problem))


# --------------------------------------------------------------------------------------------
# The one validation of both fronts


def _first_bad_name(values: Sequence[str]) -> int:
    """The position of the first value that is not a name, or ``len(values)``."""
    if all(map(str.strip, values)):
        try:
            "".join(values).encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return len(values)
    return next(i for i, value in enumerate(values) if not is_name(value))


def validated(columns: Columns) -> Compiled:
    """Check what the fronts leave (names, duplicates, unknown items and depots, a depot listed
    twice, the totals) and give the arrays; the first error, in the order of the input, is one
    :class:`InvalidInput` naming its place."""
    item_index: dict[str, int] = {}
    for i, (item_id, unit) in enumerate(zip(columns.item_ids, columns.item_units, strict=True)):
        name(item_id, f"items[{i}].id")
        name(unit, f"items[{i}].unit")
        if item_id in item_index:
            raise InvalidInput(f"items[{i}]: duplicate item {quoted(item_id)}")
        item_index[item_id] = i
    depot_index: dict[str, int] = {}
    stock = np.zeros((len(item_index), len(columns.depot_ids)), dtype=np.int64)
    for d, (depot_id, amounts) in enumerate(zip(columns.depot_ids, columns.stocks, strict=True)):
        name(depot_id, f"depots[{d}].id")
        place = f"depots[{d}] ({quoted(depot_id)})"
        if depot_id in depot_index:
            raise InvalidInput(f"{place}: duplicate depot id")
        depot_index[depot_id] = d
        for item_id, units in amounts.items():
            k = item_index.get(item_id)
            if k is None:
                raise InvalidInput(f"{place}.stock: unknown item {quoted(item_id)}")
            stock[k, d] = units
    for item_id, total in zip(item_index, stock.sum(axis=1).tolist(), strict=True):
        if total > MAX_UNITS:
            raise InvalidInput(f"item {quoted(item_id)}: total stock {total} is above {MAX_UNITS}")

    ids, needs = columns.recipient_ids, columns.needs
    recipients = len(ids)
    everyone = np.arange(recipients, dtype=np.int64)
    first = _first_bad_name(ids)
    recipient_index = dict(zip(ids, range(recipients), strict=True))
    if len(recipient_index) != recipients:
        first = min(first, _first_repeated(ids))
    need_recipient = np.repeat(everyone, np.fromiter(map(len, needs), np.int64, recipients))
    need_item = np.fromiter(
        map(item_index.get, chain.from_iterable(needs), repeat(-1)),
        dtype=np.int64,
        count=len(need_recipient),
    )
    unknown = need_item < 0
    if unknown.any():
        first = min(first, int(need_recipient[np.argmax(unknown)]))
    counts = np.array(columns.route_counts, dtype=np.int64)
    route_recipient = np.repeat(everyone, counts)
    route_depot = np.fromiter(
        map(depot_index.get, columns.route_depots, repeat(-1)),
        dtype=np.int64,
        count=len(route_recipient),
    )
    unknown = route_depot < 0
    if unknown.any():
        first = min(first, int(route_recipient[np.argmax(unknown)]))
    # A depot listed twice for one recipient: the same (recipient, depot) pair twice.
    pairs = route_recipient * (len(depot_index) + 1) + np.where(
        unknown, len(depot_index), route_depot
    )
    ordered = np.sort(pairs[~unknown])
    if (ordered[1:] == ordered[:-1]).any():
        first = min(first, _first_twice(pairs, unknown, route_recipient))
    if first < recipients:
        _recipient_error(columns, first, item_index, depot_index)

    need = np.zeros((len(item_index), recipients), dtype=np.int64)
    need[need_item, need_recipient] = np.fromiter(
        chain.from_iterable(map(methodcaller("values"), needs)),
        dtype=np.int64,
        count=len(need_item),
    )
    for item_id, total in zip(item_index, need.sum(axis=1).tolist(), strict=True):
        if total > MAX_UNITS:
            raise InvalidInput(f"item {quoted(item_id)}: total need {total} is above {MAX_UNITS}")
    return Compiled(
        item_ids=list(item_index),
        recipient_ids=ids,
        depot_ids=list(depot_index),
        tier=np.array(columns.tiers, dtype=np.int64),
        need=need,
        stock=stock,
        route_recipient=route_recipient.astype(np.int32),
        route_depot=route_depot.astype(np.int32),
        route_cost=np.array(columns.route_costs, dtype=np.int64),
        unreachable=[ids[r] for r in np.flatnonzero(counts == 0).tolist()],
    )


def _first_repeated(ids: Sequence[str]) -> int:
    """The position of the first id that an earlier one repeats."""
    seen: set[str] = set()
    for r, recipient_id in enumerate(ids):
        if recipient_id in seen:
            return r
        seen.add(recipient_id)
    raise ConsejoError("no repeated id found; please report")  # pragma: no cover


def _first_twice(pairs: Int64Array, unknown: BoolArray, route_recipient: Int64Array) -> int:
    """The recipient of the first route whose (recipient, depot) pair an earlier route has."""
    order = np.argsort(pairs, kind="stable")
    again = np.zeros(len(pairs), dtype=np.bool_)
    again[order[1:]] = pairs[order[1:]] == pairs[order[:-1]]
    again &= ~unknown
    return int(route_recipient[np.argmax(again)])


def _recipient_error(
    columns: Columns, r: int, item_index: Mapping[str, int], depot_index: Mapping[str, int]
) -> NoReturn:
    """Raise the first error of recipient ``r``, which the arrays found to have one."""
    recipient_id = columns.recipient_ids[r]
    name(recipient_id, f"recipients[{r}].id")
    place = f"recipients[{r}] ({quoted(recipient_id)})"
    if recipient_id in set(columns.recipient_ids[:r]):
        raise InvalidInput(f"{place}: duplicate recipient id")
    for item_id in columns.needs[r]:
        if item_id not in item_index:
            raise InvalidInput(f"{place}.need: unknown item {quoted(item_id)}")
    start = sum(columns.route_counts[:r])
    seen: set[str] = set()
    for k, depot_id in enumerate(columns.route_depots[start : start + columns.route_counts[r]]):
        if depot_id not in depot_index:
            name(depot_id, f"{place}.routes[{k}].depot")
            raise InvalidInput(f"{place}.routes[{k}]: unknown depot {quoted(depot_id)}")
        if depot_id in seen:
            raise InvalidInput(f"{place}.routes[{k}]: depot {quoted(depot_id)} listed twice")
        seen.add(depot_id)
    raise ConsejoError(f"recipients[{r}]: no error found; please report")  # pragma: no cover
