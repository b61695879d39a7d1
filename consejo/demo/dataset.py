"""The demo's data set: the files in ``consejo/demo/data/`` read into the records that the
scenario (consejo.demo.scenario) builds from.

``bodies.toml`` holds the councils, the neighbourhood assemblies, the other base bodies and when
each council's seats are set; ``logins.toml`` the logins with their documented passwords and the
members they belong to; ``names.toml`` the first names and surnames the invented members are
drawn from. The files are package data (pyproject's ``[tool.setuptools.package-data]``), so an
installed wheel has them. They are read once, on import, with the standard library's
``tomllib``; the choices (kind, level, method, sector) become the models' enums.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from consejo.bodies.models import ApportionmentMethod, BodyKind, CouncilLevel, Sector


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A login the demo creates, with its fixed password and what it may do."""

    username: str
    password: str
    can: str


@dataclass(frozen=True, slots=True)
class Council:
    slug: str
    name: str
    level: str
    place: str
    description: str
    parents: tuple[str, ...]
    method: str
    seats: int | None = None
    min_seats: int = 0
    members_per_seat: int | None = None


@dataclass(frozen=True, slots=True)
class Base:
    slug: str
    name: str
    kind: str
    place: str
    description: str
    parents: tuple[str, ...]
    members: int
    sectors: tuple[tuple[str, int], ...]  # (sector, weight)
    roster_day: int


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads((files("consejo.demo") / "data" / name).read_text(encoding="utf-8"))


def _council(row: dict[str, Any]) -> Council:
    return Council(
        row["slug"],
        row["name"],
        CouncilLevel(row["level"]),
        row["place"],
        row["description"],
        tuple(row["parents"]),
        ApportionmentMethod(row["method"]),
        seats=row.get("seats"),
        min_seats=row.get("min_seats", 0),
        members_per_seat=row.get("members_per_seat"),
    )


def _junta(slug: str, zone: str, district: int, members: int) -> Base:
    """A neighbourhood assembly of ``zone``, a base body of its district's council."""
    return Base(
        f"jv-{slug}",
        f"Junta Vecinal {zone}",
        BodyKind.NEIGHBORHOOD_ASSEMBLY,
        f"{zone}, El Alto",
        f"Asamblea de vecinos de la zona {zone}. La asignación de zonas a distritos está "
        "simplificada para la demo.",
        (f"distrito-{district}",),
        members,
        ((Sector.RESIDENT, 1),),
        2,
    )


def _base(row: dict[str, Any]) -> Base:
    return Base(
        row["slug"],
        row["name"],
        BodyKind(row["kind"]),
        row["place"],
        row["description"],
        tuple(row["parents"]),
        row["members"],
        tuple((Sector(sector), weight) for sector, weight in row["sectors"]),
        row["roster_day"],
    )


def _member(row: dict[str, Any]) -> tuple[str, str, str, str, str]:
    return row["username"], row["body"], row["name"], row["office"], Sector(row["sector"])


_BODIES = _read("bodies.toml")
_LOGINS = _read("logins.toml")
_NAMES = _read("names.toml")

#: Councils in the order they are created: every parent before its children.
COUNCILS: tuple[Council, ...] = tuple(_council(row) for row in _BODIES["council"])
#: Base bodies (the neighbourhood assemblies first); ``parents`` in order: the first link comes
#: with body_create, the others through federation_link.
BASES: tuple[Base, ...] = (
    *(_junta(j["slug"], j["zone"], j["district"], j["members"]) for j in _BODIES["junta"]),
    *(_base(row) for row in _BODIES["base"]),
)
#: When each council's seats are set: (council, day of June 2005, hour).
SEATING: tuple[tuple[str, int, int], ...] = tuple(
    (row["council"], row["day"], row["hour"]) for row in _BODIES["seating"]
)
DEMO_LOGINS: tuple[DemoLogin, ...] = tuple(
    DemoLogin(row["username"], row["password"], row["can"]) for row in _LOGINS["login"]
)
#: The member each login belongs to: (username, body slug, member name, the office they hold
#: there or "", sector).
LOGIN_MEMBERS: tuple[tuple[str, str, str, str, str], ...] = tuple(
    _member(row) for row in _LOGINS["member"]
)
#: The plain member, registered with her junta's roster.
VECINA: tuple[str, str, str, str, str] = _member(_LOGINS["vecina"])
WOMEN: tuple[str, ...] = tuple(_NAMES["women"])
MEN: tuple[str, ...] = tuple(_NAMES["men"])
SURNAMES: tuple[str, ...] = tuple(_NAMES["surnames"])
