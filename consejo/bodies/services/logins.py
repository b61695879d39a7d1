"""Logins: given to members with a one-time code (one by one or as printed cards), redeemed,
reset, disabled and enabled; and the operators of the installation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_ref,
    current,
    is_operator,
    may_grant_login,
    refuse,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.models import (
    Body,
    Member,
    Membership,
)
from consejo.bodies.services._shared import _body
from consejo.common.actors import Actor
from consejo.common.login_codes import LOGIN_CODE_VALIDITY, code_digest, code_draw, code_matches
from consejo.common.models import LoginCode
from consejo.common.rows import row_of
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.core.ledger import format_instant
from consejo.core.logins import CardAction, card_action, format_code, normalize_code
from consejo.ledger.kinds import Kind
from consejo.ledger.services import commit, ledger_append, ledger_append_many, service_instant


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A one-time login code just issued: shown once (on the page, the card, the API answer),
    never stored in the clear nor written to the ledger."""

    member: Member
    user: User
    code: str  # as the member types it, without the group separator
    expires: datetime
    record: LoginCode  # the LoginCode row (its digest only)

    @property
    def username(self) -> str:
        return str(self.user.username)

    @property
    def printed(self) -> str:
        return format_code(self.code)


@dataclass(frozen=True, slots=True)
class LoginCards:
    """The cards printed for a body's roster, and the members left without one (and why)."""

    body: Body
    cards: list[IssuedCode]
    skipped: int


def member_login_grant(
    *,
    actor: Actor,
    member_id: int,
    username: str,
    at: datetime | None = None,
) -> IssuedCode:
    """Give a member a login: a login name and a one-time code, handed over in person (no email).

    The member sets their own password with the code (``login_code_redeem``): the secretary never
    knows it. Who may: see ``authority.may_grant_login``. The ledger records the member's and the
    login's ids, never the login name nor the code.
    """
    username = _clean_username(username)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        member = row_of(Member, member_id, _("no such member"))
        require(
            may_grant_login(actor, member, at),
            actor=actor,
            action=gettext_noop("give a login"),
            target=member,
        )
        user = _create_login(member, username, at)
        issued = _issue_code(member, user, at)
        ledger_append(Kind.LOGIN_GRANTED, _login_payload(issued, actor, new=True), at=at)
    return issued


