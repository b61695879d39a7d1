"""API tokens: issued to a login (the plain token shown once), revoked by it or by an operator."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import actor_ref, is_operator, refuse
from consejo.bodies.tokens import TOKEN_PREFIX, key_digest
from consejo.common.actors import Actor
from consejo.common.models import ApiToken
from consejo.core.errors import InvalidInput, NotFound
from consejo.ledger.kinds import Kind
from consejo.ledger.services import commit, ledger_append, service_instant


def api_token_issue(*, user: Actor, name: str, at: datetime | None = None) -> str:
    """Issue a token for ``user``; the plain token is returned once and never stored."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("a token needs a name (what program will use it)"))
    user_id = actor_ref(user)
    if user_id is None:
        refuse(actor=user, action=gettext_noop("issue an API token"), target="consejo")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        token = ApiToken.objects.create(
            user_id=user_id,
            name=name[:100],
            key_hash=key_digest(key),
            prefix=key[:8],
            created_at=at,
        )
        ledger_append(
            Kind.API_TOKEN_ISSUED,
            {
                "token": token.pk,
                "user": user.pk,
                "name": token.name,
                # The digest and first letters of the key, as commitments: the audit checks
                # them (a swapped digest would let another key in), a reader learns nothing.
                "key_hash": commit(token, "key_hash"),
                "prefix": commit(token, "prefix"),
            },
            at=at,
        )
    return key


def api_token_revoke(*, user: Actor, token_id: int, at: datetime | None = None) -> None:
    """Revoke one of ``user``'s tokens (operators may revoke anyone's)."""
    with transaction.atomic(durable=True):
        at = service_instant(at)
        rows = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True)
        if not is_operator(user):
            rows = rows.filter(user_id=actor_ref(user) or 0)
        if rows.update(revoked_at=at) != 1:
            raise NotFound(_("no such active token"))
        ledger_append(Kind.API_TOKEN_REVOKED, {"token": token_id, "by": user.pk}, at=at)
