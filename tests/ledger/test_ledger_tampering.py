"""`consejo ledger verify` on the database: one altered, removed or reordered row is named."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from consejo.bodies import services
from consejo.bodies.services import RosterRow
from consejo.ledger.models import LedgerEntry, LedgerHead

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(operator: Any) -> int:
    """A small ledger of 12 entries, built through the services."""
    council = services.body_create(actor=operator, name="Council", slug="council", kind="council")
    body = services.body_create(
        actor=operator, name="Plant", slug="plant", kind="workplace", parent_id=council.pk
    )
    services.membership_import(
        actor=operator, body_id=body.pk, rows=[RosterRow(f"W{i}", "worker") for i in range(8)]
    )
    services.council_seats_configure(
        actor=operator, council_id=council.pk, method="dhondt", seats=3
    )
    return LedgerEntry.objects.count()


def verify() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("ledger", "verify", stdout=out)
    except CommandError as error:
        return error.returncode == 0, str(error)
    return True, out.getvalue()


def raw_update(seq: int, column: str, value: object) -> None:
    # Straight SQL, as an attacker with database access would do it: no model, no service.
    table = LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE seq = %s", [value, seq])  # noqa: S608


def test_an_untouched_ledger_verifies(chain: int) -> None:
    ok, text = verify()
    head = LedgerHead.objects.get()
    assert ok
    assert text.strip() == f"ok {chain} entries, head {head.hash}"


@pytest.mark.parametrize("position", ["first", "middle", "last"])
@pytest.mark.parametrize(
    ("column", "new_value"),
    [
        ("payload", '{"forged":true}'),
        ("kind", "membership.ended"),
        ("at", "2005-06-01T00:00:00.000000Z"),
        ("prev", "f" * 64),
        ("hash", "e" * 64),
    ],
)
def test_altering_one_column_of_one_row_is_named(
    chain: int, position: str, column: str, new_value: str
) -> None:
    seq = {"first": 1, "middle": chain // 2, "last": chain}[position]
    raw_update(seq, column, new_value)
    ok, text = verify()
    assert not ok
    assert f"entry {seq} fails" in text


@pytest.mark.parametrize("position", ["first", "middle", "last"])
def test_removing_one_row_is_named(chain: int, position: str) -> None:
    seq = {"first": 1, "middle": chain // 2, "last": chain}[position]
    LedgerEntry.objects.filter(seq=seq).delete()
    ok, text = verify()
    assert not ok
    assert f"entry {seq} fails" in text


def test_renumbering_rows_to_reorder_them_is_caught(chain: int) -> None:
    table = LedgerEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET seq = 1000 WHERE seq = 3")  # noqa: S608
        cursor.execute(f"UPDATE {table} SET seq = 3 WHERE seq = 4")  # noqa: S608
        cursor.execute(f"UPDATE {table} SET seq = 4 WHERE seq = 1000")  # noqa: S608
    ok, text = verify()
    assert not ok
    assert "entry 3 fails" in text


def test_rewriting_the_head_to_hide_a_removed_tail_still_fails_on_the_chain(chain: int) -> None:
    LedgerEntry.objects.filter(seq=chain).delete()
    LedgerHead.objects.update(seq=chain - 1, hash="0" * 64)
    ok, text = verify()
    assert not ok
    assert f"entry {chain - 1} fails" in text


def test_an_empty_ledger_verifies_with_the_genesis_head() -> None:
    ok, text = verify()
    assert ok
    assert text.strip() == "ok 0 entries, head " + "0" * 64


def test_a_member_always_sees_a_fresh_verification_on_the_page(chain: int, operator: Any) -> None:
    from django.test import Client

    public = Client().get("/ledger/?verify=1")
    assert "Verificado: la cadena de" in public.content.decode()
    raw_update(2, "payload", '{"forged":true}')
    member = Client()
    member.force_login(operator)
    page = member.get("/ledger/?verify=1").content.decode()
    assert "La cadena no se verifica: falla el asiento 2. Su contenido no coincide con su hash" in (
        page
    )
    # The public sees a verdict at most a minute old for the same head: no ledger reread in a loop.
    assert "Verificado: la cadena de" in Client().get("/ledger/?verify=1").content.decode()


def test_a_forged_row_added_beyond_the_head_is_caught(chain: int) -> None:
    last = LedgerEntry.objects.get(seq=chain)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                seq=chain + 1,
                kind="membership.started",
                at=last.at,
                payload="{}",
                prev=last.hash,
                hash="a" * 64,
            )
        ]
    )
    ok, text = verify()
    assert not ok
    assert f"entry {chain + 1} fails" in text