def member_login_reset(*, actor: Actor, member_id: int, at: datetime | None = None) -> IssuedCode:
    """Replace a member's password by a new one-time code (a forgotten password, a lost phone).

    The same authority as a grant; an operator's login is reset only by an operator. The old
    password stops working at once, and with it every session and API token of the login: whoever
    knew the password keeps nothing.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        member = row_of(Member, member_id, _("no such member"))
        user = _login_of(member)
        require(
            may_grant_login(actor, member, at) and (is_operator(actor) or not user.is_superuser),
            actor=actor,
            action=gettext_noop("reset a login"),
            target=member,
        )
        user.set_unusable_password()  # the session hash changes: every session ends
        user.save(update_fields=["password"])
        from consejo.common.models import ApiToken

        tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=at)
        issued = _issue_code(member, user, at)
        ledger_append(
            Kind.LOGIN_RESET, {**_login_payload(issued, actor), "tokens_revoked": tokens}, at=at
        )
    return issued


def login_cards_issue(*, actor: Actor, body_id: int, at: datetime | None = None) -> LoginCards:
    """Issue one-time login cards for a body's roster: who gets one, see
    ``consejo.core.logins.card_action``; members the actor may not give a login to get none.

    New logins get a login name made of the body's short name and the member's number
    (``senkata-17``): no name on the card the member does not already carry. Every card's code
    replaces any earlier open code of that login. The ledger gets one entry per card (ids only).
    """
    from django.contrib.auth import get_user_model

    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = _body(body_id)
        require_secretary_or_operator(actor, body, at, gettext_noop("print login cards"))
        members = list(
            Member.objects.filter(
                pk__in=Membership.objects.filter(current(at), body=body).values("member_id")
            )
            .select_related("user")
            .order_by("name", "pk")
        )
        cards: list[IssuedCode] = []
        granted: list[object] = []
        reissued: list[object] = []
        for member in members:
            user = member.user
            action = card_action(
                has_login=user is not None,
                active=bool(user and user.is_active),
                has_own_password=bool(user and user.has_usable_password()),
            )
            if action == CardAction.SKIP or not may_grant_login(actor, member, at):
                continue
            if user is not None and user.is_superuser and not is_operator(actor):
                continue
            if user is None or action == CardAction.NEW_LOGIN:
                user = _create_login(member, _free_username(body, member, get_user_model()), at)
            issued = _issue_code(member, user, at)
            cards.append(issued)
            payload = _login_payload(issued, actor, new=action == CardAction.NEW_LOGIN)
            (granted if action == CardAction.NEW_LOGIN else reissued).append(payload)
        ledger_append_many(Kind.LOGIN_GRANTED, granted, at=at)
        ledger_append_many(Kind.LOGIN_CODE_ISSUED, reissued, at=at)
    return LoginCards(body=body, cards=cards, skipped=len(members) - len(cards))


def login_code_redeem(
    *, username: str, code: str, password: str, at: datetime | None = None
) -> User:
    """Set one's own password with a one-time code; returns the login.

    The code is the authority: it must belong to this login, be unused, not replaced, not expired,
    and the login active. Every failure gives the same message, so that the answer tells a
    guesser nothing about which part was wrong. The password is checked by Django's validators.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    refused = InvalidInput(
        _(
            "That login name and code do not match, or the code was used, replaced or has "
            "expired. Ask your body's secretary for a new one."
        )
    )
    cleaned = normalize_code(code)
    user_model = get_user_model()
    with transaction.atomic(durable=True):
        at = service_instant(at)
        user = user_model.objects.filter(username=username.strip()).first()
        if cleaned is None or user is None or not user.is_active:
            raise refused
        open_code = (
            LoginCode.objects.select_for_update()
            .filter(user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=at)
            .first()
        )
        if open_code is None or not code_matches(user.pk, cleaned, open_code.code_hash):
            raise refused
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise InvalidInput(" ".join(error.messages)) from error
        LoginCode.objects.filter(pk=open_code.pk).update(used_at=at)
        user.set_password(password)
        user.save(update_fields=["password"])
        member = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        ledger_append(Kind.LOGIN_CODE_USED, {"member": member, "user": user.pk}, at=at)
    return user


def login_password_change(*, actor: Actor, password: str, at: datetime | None = None) -> User:
    """A logged-in person sets a new password for their own login (the old one was checked by
    the form). Other sessions of the login end; the one in use is kept by the view, with the
    login returned (its new password hash)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    if not actor.is_authenticated or not actor.is_active:
        refuse(actor=actor, action=gettext_noop("change a password"), target=actor)
    user = get_user_model().objects.get(pk=actor.pk)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    with transaction.atomic(durable=True):
        at = service_instant(at)
        user.set_password(password)
        user.save(update_fields=["password"])
        member = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        ledger_append(Kind.LOGIN_PASSWORD_CHANGED, {"member": member, "user": user.pk}, at=at)
    return user


def login_disable(*, actor: Actor, user_id: int, at: datetime | None = None) -> User:
    """Disable a login (operators): it can no longer log in, and its sessions and API tokens stop
    working at once (both are checked against ``is_active`` at every request)."""
    return _login_set_active(actor=actor, user_id=user_id, active=False, at=at)


def login_enable(*, actor: Actor, user_id: int, at: datetime | None = None) -> User:
    """Enable a disabled login again (operators); its password and API tokens work again."""
    return _login_set_active(actor=actor, user_id=user_id, active=True, at=at)


def operator_create(
    *, username: str, password: str, actor: Actor | None = None, at: datetime | None = None
) -> User:
    """Make an operator: a login with every power of the installation and no member behind it.

    From the server's command line (``consejo operator add``: whoever runs it holds the server)
    or by an operator. Unlike Django's ``createsuperuser``, the ledger records it (the login's
    id, its name as a keyed commitment), so that the audit finds an operator made any other way.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    username = _clean_username(username)
    user_model = get_user_model()
    try:
        validate_password(password, user_model(username=username))
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    with transaction.atomic(durable=True):
        at = service_instant(at)
        if actor is not None:
            require(
                is_operator(actor),
                actor=actor,
                action=gettext_noop("make an operator"),
                target="consejo",
            )
        try:
            with transaction.atomic():
                user = user_model.objects.create_superuser(
                    username=username, email="", password=password, date_joined=at
                )
        except IntegrityError as error:
            raise Conflict(_("the login name %(name)s is taken") % {"name": username}) from error
        ledger_append(
            Kind.OPERATOR_CREATED,
            {"user": user.pk, "login": commit(user, "username"), "by": actor_ref(actor)},
            at=at,
        )
    return user


