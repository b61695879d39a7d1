"""The state of a member's login and the login cards a body's roster still needs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_noop

from consejo.bodies.authority import (
    actor_ref,
    current,
    is_operator,
    may_grant_login,
    require_secretary_or_operator,
)
from consejo.bodies.models import (
    Body,
    Member,
    Membership,
)
from consejo.common.actors import Actor
from consejo.core.logins import CardAction, card_action


def viewer_member(user: Actor) -> tuple[int, str] | None:
    """The id and name of the member behind a login, if there is one (one query)."""
    row = Member.objects.filter(user_id=actor_ref(user) or 0).values_list("pk", "name").first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True, slots=True)
class LoginStatus:
    """A member's login as their page shows it, and what the viewer may do with it."""

    has_login: bool
    active: bool
    has_own_password: bool  # False: a one-time code is pending (or lapsed) and no password is set
    can_grant: bool
    can_reset: bool
    can_disable: bool
    can_enable: bool


def login_status(*, actor: Actor, member: Member, at: datetime) -> LoginStatus:
    """The login of ``member`` and the viewer's rights over it (``authority.may_grant_login``
    for a grant or a reset; only operators reset an operator's login, and disable or enable)."""
    user = member.user
    may_give = may_grant_login(actor, member, at)
    operator = is_operator(actor)
    if user is None:
        return LoginStatus(False, False, False, may_give, False, False, False)
    return LoginStatus(
        has_login=True,
        active=user.is_active,
        has_own_password=user.has_usable_password(),
        can_grant=False,
        can_reset=may_give and (operator or not user.is_superuser),
        can_disable=operator and user.is_active and user.pk != getattr(actor, "pk", None),
        can_enable=operator and not user.is_active,
    )


@dataclass(frozen=True, slots=True)
class LoginCardsDue:
    """What printing a body's login cards would do now (``core.logins.card_action``)."""

    new_logins: int
    new_codes: int
    members: int


def login_cards_due(*, actor: Actor, body: Body, at: datetime) -> LoginCardsDue:
    """Count the cards printing would make for ``body``'s roster; its secretary or an operator
    only (PermissionDenied otherwise, as the service itself refuses)."""
    require_secretary_or_operator(actor, body, at, gettext_noop("print login cards"))
    members = list(
        Member.objects.filter(
            pk__in=Membership.objects.filter(current(at), body=body).values("member_id")
        ).select_related("user")
    )
    actions = [
        card_action(
            has_login=m.user is not None,
            active=bool(m.user and m.user.is_active),
            has_own_password=bool(m.user and m.user.has_usable_password()),
        )
        for m in members
    ]
    return LoginCardsDue(
        new_logins=actions.count(CardAction.NEW_LOGIN),
        new_codes=actions.count(CardAction.NEW_CODE),
        members=len(members),
    )
