"""``consejo ledger audit`` rebuilds the tables from the ledger and names every edit made behind it.

The demo is loaded once for the module (inside an outer transaction rolled back at the end); its
ledger is replayed once. Then, for every covered column of every covered table, one row is
changed in a savepoint (as an UPDATE without the services would), the audit is run against the
tables, and the savepoint is rolled back: each edit is audited on a fresh copy. An insertion and a
deletion per table are audited the same way. The issue's example comes first: one UPDATE that
makes a member a secretary.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from consejo.bodies.models import Membership, MembershipRole
from consejo.bodies.services import api_token_issue
from consejo.ledger.audit import NOT_COVERED, State, audit, ledger_replay, tables
from consejo.ledger.kinds import Kind
from tests.builders import loaded_demo
from tests.ledger.mutations import (
    audited,
    covered_columns,
    delete_is_named,
    edit_is_named,
    insert_is_named,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def replayed(django_db_setup: None, django_db_blocker: Any) -> Iterator[State]:
    """The demo, an API token (the demo issues none), a sealed ballot, and the ledger replayed
    once."""

    def prepare(_output: str) -> State:
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        api_token_issue(user=users.get(username="admin"), name="sync")
        _cast_a_sealed_ballot(users.get(username="vecina"))
        return ledger_replay()

    yield from loaded_demo(django_db_blocker, prepare)


def _cast_a_sealed_ballot(voter: Any) -> None:
    """The demo's secret vote is open and nobody has voted: a voter and a sealed ballot."""
    from consejo.elections.models import BallotMode, Election
    from consejo.elections.selectors import standing_candidates
    from consejo.elections.services import ballot_cast

    election = Election.objects.get(mode=BallotMode.SECRET)
    first = standing_candidates(election)[0]
    ballot_cast(actor=voter, election_id=election.pk, choices=[first.pk])


def test_the_audit_agrees_with_the_demo(replayed: State) -> None:
    report = audit(replayed)
    assert report.ok, [str(d) for d in report.differences]
    assert report.entries > 10_000
    assert report.rows > 30_000


def test_the_issues_update_making_a_member_secretary_is_named(replayed: State) -> None:
    row = Membership.objects.filter(role=MembershipRole.MEMBER).order_by("pk").first()
    assert row is not None

    def promote() -> None:
        Membership.objects.filter(pk=row.pk).update(role=MembershipRole.SECRETARY)

    found = audited(replayed, promote)
    named = [(d.table, d.row, d.field) for d in found]
    assert named == [("bodies.Membership", str(row.pk), "role")]
    assert "the ledger says 'member', the table holds 'secretary'" in str(found[0])
    assert found[0].seq is not None  # the entry that made the membership


#: Tables the demo holds no row of, and the test that edits them instead.
ELSEWHERE = {"boxes.PartialDecryption": "tests/elections/test_sealed_box.py"}
#: Columns the demo holds no changed value of, and the test that edits them instead: since
#: offices are mandates no membership is provisional (only an old installation's are).
COLUMNS_ELSEWHERE = {
    ("bodies.Membership", "provisional"): "tests/ledger/test_legacy_secretaries.py"
}
COLUMNS = [c for c in covered_columns(set(tables()) - set(ELSEWHERE)) if c not in COLUMNS_ELSEWHERE]


@pytest.mark.parametrize(("label", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_an_edit_of_every_covered_column_is_named(replayed: State, label: str, column: str) -> None:
    edit_is_named(replayed, label, column)


@pytest.mark.parametrize("label", sorted(set(tables()) - set(ELSEWHERE)))
def test_an_inserted_row_is_named(replayed: State, label: str) -> None:
    insert_is_named(replayed, label)


@pytest.mark.parametrize("label", sorted(set(tables()) - set(ELSEWHERE)))
def test_a_deleted_row_is_named(replayed: State, label: str) -> None:
    delete_is_named(replayed, label)


def test_the_command_names_the_difference_and_exits_1(replayed: State) -> None:
    row = Membership.objects.order_by("pk").first()
    assert row is not None
    with transaction.atomic():
        Membership.objects.filter(pk=row.pk).update(sector="otro")
        err = io.StringIO()
        with pytest.raises(CommandError) as failure:
            call_command("ledger", "audit", stderr=err)
        transaction.set_rollback(True)
    assert failure.value.returncode == 1
    assert f"bodies.Membership {row.pk} sector" in err.getvalue()
    out = io.StringIO()
    call_command("ledger", "audit", stdout=out)
    assert out.getvalue().startswith("ok ")


def test_every_kind_has_a_replayer_and_every_model_is_covered_or_excused() -> None:
    from consejo.ledger.audit import replayers

    assert set(replayers()) == set(Kind)
    ours = {
        m._meta.label
        for m in apps.get_models()
        if m.__module__.startswith("consejo.") or m._meta.label == "auth.User"
    }
    ledger = {"ledger.LedgerEntry", "ledger.LedgerHead"}  # the record itself
    assert ours - ledger - set(tables()) - set(NOT_COVERED) == set()
    for label, table in tables().items():
        model = apps.get_model(label)
        columns = {f.name for f in model._meta.concrete_fields}
        left = columns - table.columns() - set(table.not_covered) - {"id"}
        assert left == set(), f"{label}: columns neither covered nor excused: {sorted(left)}"
