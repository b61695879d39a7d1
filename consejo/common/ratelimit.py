"""Rate limits on the actions an attacker repeats: logging in, redeeming a login code, voting,
proposing plans.

A fixed window per (scope, key), counted in one database row (``RateCounter``) that a single
statement bumps and reads back::

    INSERT … VALUES (…, 1) ON CONFLICT (scope, key, window_start)
        DO UPDATE SET n = n + 1 RETURNING n

Atomic on PostgreSQL and on SQLite (3.35 or later, for ``RETURNING``), and shared by every worker
and every app server, unlike a per-process cache or Django's database cache (whose ``incr`` reads,
then writes). An attempt is counted *before* the work it guards is done, so that thirty concurrent
attempts cannot all pass a check made before any of them is counted.

The counter is written in its own statement, outside any service's transaction: it is not a
ledger event, it never takes the ledger's head lock, and a refused or failed action still counts.
Rows of windows that have ended are deleted whenever a new window row is created.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop

from consejo.common.models import RateCounter
from consejo.common.sql import quoted_table
from consejo.core.errors import RateLimited

security_log = logging.getLogger("consejo.security")


#: Ballot submissions per person per window, on the ballot page and through the API alike: far
#: above what a voter correcting a mistake needs, far below a script probing the ballot.
VOTE_LIMIT = 20
VOTE_WINDOW = 10 * 60

#: Plan proposals per person per window: each runs the solver over the committee's figures and
#: puts a plan to the vote; a committee in a crisis proposes a handful an hour, a script hundreds.
PROPOSAL_LIMIT = 5
PROPOSAL_WINDOW = 10 * 60


@dataclass(frozen=True, slots=True)
class Limit:
    """One person's limit on one action: its bucket (``scope``), shared by every interface that
    offers the action, so that the API is no way around the page's limit; what a refusal says."""

    scope: str
    limit: int
    window_seconds: int
    action: str  # for the security log
    message: str  # marked with gettext_noop; translated where it is shown


BALLOTS = Limit(
    "vote",
    VOTE_LIMIT,
    VOTE_WINDOW,
    "ballot",
    gettext_noop("Too many attempts. Wait ten minutes and try again."),
)
PLAN_VOTES = Limit(
    "plan-vote",
    VOTE_LIMIT,
    VOTE_WINDOW,
    "plan vote",
    gettext_noop("Too many attempts. Wait ten minutes and try again."),
)
PROPOSALS = Limit(
    "plan-propose",
    PROPOSAL_LIMIT,
    PROPOSAL_WINDOW,
    "plan proposal",
    gettext_noop("Too many plans proposed. Wait ten minutes and try again."),
)


def enforce(limit: Limit, *, actor: object, via: str) -> None:
    """Count one attempt of ``limit``'s action by ``actor``; raise RateLimited (and log it) when
    it is one too many. ``via`` names the interface in the log ("web", "API")."""
    if not allow(
        limit.scope,
        str(getattr(actor, "pk", "")),
        limit=limit.limit,
        window_seconds=limit.window_seconds,
    ):
        security_log.warning("denied: %s rate limit for %s (%s)", limit.action, actor, via)
        raise RateLimited.of(limit.message)


def _digest(ident: str) -> str:
    return hashlib.sha256(ident.encode()).hexdigest()


def _now() -> int:
    return int(timezone.now().timestamp())


@dataclass(frozen=True, slots=True)
class Attempt:
    """One counted attempt: the count it brought its window to, and whether that is allowed."""

    scope: str
    key: str
    window_start: int
    n: int
    limit: int

    @property
    def allowed(self) -> bool:
        return self.n <= self.limit

    def refund(self) -> None:
        """Take this attempt back out of its window's count (it turned out not to be a failure).

        Only this one attempt: a success never resets what failed attempts have counted.
        """
        RateCounter.objects.filter(
            scope=self.scope, key=self.key, window_start=self.window_start, n__gt=0
        ).update(n=F("n") - 1)

    def reset(self) -> None:
        """Forget this window's count for this key altogether."""
        RateCounter.objects.filter(
            scope=self.scope, key=self.key, window_start=self.window_start
        ).delete()


def attempt(scope: str, ident: str, *, limit: int, window_seconds: int) -> Attempt:
    """Count one attempt of ``ident`` in ``scope``'s current window, atomically; say if allowed."""
    now = _now()
    start = now - now % window_seconds
    key = _digest(ident)
    table = quoted_table(RateCounter)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('scope')}, {quote('key')}, {quote('window_start')}, "  # noqa: S608 - names are ours, values are parameters
            f"{quote('expires')}, {quote('n')}) VALUES (%s, %s, %s, %s, 1) "
            f"ON CONFLICT ({quote('scope')}, {quote('key')}, {quote('window_start')}) "
            f"DO UPDATE SET {quote('n')} = {table}.{quote('n')} + 1 RETURNING {quote('n')}",
            [scope, key, start, start + window_seconds],
        )
        row = cursor.fetchone()
    n = int(row[0])
    if n == 1:
        # A new window row: the moment to drop the rows of windows that have ended, so the table
        # holds no more than the windows in force.
        clean(now=now)
    return Attempt(scope=scope, key=key, window_start=start, n=n, limit=limit)


def hit(scope: str, ident: str, *, window_seconds: int) -> int:
    """Count one attempt; returns the attempts so far in this window (this one included)."""
    return attempt(scope, ident, limit=0, window_seconds=window_seconds).n


def allow(scope: str, ident: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt and say whether it is within ``limit`` for the window."""
    return attempt(scope, ident, limit=limit, window_seconds=window_seconds).allowed


def is_limited(scope: str, ident: str, *, limit: int) -> bool:
    """Whether ``ident`` has used up its ``limit`` attempts in a window still in force (reads only;
    to guard an action, count it with :func:`attempt` or :func:`allow` instead)."""
    return RateCounter.objects.filter(
        scope=scope, key=_digest(ident), expires__gt=_now(), n__gte=limit
    ).exists()


def clean(*, now: int | None = None) -> int:
    """Delete the counters of windows that have ended; returns how many."""
    ended = RateCounter.objects.filter(expires__lte=_now() if now is None else now)
    deleted, _by_model = ended.delete()
    return deleted


def client_address(request: HttpRequest) -> str:
    """The address a request comes from, as rate limits count it.

    Behind a declared proxy (``CONSEJO_BEHIND_PROXY``), the last address of ``X-Forwarded-For``.
    IPv6 addresses count by their /64 network: one subscriber holds a whole /64 and could
    otherwise take a fresh address for every guess.
    """
    raw = str(request.META.get("REMOTE_ADDR", "") or "unknown")
    if getattr(settings, "BEHIND_PROXY", False):
        # Behind the proxy every request comes from the proxy's own address: counted by it, one
        # guesser's hundred failures would lock everyone out. The proxy appends the address it
        # saw to X-Forwarded-For (nginx's $proxy_add_x_forwarded_for, Caddy by default), so the
        # last entry is the one to believe; whatever a client wrote before it is not.
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        raw = forwarded or raw
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return raw[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)
