"""``ledger_append``: how every service records what it changed, inside its own transaction."""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from consejo.core import ledger as chain
from consejo.ledger.models import LedgerEntry, LedgerHead


def ledger_append(kind: str, payload: object, *, at: datetime) -> LedgerEntry:
    """Append one entry to the chain; call it last inside a service's atomic block.

    The head row is locked first (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE
    transaction already holds the write lock), so concurrent appends queue instead of forking; the
    unique constraints on ``prev`` and ``hash`` refuse a fork even if a writer bypassed the lock.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_append must run inside the service's transaction")
    head = LedgerHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        head = LedgerHead.objects.create(id=1, seq=0, hash=chain.GENESIS)
    entry = chain.make_entry(seq=head.seq + 1, kind=kind, at=at, payload=payload, prev=head.hash)
    row = LedgerEntry.objects.create(
        seq=entry.seq,
        kind=entry.kind,
        at=entry.at,
        payload=entry.payload,
        prev=entry.prev,
        hash=entry.hash,
    )
    head.seq, head.hash = entry.seq, entry.hash
    head.save(update_fields=["seq", "hash"])
    return row


def ledger_append_many(kind: str, payloads: list[object], *, at: datetime) -> int:
    """Append many entries of one kind at once (a roster import): one lock, one bulk insert."""
    if not payloads:
        return 0
    if not connection.in_atomic_block:
        raise RuntimeError("ledger_append_many must run inside the service's transaction")
    head = LedgerHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        head = LedgerHead.objects.create(id=1, seq=0, hash=chain.GENESIS)
    rows = []
    seq, prev = head.seq, head.hash
    for payload in payloads:
        seq += 1
        entry = chain.make_entry(seq=seq, kind=kind, at=at, payload=payload, prev=prev)
        rows.append(
            LedgerEntry(
                seq=entry.seq,
                kind=entry.kind,
                at=entry.at,
                payload=entry.payload,
                prev=entry.prev,
                hash=entry.hash,
            )
        )
        prev = entry.hash
    LedgerEntry.objects.bulk_create(rows, batch_size=500)
    head.seq, head.hash = seq, prev
    head.save(update_fields=["seq", "hash"])
    return len(rows)


__all__ = ["ledger_append", "ledger_append_many"]
