"""The one write path for bodies, members, memberships, federation links, apportioned seats and
logins.

Each service is one durable transaction: take the ledger lock and fix the instant, read the rows
it acts on by their keys, check authority at that instant, write, append the ledger entry last.
Services never call each other; they share the private helpers of ``_shared``."""

from __future__ import annotations

from consejo.bodies.services.bodies import (
    RESERVED_SLUGS,
    body_create,
    federation_link,
    federation_unlink,
)
from consejo.bodies.services.logins import (
    IssuedCode,
    LoginCards,
    login_cards_issue,
    login_code_redeem,
    login_disable,
    login_enable,
    login_password_change,
    member_login_grant,
    member_login_reset,
    operator_create,
)
from consejo.bodies.services.memberships import (
    RosterRow,
    member_add,
    membership_end,
    membership_import,
    membership_start,
)
from consejo.bodies.services.seats import MAX_MEMBERS_PER_SEAT, council_seats_configure
from consejo.bodies.services.tokens import api_token_issue, api_token_revoke

__all__ = [
    "MAX_MEMBERS_PER_SEAT",
    "RESERVED_SLUGS",
    "IssuedCode",
    "LoginCards",
    "RosterRow",
    "api_token_issue",
    "api_token_revoke",
    "body_create",
    "council_seats_configure",
    "federation_link",
    "federation_unlink",
    "login_cards_issue",
    "login_code_redeem",
    "login_disable",
    "login_enable",
    "login_password_change",
    "member_add",
    "member_login_grant",
    "member_login_reset",
    "membership_end",
    "membership_import",
    "membership_start",
    "operator_create",
]
