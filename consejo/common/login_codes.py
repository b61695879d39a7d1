"""One-time login codes: how they are drawn and digested. The services in
consejo/bodies/services.py issue and redeem them (docs/logins.md)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.utils.crypto import constant_time_compare, salted_hmac

from consejo.core.logins import new_code

#: How long a code stays good: long enough to hand out cards at one assembly and use them at
#: home over the following days; short enough that a lost card is soon worth nothing.
LOGIN_CODE_VALIDITY = timedelta(days=7)


def code_draw() -> str:
    return new_code(secrets.SystemRandom())


def code_digest(user_id: int, code: str) -> str:
    """The stored form of ``code`` for one login: keyed with the installation's SECRET_KEY, so a
    copy of the database alone cannot be searched for codes, and bound to the login."""
    return salted_hmac("consejo.login-code", f"{user_id}:{code}", algorithm="sha256").hexdigest()


def code_matches(user_id: int, code: str, digest: str) -> bool:
    return constant_time_compare(code_digest(user_id, code), digest)
