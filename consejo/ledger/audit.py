"""The audit: rebuild the tables from the ledger alone and name every row that disagrees.

``consejo ledger verify`` proves the chain; this proves the state. Every app registers, in its
``AppConfig.ready()``, the tables it covers (:class:`Table`: the columns compared, those compared
as keyed commitments or digests, and those deliberately left out, with the reason) and a replayer
per ledger kind it writes. :func:`ledger_replay` reads the entries in order and applies each
one's replayer to an in-memory :class:`State`; :func:`audit` reads the tables and names every
difference: the table, the row, the field, what the ledger says and what the table holds, and
the entry that should have produced it. A row no entry made (an insertion) and a row an entry
made that is gone (a deletion) are differences too.

What the audit cannot see is written in docs/ledger.md: it proves the tables against the ledger,
not the ledger against a copy held elsewhere (someone who rewrites both is caught only by a
signed checkpoint, a later step; ``consejo.core.ledger.node_hash`` is kept for it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings

from consejo.core.commitments import commitment
from consejo.core.ledger import canonical_json, format_instant
from consejo.ledger.kinds import Kind, kind_of

Row = dict[str, Any]


class _Unknown:
    """A value an entry written before payloads carried whole rows did not record."""

    def __repr__(self) -> str:
        return "(not recorded)"


#: A field an old entry did not record: the audit does not compare it (and counts it).
UNKNOWN: Any = _Unknown()


def normal(value: object) -> object:
    """The form in which the audit compares a column's value with the ledger's: instants as the
    ledger writes them, decimals without trailing zeros, bytes in hex, JSON as canonical JSON."""
    if isinstance(value, datetime):
        return format_instant(value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, list | dict):
        return canonical_json(value)
    return value


def decimal_text(value: object) -> str | None:
    """A decimal as the audit compares it (``-16.5`` for ``-16.500000``); None stays None."""
    if value is None:
        return None
    text = format(Decimal(str(value)).normalize(), "f")
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True)
class Computed:
    """A value the audit computes from a row's columns (``reads``) and compares with the ledger's
    (a digest of a large column, the ledger recording only the digest)."""

    reads: tuple[str, ...]
    value: Callable[[Row], object]


def _by_pk(row: Row) -> str:
    return str(row["pk"])


@dataclass(frozen=True)
class Table:
    """What the audit covers of one model (``label``: ``app_label.ModelName``).

    ``fields`` are compared as they are; ``personal`` as keyed commitments
    (consejo.core.commitments); ``computed`` as values computed from other columns; ``key``
    names a row (the primary key unless a row is named by what it is, such as a route by its
    depot and recipient); ``reads`` are the columns the key needs; ``not_covered`` are the
    columns deliberately left out, each with the reason (docs/ledger.md lists them).
    """

    label: str
    fields: tuple[str, ...]
    personal: tuple[str, ...] = ()
    computed: Mapping[str, Computed] = field(default_factory=dict)
    key: Callable[[Row], str] = _by_pk
    reads: tuple[str, ...] = ()
    not_covered: Mapping[str, str] = field(default_factory=dict)

    @property
    def compared(self) -> tuple[str, ...]:
        """Every name the ledger gives a value for in this table's rows."""
        return (*self.fields, *self.personal, *self.computed)

    def columns(self) -> set[str]:
        """The model's columns that this table covers, by value, commitment or digest."""
        read = {c for spec in self.computed.values() for c in spec.reads}
        return {*self.fields, *self.personal, *read, *self.reads}


@dataclass(frozen=True)
class Difference:
    """One disagreement between the ledger and the tables."""

    table: str
    row: str
    field: str
    expected: object
    actual: object
    seq: int | None
    what: str = "changed"

    def __str__(self) -> str:
        where = f"{self.table} {self.row}"
        by = f" (entry #{self.seq})" if self.seq is not None else ""
        if self.what == "inserted":
            return f"{where}: a row that no ledger entry made"
        if self.what == "deleted":
            return f"{where}: the row that entry #{self.seq} made is gone"
        if self.what == "replay":
            return f"entry #{self.seq}: {self.actual}"
        return (
            f"{where} {self.field}: the ledger says {self.expected!r}, "
            f"the table holds {self.actual!r}{by}"
        )