def _clean_username(username: str) -> str:
    username = username.strip()
    if not re.fullmatch(r"[\w.@+-]{3,150}", username):
        raise InvalidInput(_("a login name has 3 to 150 letters, digits or . @ + - _"))
    return username


def _create_login(member: Member, username: str, at: datetime) -> User:
    """A new login for ``member`` with no usable password (the member sets it with a code)."""
    from django.contrib.auth import get_user_model

    if Member.objects.filter(pk=member.pk, user__isnull=False).exists():
        raise Conflict(_("%(member)s already has a login") % {"member": member})
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=username, password=None, date_joined=at
            )
    except IntegrityError as error:
        raise Conflict(_("the login name %(name)s is taken") % {"name": username}) from error
    if Member.objects.filter(pk=member.pk, user__isnull=True).update(user=user) != 1:
        raise Conflict(_("%(member)s already has a login") % {"member": member})
    member.user = user
    return user


def _free_username(body: Body, member: Member, user_model: type[User]) -> str:
    base = f"{body.slug}-{member.pk}"[:140]
    taken = set(
        user_model.objects.filter(username__startswith=base).values_list("username", flat=True)
    )
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _login_of(member: Member) -> User:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(member=member).first()
    if user is None:
        raise Conflict(_("%(member)s has no login yet: give one first") % {"member": member})
    return user


def _issue_code(member: Member, user: User, at: datetime) -> IssuedCode:
    """Replace any open code of ``user`` by a fresh one (one open code per login)."""

    LoginCode.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=at
    )
    code = code_draw()
    expires = at + LOGIN_CODE_VALIDITY
    record = LoginCode.objects.create(
        user=user, code_hash=code_digest(user.pk, code), issued_at=at, expires_at=expires
    )
    return IssuedCode(member=member, user=user, code=code, expires=expires, record=record)


def _login_payload(issued: IssuedCode, actor: Actor, *, new: bool = False) -> dict[str, object]:
    """The payload of an entry that issues a code; ``new``: it also makes the login (its name as
    a keyed commitment: a login name may be a person's name)."""
    payload: dict[str, object] = {
        "member": issued.member.pk,
        "user": issued.user.pk,
        "login_code": issued.record.pk,
        "code_hash": commit(issued.record, "code_hash"),
        "code_expires": format_instant(issued.expires),
        "by": actor_ref(actor),
    }
    if new:
        payload["login"] = commit(issued.user, "username")
    return payload


def _login_set_active(*, actor: Actor, user_id: int, active: bool, at: datetime | None) -> User:
    from django.contrib.auth import get_user_model

    with transaction.atomic(durable=True):
        at = service_instant(at)
        action = gettext_noop("enable a login") if active else gettext_noop("disable a login")
        user = get_user_model().objects.filter(pk=user_id).first()
        require(is_operator(actor), actor=actor, action=action, target=user or user_id)
        if user is None:
            raise NotFound(_("no such login"))
        if not active and user.pk == actor.pk:
            raise Conflict(_("you cannot disable your own login"))
        if user.is_active == active:
            raise Conflict(
                _("this login is already enabled")
                if active
                else _("this login is already disabled")
            )
        user.is_active = active
        user.save(update_fields=["is_active"])
        member = Member.objects.filter(user=user).values_list("pk", flat=True).first()
        ledger_append(
            Kind.LOGIN_ENABLED if active else Kind.LOGIN_DISABLED,
            {"member": member, "user": user.pk, "by": actor_ref(actor)},
            at=at,
        )
    return user
