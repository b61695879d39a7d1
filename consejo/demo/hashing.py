"""The demo's passwords, hashed quickly.

Each demo login is hashed with PBKDF2 at Django's full count (1,000,000 iterations, ~0.35 s): ten
of them were a third of the demo's load time. Their passwords are public (docs/demo.md), so the
demo hashes them with the same algorithm at 1,000 iterations; Django verifies such a hash, sees
that its count is not the current one, and hashes the password again at the full count on the
login's first successful use (``check_password``'s upgrade).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher
from django.test.utils import override_settings


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-SHA256 at 1,000 iterations: the demo's public passwords only."""

    iterations = 1_000


@contextmanager
def quick_demo_hashes() -> Iterator[None]:
    """While loading the demo, new passwords are hashed by :class:`DemoPasswordHasher` (when the
    installation's own hasher is Django's PBKDF2, which then verifies and upgrades them)."""
    if get_hasher().algorithm != DemoPasswordHasher.algorithm:
        yield
        return
    hashers = [f"{__name__}.DemoPasswordHasher", *settings.PASSWORD_HASHERS]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield
