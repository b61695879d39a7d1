"""API tokens: their form, their digest, and the check behind ``Authorization: Bearer``; they are
issued and revoked by ``consejo.bodies.services.tokens``."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import User

from consejo.common.models import ApiToken

TOKEN_PREFIX = "cj_"  # noqa: S105 - a public marker, not a secret


def key_digest(key: str) -> str:
    """What the table keeps of a token: its SHA-256 (a token is 256 random bits: no salt needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_user(key: str) -> User | None:
    """The active user behind a token, or None. Checked at every request, never cached."""
    if not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return None if token is None else token.user
