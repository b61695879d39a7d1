"""The one check of an apportionment's input: constituencies, counts of seats, a method."""

from __future__ import annotations

from collections.abc import Sequence

from consejo.core.apportion.model import Constituency, Method
from consejo.core.errors import InvalidInput


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def checked(constituencies: Sequence[Constituency]) -> tuple[Constituency, ...]:
    """The constituencies as a tuple, or :class:`InvalidInput` naming the first problem."""
    if isinstance(constituencies, str | bytes):
        raise InvalidInput("constituencies must be a list of (name, members), not text")
    items = tuple(constituencies)
    if not items:
        raise InvalidInput("no constituencies given: at least one is needed")
    seen: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not isinstance(item, Constituency):
            raise InvalidInput(f"constituency {position} is not a Constituency(name, members)")
        if not isinstance(item.name, str) or not item.name.strip():
            raise InvalidInput(f"constituency {position} has an empty name")
        if not _is_whole(item.members) or item.members < 0:
            raise InvalidInput(
                f"members of {item.name!r} must be a whole number ≥ 0, got {item.members!r}"
            )
        if item.name in seen:
            raise InvalidInput(f"duplicate name {item.name!r}: each constituency needs its own")
        seen.add(item.name)
    return items


#: No assembly has more seats: the bound keeps a typo (twenty extra zeros) from running for hours.
MAX_SEATS = 1_000_000


def checked_count(value: object, label: str, *, at_least: int, at_most: int = MAX_SEATS) -> int:
    """``value`` if it is a whole number (not a bool) from ``at_least`` to ``at_most``, or
    :class:`InvalidInput` naming ``label``."""
    if isinstance(value, int) and not isinstance(value, bool) and at_least <= value <= at_most:
        return value
    raise InvalidInput(
        f"{label} must be a whole number from {at_least} to {at_most}, got {value!r}"
    )


def checked_method(method: object) -> Method:
    """``method`` as a :class:`Method`, or :class:`InvalidInput` listing the methods."""
    try:
        return Method(str(method))
    except ValueError:
        choices = ", ".join(m.value for m in Method)
        raise InvalidInput(f"unknown method {method!r}; use one of {choices}") from None
