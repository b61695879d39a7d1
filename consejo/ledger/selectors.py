"""Reads of the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet

from consejo.core import ledger as chain
from consejo.ledger.models import LedgerEntry, LedgerHead


def ledger_entries(*, up_to: int | None = None, chunk_size: int = 2000) -> Iterator[chain.Entry]:
    """Every entry in ascending storage order (up to ``up_to``), streamed in constant memory."""
    entries = LedgerEntry.objects.order_by("seq")
    if up_to is not None:
        entries = entries.filter(seq__lte=up_to)
    rows = entries.values_list("seq", "kind", "at", "payload", "prev", "hash")
    for seq, kind, at, payload, prev, digest in rows.iterator(chunk_size=chunk_size):
        yield chain.Entry(seq=seq, kind=kind, at=at, payload=payload, prev=prev, hash=digest)


def ledger_head_get() -> tuple[int, str]:
    """The count and head hash recorded in the head row (``(0, GENESIS)`` for an empty ledger)."""
    head = LedgerHead.objects.filter(id=1).first()
    return (0, chain.GENESIS) if head is None else (head.seq, head.hash)


def ledger_verify() -> chain.Verdict:
    """Verify the whole chain against the recorded head (``consejo ledger verify``).

    The head is read first and only the entries up to it are read after: entries appended
    meanwhile are not yet part of what is being verified, and are not mistaken for tampering. A
    removed entry is still caught (its number is missing below the head).
    """
    head = ledger_head_get()
    verdict = chain.verify_chain(ledger_entries(up_to=head[0]), expected_head=head)
    if not verdict.ok:
        return verdict
    # Rows beyond the head that no append wrote: an append commits its entries and the head
    # together, so reading the highest number first and the head second can only show an
    # entry above the head if nobody's append put it there.
    highest = LedgerEntry.objects.aggregate(highest=Max("seq"))["highest"] or 0
    now_seq, _now_hash = ledger_head_get()
    if highest > now_seq:
        return chain.Verdict(
            False,
            verdict.entries,
            verdict.head,
            now_seq + 1,
            f"entry {now_seq + 1} lies beyond the recorded head",
        )
    return verdict


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
