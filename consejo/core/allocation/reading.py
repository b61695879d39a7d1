"""The allocation's input file: the problem read from JSON (the format is in docs/allocation.md).

The problem is read by msgspec's typed decoder, which
checks in C every field's type and range (whole numbers within MAX_UNITS, MAX_COST and the tiers,
no unknown field); what is left is checked by the one validation that the data classes go through
too (consejo.core.allocation.validation). A file the decoder refuses is read again by Python's
reader within consejo.core.limits (depth, digits) only to name the place of the error, in the same
words as for the data classes: ``depots[0] ('senkata').stock.gas: must be a whole number from 0 to
1000000000, got -5``. The plan is written by consejo.core.allocation.writing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from itertools import chain
from operator import attrgetter
from typing import Annotated, Any

import msgspec
from msgspec import inspect as schema

from consejo.core.allocation.limits import MAX_COST, MAX_TIER, MAX_UNITS, MIN_TIER
from consejo.core.allocation.model import (
    Depot,
    Item,
    Problem,
    Recipient,
    Route,
)
from consejo.core.allocation.plan import solved
from consejo.core.allocation.validation import (
    Columns,
    is_whole,
    labelled,
    name,
    quoted,
    validated,
    whole,
)
from consejo.core.allocation.writing import write_json
from consejo.core.errors import InvalidInput
from consejo.core.limits import MAX_DIGITS, check_json_depth
from consejo.core.memory import without_cycle_collection

__all__ = ["allocate_json", "read_json"]


Units = Annotated[int, msgspec.Meta(ge=0, le=MAX_UNITS)]
Cost = Annotated[int, msgspec.Meta(ge=0, le=MAX_COST)]
Tier = Annotated[int, msgspec.Meta(ge=MIN_TIER, le=MAX_TIER)]


class _ItemIn(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    unit: str = "unit"


class _DepotIn(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    stock: dict[str, Units]


class _RouteIn(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    depot: str
    cost: Cost = 0


class _RecipientIn(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: str
    tier: Tier
    need: dict[str, Units]
    routes: list[_RouteIn]


class _FileIn(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    items: list[_ItemIn]
    depots: list[_DepotIn]
    recipients: list[_RecipientIn]


_DECODER = msgspec.json.Decoder(_FileIn)
#: The entries that messages name by their id after their place: ``depots[0] ('senkata')``.
_NAMED = (_DepotIn, _RecipientIn)
#: One step of the path in a msgspec error: ``.field``, ``[3]``, or ``[...]`` (a dict's value).
_STEP = re.compile(r"\.(\w+)|\[(\d+|\.\.\.)\]")


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


def _decoded(text: str) -> _FileIn:
    """The file's fields, each of its type and range; or the error naming the first bad one."""
    try:
        return _DECODER.decode(text)
    except msgspec.MsgspecError:
        pass
    # Refused: read again within the limits, as a tree, to name the place (or, for what only
    # msgspec refuses, such as a lone surrogate, to go on to the checks that name it).
    check_json_depth(text)
    try:
        tree = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"line {error.lineno} column {error.colno}: not valid JSON ({error.msg})"
        ) from None
    try:
        try:
            return msgspec.convert(tree, _FileIn)
        except UnicodeEncodeError:  # a field's name that is not valid Unicode: an unknown field
            msgspec.convert(_encodable_keys(tree), _FileIn)
    except msgspec.ValidationError as error:
        raise _named(str(error), tree) from None
    raise InvalidInput("the file: holds a name that is not valid Unicode")  # pragma: no cover


def _encodable_keys(tree: object) -> object:
    """``tree`` with every key of an object that is not valid Unicode escaped (the tree's shape
    and the places in it stay the same)."""
    if isinstance(tree, dict):
        return {
            key.encode("utf-8", "backslashreplace").decode("utf-8"): _encodable_keys(value)
            for key, value in tree.items()
        }
    if isinstance(tree, list):
        return [_encodable_keys(value) for value in tree]
    return tree


def _named(message: str, tree: object) -> InvalidInput:
    """msgspec's error (``Expected `int` >= 0 - at `$.depots[0].stock[...]```) in our words."""
    what, _, where = message.partition(" - at `$")
    try:
        _explain(tree, _STEP.findall(where.removesuffix("`")))
    except InvalidInput as error:
        return error
    except (LookupError, TypeError, StopIteration):  # pragma: no cover - a path not understood
        pass
    place = f"${where.removesuffix('`')}" if where else "the file"  # pragma: no cover
    return InvalidInput(f"{place}: {what}")  # pragma: no cover


