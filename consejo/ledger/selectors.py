"""Reads of the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from consejo.core import ledger as chain
from consejo.ledger.models import LedgerEntry, LedgerHead


def ledger_entries(*, chunk_size: int = 2000) -> Iterator[chain.Entry]:
    """Every entry in ascending storage order, streamed (constant memory for millions of rows)."""
    rows = LedgerEntry.objects.order_by("seq").values_list(
        "seq", "kind", "at", "payload", "prev", "hash"
    )
    for seq, kind, at, payload, prev, digest in rows.iterator(chunk_size=chunk_size):
        yield chain.Entry(seq=seq, kind=kind, at=at, payload=payload, prev=prev, hash=digest)


def ledger_head_get() -> tuple[int, str]:
    """The count and head hash recorded in the head row (``(0, GENESIS)`` for an empty ledger)."""
    head = LedgerHead.objects.filter(id=1).first()
    return (0, chain.GENESIS) if head is None else (head.seq, head.hash)


def ledger_verify() -> chain.Verdict:
    """Verify the whole chain against the recorded head (``consejo ledger verify``)."""
    return chain.verify_chain(ledger_entries(), expected_head=ledger_head_get())


PUBLIC_VERIFY_SECONDS = 60


def ledger_verify_for(actor: Any) -> chain.Verdict:
    """Verify for a page or API reader. Members get a fresh verification every time; the public
    gets one at most a minute old for the current head, so that anonymous requests cannot make
    the server reread the whole ledger in a loop."""
    if getattr(actor, "is_authenticated", False):
        return ledger_verify()
    seq, head = ledger_head_get()
    key = f"consejo:ledger-verify:{seq}:{head}"
    cached = cache.get(key)
    if isinstance(cached, chain.Verdict):
        return cached
    verdict = ledger_verify()
    cache.set(key, verdict, timeout=PUBLIC_VERIFY_SECONDS)
    return verdict


def ledger_entry_list(*, kind: str | None = None, limit: int = 50) -> QuerySet[LedgerEntry]:
    """The newest entries first, optionally of one kind."""
    rows = LedgerEntry.objects.order_by("-seq")
    if kind:
        rows = rows.filter(kind=kind)
    return rows[:limit]
