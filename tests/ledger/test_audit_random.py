"""The slow run of the audit (outside ``make test``): 1,000 random edits of a demo database, each
in a savepoint, each of which the audit must name.

    CONSEJO_AUDIT_EDITS=1000 .venv/bin/python -m pytest tests/ledger/test_audit_random.py -q

An edit is a random covered column of a random row of a random covered table set to another
value of its type (or a row inserted or deleted behind the services); the result is in
docs/ledger.md.
"""

from __future__ import annotations

import os
import random

import pytest

from consejo.ledger.audit import State, tables
from tests.ledger.mutations import covered_columns, delete_is_named, edit_is_named, insert_is_named
from tests.ledger.test_audit import ELSEWHERE, replayed  # noqa: F401 - the module's fixture

EDITS = int(os.environ.get("CONSEJO_AUDIT_EDITS", "0"))

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not EDITS, reason="the slow audit run: set CONSEJO_AUDIT_EDITS=1000"),
]


def test_random_edits_are_all_named(replayed: State) -> None:  # noqa: F811 - the fixture
    rng = random.Random(20051)
    columns = covered_columns(set(tables()) - set(ELSEWHERE))
    labels = sorted({label for label, _column in columns})
    missed = []
    for n in range(EDITS):
        draw = rng.random()
        try:
            if draw < 0.05:
                insert_is_named(replayed, rng.choice(labels))
            elif draw < 0.10:
                delete_is_named(replayed, rng.choice(labels))
            else:
                label, column = rng.choice(columns)
                edit_is_named(replayed, label, column, seed=f"{n}")
        except AssertionError as error:
            missed.append(f"edit {n}: {error}")
    assert missed == [], missed
