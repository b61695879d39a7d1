"""Reads of the ledger."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.utils.translation import gettext, gettext_noop

from consejo.common.actors import Actor
from consejo.common.wording import phrasing, translated
from consejo.core import ledger as chain
from consejo.ledger.kinds import SPECS, kind_of, names_of
from consejo.ledger.models import LedgerEntry, LedgerHead

#: Entries per page of the ledger: a page stays a few kilobytes on a phone line.
LEDGER_PAGE_SIZE = 50

# The reasons consejo.core.ledger.verify_chain gives, as a page shows them.
_REASONS = (
    phrasing(
        r"entry (?P<seq>\d+) is missing \(found (?P<found>\d+) after (?P<after>\d+)\)",
        gettext_noop("entry %(seq)s is missing (found %(found)s after %(after)s)"),
    ),
    phrasing(
        r"found sequence number (?P<found>\d+) where (?P<seq>\d+) belongs",
        gettext_noop("found sequence number %(found)s where %(seq)s belongs"),
    ),
    phrasing(
        r"its previous hash does not match the entry before",
        gettext_noop("its previous hash does not match the entry before"),
    ),
    phrasing(
        r"its contents do not match its hash", gettext_noop("its contents do not match its hash")
    ),
    phrasing(r"its kind is not a ledger kind", gettext_noop("its kind is not a ledger kind")),
    phrasing(
        r"its previous hash is not 64 hex digits",
        gettext_noop("its previous hash is not 64 hex digits"),
    ),
    phrasing(
        r"its instant is not in the ledger's form",
        gettext_noop("its instant is not in the ledger's form"),
    ),
    phrasing(
        r"its payload is not canonical JSON", gettext_noop("its payload is not canonical JSON")
    ),
    phrasing(
        r"its instant or payload cannot be read",
        gettext_noop("its instant or payload cannot be read"),
    ),
    phrasing(
        r"the head records (?P<want>\d+) entries but only (?P<count>\d+) are present",
        gettext_noop("the head records %(want)s entries but only %(count)s are present"),
    ),
    phrasing(
        r"the head records entry (?P<want>\d+) with hash (?P<hash>[0-9a-f]+)…, the chain ends "
        r"at (?P<count>\d+) with (?P<head>[0-9a-f]+)…",
        gettext_noop(
            "the head records entry %(want)s with hash %(hash)s…, the chain ends at %(count)s "
            "with %(head)s…"
        ),
    ),
    phrasing(
        r"entry (?P<seq>\d+) lies beyond the recorded head",
        gettext_noop("entry %(seq)s lies beyond the recorded head"),
    ),
)


def kind_label(name: str) -> str:
    """What an entry of kind ``name`` records, in the reader's language (the name if unknown)."""
    kind = kind_of(name)
    return gettext(SPECS[kind].label) if kind is not None else name


def _of_kind(rows: QuerySet[LedgerEntry], name: str) -> QuerySet[LedgerEntry]:
    """The entries of kind ``name``, whichever of its names they were written with (an unknown
    name has no entries)."""
    kind = kind_of(name)
    return rows.filter(kind__in=names_of(kind)) if kind is not None else rows.none()


def verdict_reason(verdict: chain.Verdict) -> str:
    """Why a verification failed, in the reader's language."""
    return translated(verdict.reason, _REASONS)


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


def ledger_verify_for(actor: Actor) -> chain.Verdict:
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


def ledger_entry_page(
    *, kind: str | None = None, number: int | str | None = 1
) -> Page[LedgerEntry]:
    """One page of entries, newest first (``number`` as given in the address; a number out of
    range gives the nearest page), optionally of one kind."""
    rows = LedgerEntry.objects.order_by("-seq").only("seq", "kind", "at", "hash")
    if kind:
        rows = _of_kind(rows, kind)
    return Paginator(rows, LEDGER_PAGE_SIZE).get_page(number)


def ledger_entry_get(seq: int) -> LedgerEntry | None:
    """The entry numbered ``seq``, or None."""
    return LedgerEntry.objects.filter(seq=seq).first()


def ledger_entry_list(*, kind: str | None = None, limit: int = 50) -> QuerySet[LedgerEntry]:
    """The newest entries first, optionally of one kind."""
    rows = LedgerEntry.objects.order_by("-seq")
    if kind:
        rows = _of_kind(rows, kind)
    return rows[:limit]
