"""Edits behind the ledger's back, each in a savepoint, and whether the audit names them.

Shared by tests/ledger/test_audit.py (every covered column of the demo) and the tests that build
what the demo holds none of (a sealed box counted: its trustees' partial decryptions).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction

from consejo.ledger.audit import State, Table, audit, tables


def audited(state: State, change: Any) -> list[Any]:
    """The differences the audit finds after ``change()``, made and undone in a savepoint."""
    with transaction.atomic():
        change()
        report = audit(state)
        transaction.set_rollback(True)
    return list(report.differences)


def _other(field: models.Field[Any, Any], value: object, turn: int = 0) -> object:
    """A value of ``field``'s type that differs from ``value`` and fits the column (``turn``:
    the how-many-th such value, to try another when a CHECK constraint refuses one)."""
    if field.choices:
        others = [c for c, _label in field.flatchoices if c != value]
        return others[turn % len(others)]
    if value is None:
        if isinstance(field, models.DateTimeField):
            from django.utils import timezone

            return timezone.now()
        if isinstance(field, models.BinaryField):
            return b"\x01"
        if isinstance(field, models.JSONField):
            return [1]
        if isinstance(field, models.DecimalField):
            return Decimal("1.5")
        if isinstance(field, models.ForeignKey | models.IntegerField):
            return 1
        return "x"
    if isinstance(value, bool):
        return not value
    if field.is_relation and isinstance(value, int):
        return value + 10**6  # deferred foreign keys: checked at commit, never here
    if isinstance(value, int):
        return value + 1 + turn
    if isinstance(value, Decimal):
        return value + 1
    if isinstance(value, bytes | memoryview):
        return b"\x01" + bytes(value)
    if isinstance(value, list | dict):
        return [value, 1]
    if isinstance(value, str):
        return (value[:-1] + ("y" if value.endswith("x") else "x")) if value else "x"
    return value + timedelta(seconds=1 + turn)  # type: ignore[operator]


def covered_columns(labels: set[str] | None = None) -> list[tuple[str, str]]:
    """Every (table, column) the audit covers, of ``labels`` (default: every covered table)."""
    return sorted(
        (label, column)
        for label, table in tables().items()
        if labels is None or label in labels
        for column in table.columns()
        if column != "pk"
    )


def _candidates(model: type[models.Model], seed: str) -> list[object]:
    """Rows to try an edit on: one of each combination of the choice and flag columns first
    (a CHECK constraint often ties them, such as a provisional secretary), then others."""
    flags = [
        f.attname
        for f in model._meta.concrete_fields
        if f.choices or isinstance(f, models.BooleanField)
    ]
    manager = model._default_manager.order_by("pk")
    groups: dict[tuple[object, ...], object] = {}
    for pk, *values in manager.values_list("pk", *flags).iterator():
        groups.setdefault(tuple(values), pk)
    rest = list(manager.values_list("pk", flat=True)[:500])
    random.Random(seed).shuffle(rest)
    return [*groups.values(), *rest]


def _raw(model: type[models.Model], table: Table, pk: object) -> dict[str, Any]:
    names = sorted(table.columns() - {"pk"})
    attnames = [model._meta.get_field(n).attname for n in names]
    values = model._default_manager.filter(pk=pk).values_list(*attnames).get()
    return dict(zip(names, values, strict=True))


def edit_is_named(state: State, label: str, column: str, seed: str = "") -> None:
    """Edit ``column`` of one row of ``label`` (the first that takes it, of rows drawn with
    ``seed``): the audit names it."""
    model, table = apps.get_model(label), tables()[label]
    field = model._meta.get_field(column)
    candidates = _candidates(model, column + seed)
    if seed:  # a random run: any row, not the first of each kind first
        random.Random(seed).shuffle(candidates)
    assert candidates, f"no {label} row to edit"
    edited: list[tuple[str, str]] = []

    def edit() -> None:
        for pk in candidates:
            value = model._default_manager.filter(pk=pk).values_list(field.attname, flat=True).get()
            for turn in range(3):
                try:
                    with transaction.atomic():
                        before = table.key({"pk": pk, **_raw(model, table, pk)})
                        model._default_manager.filter(pk=pk).update(
                            **{field.attname: _other(field, value, turn)}
                        )
                        after = table.key({"pk": pk, **_raw(model, table, pk)})
                except IntegrityError:
                    continue
                edited.append((before, after))
                return

    found = audited(state, edit)
    assert edited, f"no row of {label} takes an edit of {column}"
    before, after = edited[0]
    named = {(d.table, d.row, d.field, d.what) for d in found}
    if before != after:  # the column names the row: the old row is gone, a new one appears
        assert (label, before, "", "deleted") in named, [str(d) for d in found]
        assert (label, after, "", "inserted") in named, [str(d) for d in found]
    elif column in table.compared:
        assert (label, before, column, "changed") in named, [str(d) for d in found]
    else:
        assert any(d.table == label for d in found), f"{label}.{column}: {found}"


def insert_is_named(state: State, label: str) -> None:
    """Copy a row of ``label`` as a new one (behind the services): the audit names it."""
    model = apps.get_model(label)
    original = model._default_manager.order_by("pk").first()
    assert original is not None, f"no {label} row to copy"
    copy = model._default_manager.filter(pk=original.pk).values()[0]

    def insert() -> None:
        for field in model._meta.concrete_fields:
            name = field.attname
            if field.primary_key:
                copy.pop(name)
                if not isinstance(field, models.AutoField):
                    copy[name] = 10**15 + 7  # a drawn id (ballots): any unused number
            elif field.is_relation:
                copy[name] = None if copy[name] is None else copy[name] + 10**6
            elif field.unique:
                copy[name] = _other(field, copy[name])
        model._default_manager.bulk_create([model(**copy)])

    found = audited(state, insert)
    assert any(d.table == label and d.what == "inserted" for d in found), [str(d) for d in found]


def delete_is_named(state: State, label: str) -> None:
    """Delete the newest row of ``label`` with a raw DELETE: the audit names it."""
    model, table = apps.get_model(label), tables()[label]
    pk = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
    assert pk is not None, f"no {label} row to delete"
    key = table.key({"pk": pk, **_raw(model, table, pk)})

    def delete() -> None:
        # As someone with the database would: no collector, no PROTECT.
        model._default_manager.filter(pk=pk)._raw_delete(model._default_manager.db)

    found = audited(state, delete)
    assert (label, key, "deleted") in {(d.table, d.row, d.what) for d in found}
