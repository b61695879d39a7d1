"""How every service serializes its write and records it: lock the head, fix the instant, append.

Every service's durable transaction starts with :func:`service_instant`, which locks the single
head row before anything is read (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite the IMMEDIATE
transaction already holds the write lock). Services therefore run one after the other, in the
order of their instants: an authority check can never read a state that a concurrent, earlier
commit has already changed (a secretary whose membership just ended cannot slip one more write
in), and check-then-write steps that no constraint covers (a cycle of federation links) cannot
interleave. The ledger is a total order of what happened; this makes the database agree with it.
The append moves the head it read by one conditional UPDATE and inserts in plain SQL: the lock is
held for three statements of the ledger's own, and no more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _

from consejo.common.sql import ROWS_PER_STATEMENT, quoted_table as _table
from consejo.core import ledger as chain
from consejo.core.commitments import commitment
from consejo.core.errors import InvalidInput
from consejo.ledger.kinds import Kind, payload_problem
from consejo.ledger.models import LedgerEntry, LedgerHead

#: How far ahead of the server's clock a given instant may be (clocks of two servers differ).
CLOCK_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class _Head:
    seq: int
    hash: str
    at: str


#: The head as this thread's service last locked or moved it. An append takes it as what it
#: expects the head to be and moves the head by one conditional UPDATE: inside the service's
#: transaction that holds the lock it always matches; a stale value (a transaction rolled back,
#: a test that rewrote the head) matches no row, and the head is then read again under lock.
_known = threading.local()


def _locked_head() -> _Head:
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger head is locked only inside a service's transaction")
    table, quoted = _table(LedgerHead), connection.ops.quote_name
    with connection.cursor() as cursor:
        for _attempt in range(2):
            cursor.execute(
                f"SELECT seq, hash, {quoted('at')} FROM {table} WHERE id = 1"  # noqa: S608
                + (" FOR UPDATE" if connection.features.has_select_for_update else "")
            )
            row = cursor.fetchone()
            if row is not None:
                head = _known.head = _Head(int(row[0]), row[1], row[2])
                return head
            # The first write of a new installation: ON CONFLICT, two first writers cannot
            # both create the row; the loser reads the winner's under lock.
            LedgerHead.objects.bulk_create(
                [LedgerHead(id=1, seq=0, hash=chain.GENESIS, at="")], ignore_conflicts=True
            )
    raise RuntimeError("the ledger head row could not be created")


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
    """Append many entries of one kind at once (a roster import): one head update, inserts of
    500 entries at a time."""
    return len(_append(kind, payloads, at=at)) if payloads else 0


def _append(kind: Kind, payloads: list[object], *, at: datetime) -> list[LedgerEntry]:
    if not connection.in_atomic_block:
        raise RuntimeError("the ledger is appended to only inside a service's transaction")
    kind = Kind(kind)  # a string that is no registered kind fails here, before anything is written
    for payload in payloads:
        # A programming mistake, not the user's: the payload must be what docs/ledger.md says.
        problem = payload_problem(kind, payload)
        if problem is not None:
            raise ValueError(problem)
    expected: _Head | None = getattr(_known, "head", None)
    for _attempt in range(2):
        head = expected if expected is not None else _locked_head()
        rows, moved = _chained(kind, payloads, at, head)
        if _move_head(head, moved):
            _insert(rows)
            _known.head = moved
            return rows
        expected = None  # stale: read the head again, under lock
    raise RuntimeError("the ledger head moved under its own lock")


def _chained(
    kind: Kind, payloads: list[object], at: datetime, head: _Head
) -> tuple[list[LedgerEntry], _Head]:
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
    return rows, _Head(seq, prev, rows[-1].at)


def _move_head(expected: _Head, moved: _Head) -> bool:
    """Move the head from ``expected`` to ``moved`` in one statement; False when it was not
    at ``expected`` (then nothing changed). The UPDATE takes the row's lock if the service
    does not hold it yet, and PostgreSQL checks the condition again once it has it."""
    at = connection.ops.quote_name("at")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(LedgerHead)} SET seq = %s, hash = %s, {at} = %s"  # noqa: S608
            " WHERE id = 1 AND seq = %s AND hash = %s",
            [moved.seq, moved.hash, moved.at, expected.seq, expected.hash],
        )
        return cursor.rowcount == 1


def _insert(rows: list[LedgerEntry]) -> None:
    # Plain SQL: compiling the ORM's INSERT costs more than running it, inside the lock.
    columns = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            batch = rows[start : start + ROWS_PER_STATEMENT]
            marks = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {_table(LedgerEntry)} ({columns}) VALUES {marks}",  # noqa: S608
                [getattr(row, c) for row in batch for c in _COLUMNS],
            )


_COLUMNS = ("seq", "kind", "at", "payload", "prev", "hash")


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
