"""Rosters as secretaries keep them: a CSV file of names, sectors and (optionally) phone numbers.

The assembly's secretary types the list in a spreadsheet and uploads it; consejo registers everyone
on it at once, or nobody. The file is read as the spreadsheet wrote it (Excel in Bolivia writes
semicolons, Spanish headers and Windows-1252), and a wrong file is refused whole, naming every
bad line at once, so that the secretary corrects them all in one pass instead of being half
imported or told one line at a time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from consejo.core.csvtext import csv_lines, delimiter_of
from consejo.core.errors import ConsejoError, InvalidInput, gettext_noop
from consejo.core.limits import shown

REQUIRED = ("name", "sector")
OPTIONAL = ("phone",)
MAX_ROWS = 50_000
#: The longest name a member may have (bodies.services registers no longer one).
MAX_NAME = 200
#: What a header may call each column, compared without accents, letter case or extra spaces
#: ("Teléfono", "TELEFONO" and "telefono" are one header).
HEADERS: Mapping[str, tuple[str, ...]] = {
    "name": ("name", "nombre", "nombres", "nombre completo", "nombres y apellidos"),
    "sector": ("sector",),
    "phone": ("phone", "telefono", "tel", "celular", "movil", "telephone", "mobile"),
}
#: Unicode categories no name holds: controls, format characters (bidirectional overrides,
#: zero-width joiners), line and paragraph separators, private use, surrogates and unassigned
#: code points: the rule of consejo.common.text.clean_text, which the services apply again.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"})
#: A phone number as typed: digits, spaces, brackets, dots and dashes, an optional leading +;
#: 6 to 15 digits (ITU-T E.164). The rule of bodies.services._clean_phone.
_PHONE = re.compile(r"\+?[0-9 ().-]{6,30}")
_MIN_DIGITS, _MAX_DIGITS = 6, 15


@dataclass(frozen=True, slots=True)
class RosterLine:
    """One person on a roster, with the line of the file it came from."""

    line: int
    name: str
    sector: str
    phone: str


class RosterRefused(InvalidInput):
    """A roster refused whole: ``problems`` holds one error per bad line (in the order of the
    file), each with its own message to translate; ``str()`` joins them."""

    def __init__(self, problems: Iterable[ConsejoError]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def read_roster_csv(
    text: str, *, sectors: Collection[str] | Mapping[str, Collection[str]]
) -> list[RosterLine]:
    """Read a roster from CSV ``text``, or raise :class:`RosterRefused` listing every problem.

    Rules:

    * the separator is a comma, a semicolon or a tab, whichever the header holds most;
      RFC 4180 quoting; a UTF-8 byte order mark, blank lines and spaces around fields are
      ignored (consejo.core.csvtext; decode a file's bytes with ``csvtext.decode_text``);
    * the header names the columns name, sector and optionally phone, in any order, in English
      or Spanish (see HEADERS), with or without accents, in any letter case;
    * every other line has one value per column; the name is not empty, at most MAX_NAME
      characters, without hidden characters; the sector is one of ``sectors``, given as its code
      or as any of its names (``sectors`` maps each code to its names, e.g. the labels that the
      form shows in each language: "minero/a" also reads "minero" and "minera"), compared
      without accents or letter case; a phone, where given, is 6 to 15 digits written with
      digits, spaces, brackets, dots, dashes and a leading +, and appears once in the file;
    * at most MAX_ROWS people per file.

    Every problem names its line; all of them are reported together. A header that cannot be
    read, malformed quoting and too many lines stop the reading there.
    """
    names = _sector_names(sectors)
    listed = ", ".join(
        next(iter(labels), code)
        for code, labels in (sectors.items() if isinstance(sectors, Mapping) else ())
    ) or ", ".join(sorted(sectors))
    columns: dict[str, int] | None = None
    people: list[RosterLine] = []
    problems: list[ConsejoError] = []
    phones: dict[str, int] = {}
    try:
        for line, fields in csv_lines(text, delimiter=delimiter_of(text)):
            if columns is None:
                columns = _header(fields, line)
                continue
            if len(people) + len(problems) >= MAX_ROWS:
                raise InvalidInput.of(
                    gettext_noop("line %(line)d: a roster holds at most %(max)d people; split it"),
                    line=line,
                    max=MAX_ROWS,
                )
            if len(fields) != len(columns):
                problems.append(
                    InvalidInput.of(
                        gettext_noop(
                            "line %(line)d: expected %(expected)d values (%(columns)s), got %(got)d"
                        ),
                        line=line,
                        expected=len(columns),
                        columns=",".join(columns),
                        got=len(fields),
                    )
                )
                continue
            found = _line_problems(fields, columns, line, names, listed, phones)
            if found:
                problems.extend(found)
                continue
            people.append(
                RosterLine(
                    line=line,
                    name=fields[columns["name"]],
                    sector=names[_key(fields[columns["sector"]])],
                    phone=fields[columns["phone"]] if "phone" in columns else "",
                )
            )
    except InvalidInput as error:  # a bad header, malformed quoting, too many lines: it stops
        stop = error.problems if isinstance(error, RosterRefused) else (error,)
        raise RosterRefused([*problems, *stop]) from None
    if columns is None:
        raise RosterRefused(
            [
                InvalidInput.of(
                    gettext_noop("the file is empty: expected a header line name,sector[,phone]")
                )
            ]
        )
    if problems:
        raise RosterRefused(problems)
    if not people:
        raise RosterRefused(
            [InvalidInput.of(gettext_noop("the file has a header but nobody on it"))]
        )
    return people


def _line_problems(
    fields: list[str],
    columns: dict[str, int],
    line: int,
    names: Mapping[str, str],
    listed: str,
    phones: dict[str, int],
) -> list[ConsejoError]:
    problems: list[ConsejoError] = []
    name = fields[columns["name"]]
    if not name:
        problems.append(
            InvalidInput.of(gettext_noop("line %(line)d: the name is empty"), line=line)
        )
    elif len(name) > MAX_NAME:
        problems.append(
            InvalidInput.of(
                gettext_noop("line %(line)d: the name is longer than %(max)d characters"),
                line=line,
                max=MAX_NAME,
            )
        )
    elif any(unicodedata.category(c) in HIDDEN_CATEGORIES for c in name):
        problems.append(
            InvalidInput.of(
                gettext_noop("line %(line)d: the name holds control characters"), line=line
            )
        )
    sector = fields[columns["sector"]]
    if _key(sector) not in names:
        problems.append(
            InvalidInput.of(
                gettext_noop("line %(line)d: unknown sector %(sector)s; use one of %(sectors)s"),
                line=line,
                sector=shown(sector),
                sectors=listed,
            )
        )
    phone = fields[columns["phone"]] if "phone" in columns else ""
    if phone:
        digits = re.sub(r"[^0-9]", "", phone)
        if not _PHONE.fullmatch(phone):
            problems.append(
                InvalidInput.of(
                    gettext_noop(
                        "line %(line)d: the phone number may hold only digits, spaces and a "
                        "leading +"
                    ),
                    line=line,
                )
            )
        elif not _MIN_DIGITS <= len(digits) <= _MAX_DIGITS:
            problems.append(
                InvalidInput.of(
                    gettext_noop("line %(line)d: a phone number has 6 to 15 digits"), line=line
                )
            )
        elif digits in phones:
            problems.append(
                InvalidInput.of(
                    gettext_noop("line %(line)d: this phone number is already on line %(first)d"),
                    line=line,
                    first=phones[digits],
                )
            )
        else:
            phones[digits] = line
    return problems


def _key(text: str) -> str:
    """``text`` as names are compared: without accents, in lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def _sector_names(sectors: Collection[str] | Mapping[str, Collection[str]]) -> dict[str, str]:
    """Every way of writing a sector (its code, each of its names; "minero/a" as itself, as
    "minero" and as "minera"), compared as :func:`_key` compares, to the sector's code."""
    names: dict[str, str] = {}
    for code in sectors:
        labels = sectors[code] if isinstance(sectors, Mapping) else ()
        for label in (code, *labels):
            for variant in _genders(label):
                names.setdefault(_key(variant), code)
    return names


def _genders(label: str) -> list[str]:
    """A label with Spanish's ``/a`` ("trabajador/a del transporte") as written, and with the
    masculine and the feminine each in full ("trabajador del…", "trabajadora del…")."""
    if "/a" not in label:
        return [label]
    words = label.split()
    masculine = [word.removesuffix("/a") for word in words]
    feminine = [
        (word[:-3] + "a" if word.endswith("o/a") else word[:-2] + "a")
        if word.endswith("/a")
        else word
        for word in words
    ]
    return [label, " ".join(masculine), " ".join(feminine)]


def _header(fields: list[str], line: int) -> dict[str, int]:
    column_of = {_key(alias): column for column, aliases in HEADERS.items() for alias in aliases}
    named = [column_of.get(_key(field)) for field in fields]
    missing = [column for column in REQUIRED if column not in named]
    if None in named or missing or len(set(named)) != len(named):
        raise RosterRefused(
            [
                InvalidInput.of(
                    gettext_noop(
                        "line %(line)d: the header must name the columns name and sector (and "
                        "optionally phone), in English or Spanish, got %(header)s"
                    ),
                    line=line,
                    header=shown(",".join(fields)),
                )
            ]
        )
    return {column: index for index, column in enumerate(named) if column is not None}
