"""The ledger head: read once under lock by a service, moved by one conditional UPDATE.

The head an append remembers from its service's lock can be stale (a transaction rolled back, a
head rewritten in SQL); the append must then chain onto the head the database holds, never onto
the remembered one, and never fork the chain.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consejo.bodies import services
from consejo.bodies.services import RosterRow
from consejo.core.ledger import GENESIS
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry, LedgerHead
from consejo.ledger.selectors import ledger_verify
from consejo.ledger.services import ledger_append, service_instant

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def head() -> LedgerHead:
    return LedgerHead.objects.get(id=1)


def test_the_first_write_of_an_installation_creates_the_head() -> None:
    assert not LedgerHead.objects.exists()
    services.operator_create(username="operator", password="operator-pass-1")
    entry = LedgerEntry.objects.get()
    assert (entry.seq, entry.prev) == (1, GENESIS)
    assert (head().seq, head().hash, head().at) == (1, entry.hash, entry.at)


def append_again(seq: int) -> LedgerEntry:
    """Append a copy of entry ``seq``'s payload with no ``service_instant`` before it, so that
    the append starts from the head it remembers."""
    entry = LedgerEntry.objects.get(seq=seq)
    return ledger_append(Kind(entry.kind), json.loads(entry.payload), at=timezone.now())


def test_an_append_after_a_rolled_back_one_chains_onto_the_stored_head(operator: Any) -> None:
    before = head()

    def append_then_fail() -> None:
        with transaction.atomic():
            service_instant()
            append_again(1)
            raise Boom  # the entry and the moved head go; the head remembered is now stale

    with pytest.raises(Boom):
        append_then_fail()
    assert (head().seq, head().hash) == (before.seq, before.hash)
    with transaction.atomic():
        newest = append_again(1)
    assert (newest.seq, newest.prev) == (before.seq + 1, before.hash)
    assert ledger_verify().ok
    services.body_create(actor=operator, name="Mine", slug="mine", kind="workplace")
    assert ledger_verify().ok


def test_a_head_rewritten_between_writes_is_followed_not_the_remembered_one(
    operator: Any,
) -> None:
    forged = "f" * 64
    LedgerHead.objects.filter(id=1).update(hash=forged)
    with transaction.atomic():
        newest = append_again(1)
    assert newest.prev == forged
    assert head().seq == newest.seq
    assert not ledger_verify().ok  # the rewrite itself is still caught


@pytest.mark.django_db(transaction=True)
def test_an_append_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        ledger_append(Kind.BODY_CREATED, {}, at=timezone.now())
    with pytest.raises(RuntimeError, match="transaction"):
        service_instant()


def test_a_service_reads_the_head_once_and_moves_it_once(operator: Any) -> None:
    plant = services.body_create(actor=operator, name="Plant", slug="plant", kind="workplace")
    table = LedgerHead._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        services.member_add(actor=operator, body_id=plant.pk, name="Juana", sector="worker")
    touching = [q["sql"] for q in queries.captured_queries if table in q["sql"]]
    assert len(touching) == 2, touching
    assert touching[0].lstrip().upper().startswith("SELECT")
    assert touching[1].lstrip().upper().startswith("UPDATE")


def test_an_import_larger_than_a_batch_is_one_unbroken_chain(operator: Any) -> None:
    plant = services.body_create(actor=operator, name="Plant", slug="plant", kind="workplace")
    rows = [RosterRow(f"Worker {i}", "worker") for i in range(1_201)]
    services.membership_import(actor=operator, body_id=plant.pk, rows=rows)
    assert head().seq == LedgerEntry.objects.count()
    assert list(LedgerEntry.objects.values_list("seq", flat=True)) == list(range(1, head().seq + 1))
    assert ledger_verify().ok
