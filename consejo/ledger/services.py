"""How every service serializes its write and records it: lock the head, fix the instant, append.

Every service's durable transaction starts with :func:`service_instant`, which locks the single
head row before anything is read (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE
transaction already holds the write lock). Services therefore run one after the other, in the
order of their instants: an authority check can never read a state that a concurrent, earlier
commit has already changed (a secretary whose membership just ended cannot slip one more write
in), and check-then-write steps that no constraint covers (a cycle of federation links) cannot
interleave. The ledger is a total order of what happened; this makes the database agree with it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from consejo.core import ledger as chain
from consejo.core.commitments import commitment
from consejo.core.errors import InvalidInput
from consejo.ledger.kinds import Kind, payload_problem
from consejo.ledger.models import LedgerEntry, LedgerHead

#: How far ahead of the server's clock a given instant may be (clocks of two servers differ).
CLOCK_TOLERANCE = timedelta(minutes=1)


def _locked_head() -> LedgerHead:
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger head is locked only inside a service's transaction")
    # INSERT … ON CONFLICT DO NOTHING: two first writers cannot both create the row.
    LedgerHead.objects.bulk_create(
        [LedgerHead(id=1, seq=0, hash=chain.GENESIS, at="")], ignore_conflicts=True
    )
    return LedgerHead.objects.select_for_update().get(id=1)


def service_instant(at: datetime | None = None) -> datetime:
    """Lock the ledger head, then fix the instant of this action; call it first in a service.

    Without ``at`` the instant is now (never earlier than the newest entry, whatever the clock
    says). A given ``at`` (the demo, tests, a paper record entered later) may not precede the
    newest entry nor lie in the future: the ledger's order is the order of events, and nothing
    can be slipped in before what is already recorded.
    """
    head = _locked_head()
    newest = chain.parse_instant(head.at) if head.at else None
    now = timezone.now()
    if at is None:
        return max(now, newest) if newest else now
    if at.tzinfo is None:
        raise InvalidInput(_("an instant must carry its time zone"))
    if at > now + CLOCK_TOLERANCE:
        raise InvalidInput(_("an action cannot be dated in the future"))
    if newest is not None and at < newest:
        raise InvalidInput(
            _("an action cannot be dated before the newest ledger entry (%(at)s)") % {"at": head.at}
        )
    return at


def ledger_append(kind: Kind, payload: object, *, at: datetime) -> LedgerEntry:
    """Append one entry to the chain; call it last inside a service's atomic block."""
    return _append(kind, [payload], at=at)[0]


def ledger_append_many(kind: Kind, payloads: list[object], *, at: datetime) -> int:
    """Append many entries of one kind at once (a roster import): one lock, one bulk insert."""
    return len(_append(kind, payloads, at=at)) if payloads else 0


def _append(kind: Kind, payloads: list[object], *, at: datetime) -> list[LedgerEntry]:
    kind = Kind(kind)  # a string that is no registered kind fails here, before anything is written
    for payload in payloads:
        # A programming mistake, not the user's: the payload must be what docs/ledger.md says.
        problem = payload_problem(kind, payload)
        if problem is not None:
            raise ValueError(problem)
    head = _locked_head()  # already ours when service_instant ran first; a no-op relock
    rows = []
    seq, prev = head.seq, head.hash
    for payload in payloads:
        seq += 1
        entry = chain.make_entry(seq=seq, kind=kind.value, at=at, payload=payload, prev=prev)
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
    head.seq, head.hash, head.at = seq, prev, rows[-1].at
    head.save(update_fields=["seq", "hash", "at"])
    return rows


def commit(row: models.Model, field: str) -> str:
    """The keyed commitment a payload carries for a personal ``field`` of ``row`` (a member's
    name): the audit recomputes it from the table, a reader of the ledger cannot look it up
    (consejo.core.commitments). Call it once the row has its primary key."""
    value = getattr(row, field)
    return commitment(
        settings.CONSEJO_LEDGER_KEY,
        row._meta.label,
        field,
        str(row.pk),
        "" if value is None else str(value),
    )
