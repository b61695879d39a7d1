"""The data of an allocation: the input (items, depots, routes, recipients, the problem) and the
plan (shipments, deliveries, fill levels, remainders), as frozen data classes.

Shipments and deliveries are many (a city's plan has hundreds of thousands of each), so the plan
keeps them as columns (:class:`Rows`) and makes a record only when one is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar, overload

import numpy as np
import numpy.typing as npt

__all__ = [
    "Allocation",
    "BoolArray",
    "Delivery",
    "Depot",
    "Int32Array",
    "Int64Array",
    "Item",
    "Level",
    "Problem",
    "Recipient",
    "Remainder",
    "Route",
    "Rows",
    "Shipment",
]

#: The arrays the solver works on.
Int64Array = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
BoolArray = npt.NDArray[np.bool_]


# --------------------------------------------------------------------------------------------
# The input


@dataclass(frozen=True, slots=True)
class Item:
    """An item that is distributed in whole units (``unit`` names one: "cylinder", "kg")."""

    id: str
    unit: str = "unit"


@dataclass(frozen=True, slots=True)
class Depot:
    """A depot and its stock: units of each item (items not named have none)."""

    id: str
    stock: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Route:
    """A depot that can reach a recipient, and the transport cost of one unit (any item)."""

    depot: str
    cost: int = 0


@dataclass(frozen=True, slots=True)
class Recipient:
    """A recipient: its priority tier (1 is highest), its need of each item, its routes."""

    id: str
    tier: int
    need: Mapping[str, int]
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything the solver needs: the items, the depots and the recipients."""

    items: tuple[Item, ...]
    depots: tuple[Depot, ...]
    recipients: tuple[Recipient, ...]


# --------------------------------------------------------------------------------------------
# The plan


class Shipment(NamedTuple):
    """``units`` of ``item`` from ``depot`` to ``recipient``, at ``cost`` per unit.

    (A named tuple, not a dataclass: a city's plan has hundreds of thousands of them.)
    """

    depot: str
    recipient: str
    item: str
    units: int
    cost: int


class Delivery(NamedTuple):
    """What one recipient gets of one item it needs (a named tuple, like :class:`Shipment`).

    ``fill`` is the exact fill ratio of the fractional plan (rules 1-3), shared by the recipient's
    whole level group; ``target = fill * need`` is the exact amount it stands for, and ``units``
    (a whole number) is within one unit of it.
    """

    recipient: str
    item: str
    tier: int
    need: int
    units: int
    fill: Fraction

    @property
    def target(self) -> Fraction:
        """The exact fractional amount of the fair plan: ``fill * need``."""
        return self.fill * self.need


@dataclass(frozen=True, slots=True)
class Level:
    """A group of recipients of one item and tier that share the exact fill ratio ``fill``.

    ``units`` is the group's whole total (exactly ``fill * need``, an integer); ``depots`` are the
    depots whose whole stock the group (with higher tiers) used up, empty for a group that is filled
    completely or that no stocked depot reaches.
    """

    item: str
    tier: int
    fill: Fraction
    recipients: int
    need: int
    units: int
    depots: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Remainder:
    """Stock of ``item`` left in ``depot`` after the plan (no recipient it reaches is short)."""

    depot: str
    item: str
    units: int


_Row = TypeVar("_Row", Shipment, Delivery)


class Rows(Sequence[_Row]):
    """An immutable sequence of records kept as columns; each record is made when it is read.

    A city's plan has hundreds of thousands of shipments and deliveries: making them all as
    objects would take longer than solving the plan, and most readers want one column (the
    units) or stream them once (to JSON).
    """

    __slots__ = ("_columns", "_make")

    def __init__(self, make: Callable[[Iterable[Any]], _Row], columns: Sequence[list[Any]]) -> None:
        self._make: Callable[[Iterable[Any]], _Row] = make
        self._columns: tuple[list[Any], ...] = tuple(columns)

    def column(self, number: int) -> list[Any]:
        """The values of one field, by its position in the record (a copy)."""
        return list(self._columns[number])

    def __len__(self) -> int:
        return len(self._columns[0])

    @overload
    def __getitem__(self, index: int) -> _Row: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[_Row]: ...

    def __getitem__(self, index: int | slice) -> _Row | Sequence[_Row]:
        if isinstance(index, slice):
            return tuple(self)[index]
        return self._make(column[index] for column in self._columns)

    def __iter__(self) -> Iterator[_Row]:
        return map(self._make, zip(*self._columns, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self._columns == other._columns
        if isinstance(other, Sequence):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"


@dataclass(frozen=True, slots=True)
class Allocation:
    """The plan: shipments, what each recipient gets, the fill levels, what is left, the cost."""

    shipments: Rows[Shipment]
    deliveries: Rows[Delivery]
    levels: tuple[Level, ...]
    remainders: tuple[Remainder, ...]
    unreachable: tuple[str, ...]
    total_cost: int
    _index: dict[tuple[str, str], int] = field(default_factory=dict, repr=False, compare=False)

    def units_of(self, recipient: str, item: str) -> int:
        """Units of ``item`` that ``recipient`` gets (0 when it needs none)."""
        if not self._index:
            recipients, items = self.deliveries.column(0), self.deliveries.column(1)
            for number, key in enumerate(zip(recipients, items, strict=True)):
                self._index[key] = number
        found = self._index.get((recipient, item))
        return 0 if found is None else self.deliveries[found].units
