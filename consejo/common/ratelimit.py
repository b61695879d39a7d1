"""Rate limits on the actions an attacker repeats: logging in (and, later, voting and signing).

A fixed window per key in Django's cache: simple, and enough to turn a password-guessing run of
thousands of tries into a handful per quarter hour. With several app servers, point ``CACHES`` at a
shared cache so that they count together.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

security_log = logging.getLogger("consejo.security")


#: Ballot submissions per person per window, on the ballot page and through the API alike: far
#: above what a voter correcting a mistake needs, far below a script probing the ballot.
VOTE_LIMIT = 20
VOTE_WINDOW = 10 * 60


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"consejo:ratelimit:{scope}:{digest}"


def is_limited(scope: str, ident: str, *, limit: int) -> bool:
    """Whether ``ident`` has used up its ``limit`` attempts in the current window."""
    return int(cache.get(_key(scope, ident), 0)) >= limit


def hit(scope: str, ident: str, *, window_seconds: int) -> int:
    """Count one attempt; returns the attempts so far in this window."""
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
