"""Every service is in the docs, once, as its code has it (after Datasette's tests/test_docs.py).

A *service table* is a Markdown table in docs/ whose header is ``| service | who | when | ledger
entry |`` (docs/elections.md has the first). The *services* are the public functions of each
app's ``consejo.<app>.services`` (a module, or a package whose submodules it imports from):
every one of them is a write path, or a step of one, and its table says who may call it, when,
and what it records; :data:`NOT_SERVICES` lists, with the reason, the public functions there
that write nothing. Each service is in exactly one row of one table, each name in a table is a
service, and the ledger entry column names (in backquotes) only registered kinds.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("service", "who", "when", "ledger entry")
#: The public functions of a services module that are not services, and why.
NOT_SERVICES: dict[tuple[str, str], str] = {
    ("boxes", "multiples"): "a table of m·B kept in memory for the count; writes nothing",
    ("ledger", "commit"): "computes the keyed commitment a payload carries; writes nothing",
}
SERVICE_CELL = re.compile(r"`[a-z_][a-z0-9_]*`(, `[a-z_][a-z0-9_]*`)*")


@dataclass(frozen=True)
class Row:
    """One row of a service table: where it is, and its four cells."""

    place: str
    services: tuple[str, ...]
    who: str
    when: str
    ledger: str


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


@cache
def service_rows() -> tuple[Row, ...]:
    rows: list[Row] = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        lines = path.read_text().splitlines()
        in_table = False
        for number, line in enumerate(lines, start=1):
            if not line.startswith("|"):
                in_table = False
                continue
            cells = _cells(line)
            if tuple(cell.lower() for cell in cells) == HEADER:
                in_table = True
                continue
            if not in_table or set(line) <= set("|-: "):
                continue
            place = f"docs/{path.name}:{number}"
            assert len(cells) == len(HEADER), f"{place}: a service row has four cells"
            service, who, when, ledger = cells
            assert SERVICE_CELL.fullmatch(service), f"{place}: {service!r} is not `name`, `name`"
            rows.append(Row(place, tuple(re.findall(r"`([^`]+)`", service)), who, when, ledger))
    return tuple(rows)


def _public_functions(app: str) -> dict[str, Callable[..., Any]]:
    name = f"consejo.{app}.services"
    module = importlib.import_module(name)
    return {
        attr: value
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and inspect.isfunction(inspect.unwrap(value))  # a cached function (lru_cache) too
        and (value.__module__ == name or value.__module__.startswith(name + "."))
    }


@cache
def services() -> dict[str, str]:
    """Every service, by name, with its app."""
    apps = sorted(
        {path.parent.name for path in (ROOT / "consejo").glob("*/services.py")}
        | {path.parent.parent.name for path in (ROOT / "consejo").glob("*/services/__init__.py")}
    )
    found: dict[str, str] = {}
    for app in apps:
        functions = _public_functions(app)
        assert functions, f"consejo.{app}.services has no public functions"
        for name in functions:
            if (app, name) in NOT_SERVICES:
                continue
            # A table names a service without its app: a name must be one app's only.
            assert name not in found, f"{name} is a service of both {found[name]} and {app}"
            found[name] = app
    return found


def test_the_docs_have_service_tables() -> None:
    assert len(service_rows()) >= 30
    assert {Path(row.place.split(":")[0]).name for row in service_rows()} >= {
        "bodies.md",
        "elections.md",
        "mandates.md",
        "allocation.md",
        "ledger.md",
    }


def test_every_service_is_in_exactly_one_row_of_one_service_table() -> None:
    named = Counter(name for row in service_rows() for name in row.services)
    missing = sorted(f"{app}.{name}" for name, app in services().items() if named[name] == 0)
    twice = sorted(name for name, count in named.items() if count > 1)
    assert (missing, twice) == ([], []), f"in no table: {missing}; in more than one row: {twice}"


def test_every_service_a_table_names_exists() -> None:
    unknown = [
        f"{row.place}: {name}"
        for row in service_rows()
        for name in row.services
        if name not in services()
    ]
    assert unknown == [], f"no such service: {unknown}"


def test_the_exceptions_are_public_functions_of_the_services() -> None:
    for app, name in NOT_SERVICES:
        assert name in _public_functions(app), f"NOT_SERVICES names {app}.{name}: gone?"


def test_a_row_says_who_and_when_and_names_only_registered_kinds() -> None:
    from consejo.ledger.kinds import Kind

    kinds = {kind.value for kind in Kind}
    empty = [row.place for row in service_rows() if not (row.who and row.when and row.ledger)]
    unknown = [
        f"{row.place}: {name}"
        for row in service_rows()
        for name in re.findall(r"`([^`]+)`", row.ledger)
        if name not in kinds
    ]
    assert empty == [], f"rows with an empty cell: {empty}"
    assert unknown == [], f"not registered kinds of entry: {unknown}"