class State:
    """The tables as the ledger says they are: rows by table and key, and which entry last set
    each field (to name it in a difference)."""

    def __init__(self, key: bytes) -> None:
        self.key = key
        self.tables: dict[str, dict[str, Row]] = defaultdict(dict)
        self.origin: dict[tuple[str, str], dict[str, int]] = {}
        self.made: dict[tuple[str, str], int] = {}
        self.names: dict[tuple[str, str], str] = {}
        #: Tallies a replayer keeps that are no row (the sealed ballots cast into each box).
        self.counts: dict[tuple[str, str], int] = defaultdict(int)
        self.problems: list[Difference] = []
        self.seq = 0
        self.at = ""
        self.entries = 0

    def put(self, label: str, key: object, row: Mapping[str, object]) -> None:
        """A row made (or made again) by the current entry."""
        key = str(key)
        self.tables[label][key] = dict(row)
        self.origin[label, key] = dict.fromkeys(row, self.seq)
        self.made[label, key] = self.seq

    def patch(self, label: str, key: object, **values: object) -> None:
        """Fields of an existing row changed by the current entry."""
        row = self.row(label, key)
        if row is None:
            return
        row.update(values)
        self.origin[label, str(key)].update(dict.fromkeys(values, self.seq))

    def delete(self, label: str, key: object) -> None:
        """A row the current entry removes (a paper tally entered again replaces the last)."""
        self.tables[label].pop(str(key), None)
        self.origin.pop((label, str(key)), None)
        self.made.pop((label, str(key)), None)

    def row(self, label: str, key: object) -> Row | None:
        """The row, or None and a problem named (an entry about a row no entry made)."""
        row = self.tables[label].get(str(key))
        if row is None:
            self.problem(f"it refers to {label} {key}, which no earlier entry made")
        return row

    def rows(self, label: str) -> dict[str, Row]:
        """Every row of ``label`` by key (the state's own dict: replayers may scan it)."""
        return self.tables[label]

    def name(self, label: str, name: str, key: object) -> None:
        """Record that ``name`` (a body's short name, a box's reference) names row ``key``."""
        self.names[label, name] = str(key)

    def named(self, label: str, name: object) -> Any:
        """The key of the row ``name`` names, or UNKNOWN and a problem named."""
        if name is None:
            return None
        key = self.names.get((label, str(name)))
        if key is None:
            self.problem(f"it names {label} {name!r}, which no earlier entry made")
            return UNKNOWN
        return int(key) if key.isdigit() else key

    def problem(self, text: str) -> None:
        self.problems.append(
            Difference(
                table="", row="", field="", expected=None, actual=text, seq=self.seq, what="replay"
            )
        )

    def commit(self, label: str, field: str, key: object, value: object) -> str:
        """The commitment the ledger should hold for ``value`` in that place."""
        return commitment(self.key, label, field, str(key), "" if value is None else str(value))


Replayer = Callable[[State, Mapping[str, Any]], None]
Check = Callable[[State], list[Difference]]

_TABLES: dict[str, Table] = {}
_REPLAYERS: dict[Kind, Replayer] = {}
_CHECKS: list[Check] = []
#: Models left out entirely, each with the reason (docs/ledger.md lists them).
NOT_COVERED: dict[str, str] = {}


def register(
    *,
    tables: Iterable[Table] = (),
    replayers: Mapping[Kind, Replayer] | None = None,
    checks: Iterable[Check] = (),
    not_covered: Mapping[str, str] | None = None,
) -> None:
    """Register an app's tables, replayers and checks (from its ``AppConfig.ready()``).

    A kind is replayed by one app only: a second registration of the same kind is a mistake.
    """
    for table in tables:
        _TABLES[table.label] = table
    for kind, replayer in (replayers or {}).items():
        if _REPLAYERS.get(kind, replayer) is not replayer:
            raise ValueError(f"{kind} already has a replayer")
        _REPLAYERS[kind] = replayer
    for check in checks:
        if check not in _CHECKS:
            _CHECKS.append(check)
    NOT_COVERED.update(not_covered or {})