def _explain(tree: object, steps: list[tuple[str, str]]) -> None:
    """Walk the schema and the tree along ``steps``; raise the error of the value at the end."""
    node: Any = tree
    info: Any = schema.type_info(_FileIn)
    place = "the file"
    for number, (field, index) in enumerate(steps):
        if field:
            info = next(entry.type for entry in info.fields if entry.name == field)
            node = node[field]
            place = field if place == "the file" else f"{place}.{field}"
        elif index == "...":  # a dict's value: the first that its type refuses
            info = info.value_type
            key = next(key for key, value in node.items() if not _fits(value, info))
            node = node[key]
            place = f"{place}.{key}"
        else:
            info = info.item_type
            node = node[int(index)]
            place = f"{place}[{index}]"
            rest = steps[number + 1 :]
            if _named_entry(info, node) and rest and rest[0] != ("id", ""):
                place = labelled(place, node.get("id"))
    if isinstance(info, schema.StructType | schema.DictType) and not isinstance(node, dict):
        raise InvalidInput(f"{place}: must be an object {{...}}, got {type(node).__name__}")
    if isinstance(info, schema.StructType):
        allowed = [entry.name for entry in info.fields]
        for key in node:
            if key not in allowed:
                raise InvalidInput(
                    f"{place}: unknown field {quoted(key)} (allowed: {', '.join(allowed)})"
                )
        missing = next(e.name for e in info.fields if e.required and e.name not in node)
        if _named_entry(info, node):
            place = labelled(place, node.get("id"))
        raise InvalidInput(f"{place}: missing field {quoted(missing)}")
    if isinstance(info, schema.ListType):
        raise InvalidInput(f"{place}: must be a list [...], got {type(node).__name__}")
    if isinstance(info, schema.IntType):
        whole(node, place, at_least=info.ge or 0, at_most=MAX_UNITS if info.le is None else info.le)
    name(node, place)


def _named_entry(info: object, node: object) -> bool:
    return isinstance(info, schema.StructType) and info.cls in _NAMED and isinstance(node, dict)


def _fits(value: object, info: object) -> bool:
    if isinstance(info, schema.IntType):
        return is_whole(value) and info.ge <= value <= info.le  # type: ignore[operator]
    return isinstance(value, str)  # pragma: no cover - every dict of the file holds numbers


_ID, _UNIT, _STOCK, _TIER, _NEED, _ROUTES = map(
    attrgetter, ("id", "unit", "stock", "tier", "need", "routes")
)
_DEPOT, _COST = attrgetter("depot"), attrgetter("cost")


def _columns(data: _FileIn) -> Columns:
    recipients = data.recipients
    routes = list(map(_ROUTES, recipients))
    flat = list(chain.from_iterable(routes))
    return Columns(
        item_ids=list(map(_ID, data.items)),
        item_units=list(map(_UNIT, data.items)),
        depot_ids=list(map(_ID, data.depots)),
        stocks=list(map(_STOCK, data.depots)),
        recipient_ids=list(map(_ID, recipients)),
        tiers=list(map(_TIER, recipients)),
        needs=list(map(_NEED, recipients)),
        route_counts=list(map(len, routes)),
        route_depots=list(map(_DEPOT, flat)),
        route_costs=list(map(_COST, flat)),
    )


def read_json(text: str) -> Problem:
    """Read a :class:`Problem` from JSON text (the format is in ``docs/allocation.md``).

    Shape: ``{"items": [{"id", "unit"?}], "depots": [{"id", "stock": {item: units}}],
    "recipients": [{"id", "tier", "need": {item: units}, "routes": [{"depot", "cost"?}]}]}``.
    Unknown fields are rejected, not ignored, so that a misspelt field is never silently dropped.
    JSON nested more than ``MAX_JSON_DEPTH`` levels and numbers of more than ``MAX_DIGITS`` digits
    are refused (consejo.core.limits; docs/limits.md).
    Every error is one line naming the place, e.g.
    ``depots[0] ('senkata').stock.gas: must be a whole number from 0 to 1000000000, got -5``;
    the checks and their words are those of :func:`allocate` on the data classes.
    """
    data = _decoded(text)
    validated(_columns(data))
    return Problem(
        items=tuple(Item(id=item.id, unit=item.unit) for item in data.items),
        depots=tuple(Depot(id=depot.id, stock=depot.stock) for depot in data.depots),
        recipients=tuple(
            Recipient(
                id=recipient.id,
                tier=recipient.tier,
                need=recipient.need,
                routes=tuple(
                    Route(depot=route.depot, cost=route.cost) for route in recipient.routes
                ),
            )
            for recipient in data.recipients
        ),
    )


def allocate_json(text: str) -> str:
    """The plan of the problem in JSON ``text``, as the JSON text that ``consejo allocate``
    prints: :func:`read_json`'s reading and checks, :func:`allocate`'s rules 1-5 (the package's
    docstring), :func:`write_json`'s writing; without making the data classes in between."""
    with without_cycle_collection():
        return write_json(solved(validated(_columns(_decoded(text)))))


def problem_of(problem: Mapping[str, Any]) -> Problem:
    """The :class:`Problem` of an input already in memory as JSON values (a plan's frozen input,
    built by ``supply.selectors.committee_problem``), made from its values directly: the same
    Problem as :func:`read_json` of its JSON text, without writing the JSON and reading it back.
    It is checked as any input is, by :func:`allocate` (docs/allocation.md)."""
    return Problem(
        items=tuple(Item(id=item["id"], unit=item["unit"]) for item in problem["items"]),
        depots=tuple(Depot(id=depot["id"], stock=depot["stock"]) for depot in problem["depots"]),
        recipients=tuple(
            Recipient(
                id=recipient["id"],
                tier=recipient["tier"],
                need=recipient["need"],
                routes=tuple(
                    Route(depot=route["depot"], cost=route["cost"]) for route in recipient["routes"]
                ),
            )
            for recipient in problem["recipients"]
        ),
    )
