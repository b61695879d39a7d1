"""The data of an apportionment: the methods, a constituency, a share and the result."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from consejo.core.errors import NotFound


class Method(StrEnum):
    """An apportionment method, named as on the command line."""

    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"
    HAMILTON = "hamilton"
    HUNTINGTON_HILL = "huntington-hill"


@dataclass(frozen=True, slots=True)
class Constituency:
    """A body that sends delegates to the council: its unique name and its number of members."""

    name: str
    members: int


@dataclass(frozen=True, slots=True)
class Share:
    """One constituency's result.

    ``quota`` is the exact Hare quota ``members * seats / total_members`` (``Fraction(0)`` when no
    constituency has members): the number of seats it would get if seats could be divided.
    """

    name: str
    members: int
    seats: int
    quota: Fraction


@dataclass(frozen=True, slots=True)
class Apportionment:
    """The result of an apportionment.

    ``method`` is ``None`` and ``members_per_seat`` is set in the ratio mode
    (:func:`apportion_by_ratio`); ``shares`` are in the order of the input; ``ties`` holds one
    human-readable note for every tie that decided a seat, saying how it was broken.
    """

    method: Method | None
    seats: int
    min_seats: int
    members_per_seat: int | None
    shares: tuple[Share, ...]
    ties: tuple[str, ...]

    def seats_of(self, name: str) -> int:
        """The seats apportioned to the constituency called ``name``."""
        for share in self.shares:
            if share.name == name:
                return share.seats
        raise NotFound(f"no constituency named {name!r} in this apportionment")