def tables() -> Mapping[str, Table]:
    """Every covered table by label."""
    return dict(_TABLES)


def replayers() -> Mapping[Kind, Replayer]:
    """The replayer of every kind registered."""
    return dict(_REPLAYERS)


def ledger_replay(key: bytes | None = None) -> State:
    """The state the ledger's entries, applied in order, produce (the tables as they should be)."""
    from consejo.ledger.models import LedgerEntry

    state = State(settings.CONSEJO_LEDGER_KEY if key is None else key)
    rows = LedgerEntry.objects.order_by("seq").values_list("seq", "kind", "at", "payload")
    for seq, name, at, payload in rows.iterator(chunk_size=2000):
        state.seq, state.at = seq, at
        state.entries += 1
        kind = kind_of(name)
        replayer = _REPLAYERS.get(kind) if kind is not None else None
        if replayer is None:
            state.problem(f"its kind {name!r} has no replayer")
            continue
        replayer(state, json.loads(payload))
    return state


@dataclass(frozen=True)
class Report:
    """What the audit found: the entries replayed, the rows compared and every difference."""

    entries: int
    rows: int
    unrecorded: int
    differences: tuple[Difference, ...]

    @property
    def ok(self) -> bool:
        return not self.differences

    def __str__(self) -> str:
        if self.ok:
            return f"ok {self.entries} entries, {self.rows} rows agree"
        return f"{len(self.differences)} differences in {self.rows} rows"


def audit(state: State | None = None) -> Report:
    """Replay the ledger (or take ``state``, already replayed) and compare it with the tables."""
    state = ledger_replay() if state is None else state
    differences: list[Difference] = list(state.problems)
    compared = unrecorded = 0
    for label, table in sorted(_TABLES.items()):
        actual = _read(table, state)
        expected = state.tables.get(label, {})
        compared += len(actual)
        for key in sorted(actual.keys() - expected.keys(), key=_order):
            differences.append(Difference(label, key, "", None, None, None, "inserted"))
        for key in sorted(expected.keys() - actual.keys(), key=_order):
            seq = state.made.get((label, key))
            differences.append(Difference(label, key, "", None, None, seq, "deleted"))
        for key in sorted(actual.keys() & expected.keys(), key=_order):
            want, have = expected[key], actual[key]
            for name in table.compared:
                value = want.get(name, UNKNOWN)
                if value is UNKNOWN:
                    unrecorded += 1
                elif normal(value) != have[name]:
                    seq = state.origin.get((label, key), {}).get(name)
                    differences.append(Difference(label, key, name, value, have[name], seq))
    for check in _CHECKS:
        differences.extend(check(state))
    return Report(state.entries, compared, unrecorded, tuple(differences))


def _order(key: str) -> tuple[int, str]:
    return (int(key), "") if key.isdigit() else (0, key)


def _read(table: Table, state: State) -> dict[str, Row]:
    """The table's rows as the audit compares them: by key, each compared name's value."""
    model = apps.get_model(table.label)
    meta = model._meta
    columns = sorted(table.columns() - {"pk"})
    attnames = [meta.get_field(c).attname for c in columns]
    out: dict[str, Row] = {}
    for values in model._default_manager.order_by().values_list("pk", *attnames).iterator():
        raw = dict(zip(["pk", *columns], values, strict=True))
        key = table.key(raw)
        row: Row = {name: normal(raw[name]) for name in table.fields}
        for name in table.personal:
            row[name] = state.commit(table.label, name, key, raw[name])
        for name, spec in table.computed.items():
            row[name] = normal(spec.value(raw))
        out[key] = row
    return out
