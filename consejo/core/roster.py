"""Rosters as secretaries keep them: a CSV file of names, sectors and (optionally) phone numbers.

The assembly's secretary types the list in a spreadsheet and uploads it; consejo registers everyone
on it at once, or nobody. Reading is strict so that a wrong file is refused whole, naming its line,
instead of being half imported.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from consejo.core.csvtext import csv_lines
from consejo.core.errors import InvalidInput, gettext_noop

REQUIRED = ("name", "sector")
OPTIONAL = ("phone",)
MAX_ROWS = 50_000


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One person on a roster, with the line of the file it came from."""

    line: int
    name: str
    sector: str
    phone: str


def read_roster_csv(text: str, *, sectors: Collection[str]) -> list[RosterLine]:
    """Read a roster from CSV text with a header naming ``name``, ``sector`` and optionally
    ``phone`` (any order, any letter case; RFC 4180 quoting).

    Rules: a UTF-8 byte order mark, blank lines and spaces around fields are ignored; every other
    line must have one value per column; names are non-empty; the sector is one of ``sectors``
    (given in any letter case); phone numbers, where given, are unique within the file. At most
    ``MAX_ROWS`` people per file. Every error names its line.
    """
    allowed = {sector.lower(): sector for sector in sectors}
    columns: dict[str, int] | None = None
    people: list[RosterLine] = []
    phones: dict[str, int] = {}
    for line, fields in csv_lines(text):
        if columns is None:
            columns = _header(fields, line)
            continue
        if len(fields) != len(columns):
            raise InvalidInput.of(
                gettext_noop("line %(line)d: expected %(n)d values (%(columns)s), got %(got)d"),
                line=line,
                n=len(columns),
                columns=",".join(columns),
                got=len(fields),
            )
        name = fields[columns["name"]]
        sector = fields[columns["sector"]].lower()
        phone = fields[columns["phone"]] if "phone" in columns else ""
        if not name:
            raise InvalidInput.of(gettext_noop("line %(line)d: the name is empty"), line=line)
        if sector not in allowed:
            raise InvalidInput.of(
                gettext_noop("line %(line)d: unknown sector %(sector)s; use one of %(sectors)s"),
                line=line,
                sector=repr(fields[columns["sector"]]),
                sectors=", ".join(sorted(allowed)),
            )
        if phone:
            if phone in phones:
                raise InvalidInput.of(
                    gettext_noop("line %(line)d: phone %(phone)s is already on line %(other)d"),
                    line=line,
                    phone=phone,
                    other=phones[phone],
                )
            phones[phone] = line
        people.append(RosterLine(line=line, name=name, sector=allowed[sector], phone=phone))
        if len(people) > MAX_ROWS:
            raise InvalidInput.of(
                gettext_noop("line %(line)d: a roster holds at most %(max)d people"),
                line=line,
                max=MAX_ROWS,
            )
    if columns is None:
        raise InvalidInput.of(
            gettext_noop("the file is empty: expected a header line name,sector[,phone]")
        )
    if not people:
        raise InvalidInput.of(gettext_noop("the file has a header but nobody on it"))
    return people


def _header(fields: list[str], line: int) -> dict[str, int]:
    lowered = [field.lower() for field in fields]
    unknown = [field for field in lowered if field not in REQUIRED + OPTIONAL]
    missing = [name for name in REQUIRED if name not in lowered]
    if unknown or missing or len(set(lowered)) != len(lowered):
        raise InvalidInput.of(
            gettext_noop(
                "line %(line)d: the header must be name,sector (and optionally phone), got %(got)s"
            ),
            line=line,
            got=repr(",".join(fields)),
        )
    return {name: lowered.index(name) for name in lowered}
