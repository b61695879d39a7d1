"""The one write path for bodies, members, memberships, federation links and apportioned seats.

Each service is one durable transaction: check authority at the instant, write, append the ledger
entry last. Services never call each other; they share the private helpers at the bottom.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consejo.bodies import counts
from consejo.bodies.authority import (
    actor_ref,
    current,
    is_operator,
    is_secretary,
    may_create_body,
    may_grant_login,
    refuse,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    ApportionmentMethod,
    Body,
    BodyKind,
    CouncilLevel,
    Federation,
    Member,
    Membership,
    MembershipRole,
    Sector,
)
from consejo.common.actors import Actor
from consejo.common.login_codes import LOGIN_CODE_VALIDITY, code_digest, code_draw, code_matches
from consejo.common.models import LoginCode
from consejo.common.rows import row_of
from consejo.common.text import clean_text
from consejo.core import apportion as core_apportion
from consejo.core import offices
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.core.federation import creates_cycle
from consejo.core.ledger import format_instant
from consejo.core.logins import CardAction, card_action, format_code, normalize_code
from consejo.core.roster import RosterRefused
from consejo.core.slugs import is_slug
from consejo.ledger.kinds import Kind
from consejo.ledger.services import commit, ledger_append, ledger_append_many, service_instant

MAX_MEMBERS_PER_SEAT = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL
# /bodies/new/ is the creation page; /supply/<committee>/ sits beside /supply/depots/ and the rest.
RESERVED_SLUGS = {"new", "depots", "recipients", "plans", "items"}


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One line of a roster being imported (``line``: where it was in the file, if from one)."""

    name: str
    sector: str
    phone: str = ""
    line: int = 0


def body_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    kind: str,
    level: str = "",
    place: str = "",
    description: str = "",
    parent_id: int | None = None,
    at: datetime | None = None,
) -> Body:
    """Create a body; with ``parent_id``, also link it to that council at once.

    Operators create any body; a council's secretary creates only committees of that council
    (``authority.may_create_body``): a new constituent, which takes seats, needs an operator.
    """
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    place = clean_text(place, label=_("place"), max_length=200)
    description = clean_text(description, label=_("description"), max_length=5000, lines=True)
    slug = slug.strip()
    _check_body_fields(slug=slug, kind=kind, level=level)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        parent = None if parent_id is None else _council(parent_id)
        require(
            may_create_body(actor, kind=kind, parent=parent, at=at),
            actor=actor,
            action=gettext_noop("create a body"),
            target=parent if parent is not None else "consejo",
        )
        try:
            with transaction.atomic():
                body = Body.objects.create(
                    name=name,
                    slug=slug,
                    kind=kind,
                    level=level,
                    place=place,
                    description=description,
                    created_at=at,
                )
        except IntegrityError as error:
            raise Conflict(_("the short name %(slug)s is taken") % {"slug": slug}) from error
        payload: dict[str, object] = {
            "body": body.pk,
            "slug": slug,
            "name": name,
            "kind": kind,
            "level": level,
            "place": place,
            "description": description,
            "by": actor_ref(actor),
        }
        if parent is not None:
            link = Federation.objects.create(body=body, parent=parent, start=at)
            payload["parent"] = {"link": link.pk, "council": parent.slug}
        ledger_append(Kind.BODY_CREATED, payload, at=at)
        if parent is not None:
            _reapportion(parent, at=at, actor=actor)
    return body


def member_add(
    *,
    actor: Actor,
    body_id: int,
    name: str,
    sector: str,
    phone: str = "",
    role: str = MembershipRole.MEMBER,
    same_name_ok: bool = False,
    at: datetime | None = None,
) -> Membership:
    """Register a new member and start their membership of a body (its secretary's work).

    A name already on the body's current roster is refused unless ``same_name_ok`` (two people
    called María Mamani are common; a double click that registers one twice is commoner).
    """
    name, phone = _clean_member(name=name, sector=sector, role=role, phone=phone)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = _body(body_id)
        require_secretary_or_operator(actor, body, at, gettext_noop("add a member"))
        if not same_name_ok:
            _refuse_names_on_roster(body, [name], at)
        _refuse_phones_on_roster(body, [phone], at)
        member = Member.objects.create(name=name, phone=phone, created_at=at)
        membership = Membership.objects.create(
            member=member, body=body, sector=sector, role=role, start=at
        )
        ledger_append(
            Kind.MEMBERSHIP_STARTED, _membership_payload(membership, actor, new=True), at=at
        )
        _reapportion_parents(body, at=at, actor=actor, joined=[member.pk])
    return membership


def membership_start(
    *,
    actor: Actor,
    member_id: int,
    body_id: int,
    sector: str,
    role: str = MembershipRole.MEMBER,
    at: datetime | None = None,
) -> Membership:
    """Start an existing member's membership of another body (a teacher who lives in a district).

    An operator's act: it joins two memberships into one person, which a body's secretary may
    not do on their own (a secretary who could would learn, and record, where a person belongs
    elsewhere); a secretary registers people with :func:`member_add`, and a link that the person
    confirms themselves comes later.
    """
    _check_sector_and_role(sector=sector, role=role)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = _body(body_id)
        require(
            is_operator(actor),
            actor=actor,
            action=gettext_noop("add an existing member to another body"),
            target=body,
        )
        member = row_of(Member, member_id, _("no such member"))
        _refuse_phones_on_roster(body, [member.phone], at)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    member=member, body=body, sector=sector, role=role, start=at
                )
        except IntegrityError as error:
            raise Conflict(
                _("%(member)s is already a member of %(body)s") % {"member": member, "body": body}
            ) from error
        ledger_append(Kind.MEMBERSHIP_STARTED, _membership_payload(membership, actor), at=at)
        _reapportion_parents(body, at=at, actor=actor, joined=[member.pk])
    return membership


def membership_end(
    *, actor: Actor, membership_id: int, reason: str = "", at: datetime | None = None
) -> Membership:
    """End a membership at ``at`` (a member leaves, moves or dies). Nothing is deleted."""
    reason = clean_text(reason, label=_("reason"), max_length=500)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        membership = (
            Membership.objects.select_for_update()
            .select_related("body", "member")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None:
            raise InvalidInput(_("no such membership"))
        require_secretary_or_operator(actor, membership.body, at, gettext_noop("end a membership"))
        if membership.end is not None:
            raise Conflict(_("this membership has already ended"))
        if at <= membership.start:
            raise InvalidInput(_("a membership must end after it starts"))
        # Counted under the ledger lock that service_instant took: no concurrent end slips by.
        offices.check_membership_may_end(
            ending_role=membership.role,
            open_secretaries=Membership.objects.filter(
                current(at), body=membership.body, role=MembershipRole.SECRETARY
            ).count(),
        )
        # Conditional update: a concurrent end cannot be applied twice, even on SQLite.
        changed = Membership.objects.filter(pk=membership.pk, end__isnull=True).update(end=at)
        if changed != 1:
            raise Conflict(_("this membership has already ended"))
        membership.end = at
        ledger_append(
            Kind.MEMBERSHIP_ENDED,
            {
                "membership": membership.pk,
                "member": membership.member_id,
                "body": membership.body.slug,
                "end": format_instant(at),
                "reason": reason,
                "by": actor_ref(actor),
            },
            at=at,
        )
        _reapportion_parents(membership.body, at=at, actor=actor, left=[membership.member_id])
    return membership


def secretary_appoint_provisional(
    *, actor: Actor, membership_id: int, reason: str, at: datetime | None = None
) -> Membership:
    """Make a current member of a body its provisional secretary (an operator's act).

    The guard until offices are held by mandate: a body left without a secretary (or whose
    secretary is gone) is not locked out for good. The member's membership ends and a
    ``secretary`` membership marked ``provisional`` starts at the same instant, in the same
    sector; the body keeps it until it elects a secretary. The reason is required and recorded.
    """
    reason = clean_text(reason, label=_("reason"), max_length=500, required=True)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        require(
            is_operator(actor),
            actor=actor,
            action=gettext_noop("appoint a provisional secretary"),
            target="consejo",
        )
        old = (
            Membership.objects.select_related("body", "member")
            .filter(current(at), pk=membership_id)
            .first()
        )
        if old is None:
            raise InvalidInput(_("no current membership %(id)s") % {"id": membership_id})
        if old.role == MembershipRole.SECRETARY:
            raise Conflict(
                _("%(member)s is already a secretary of %(body)s")
                % {"member": old.member, "body": old.body}
            )
        if at <= old.start:
            raise InvalidInput(_("a membership must end after it starts"))
        changed = Membership.objects.filter(pk=old.pk, end__isnull=True).update(end=at)
        if changed != 1:
            raise Conflict(_("this membership has already ended"))
        new = Membership.objects.create(
            member=old.member,
            body=old.body,
            sector=old.sector,
            role=MembershipRole.SECRETARY,
            provisional=True,
            start=at,
        )
        ledger_append(
            Kind.SECRETARY_APPOINTED,
            {
                "body": old.body.slug,
                "member": old.member_id,
                "ended": old.pk,
                "membership": new.pk,
                "sector": new.sector,
                "role": new.role,
                "provisional": True,
                "start": format_instant(at),
                "reason": reason,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return new


def membership_import(
    *,
    actor: Actor,
    body_id: int,
    rows: Sequence[RosterRow],
    same_name_ok: bool = False,
    at: datetime | None = None,
) -> int:
    """Register a roster of new members of a body in one transaction (a secretary's list).

    Every row is checked before anything is written; a bad row rejects the whole roster, and
    every bad row is named with its line at once (RosterRefused), so that a roster is never half
    imported and its secretary corrects it in one pass.
    """
    if not rows:
        raise InvalidInput(_("the roster is empty"))
    phones: set[str] = set()
    people: list[tuple[str, str, str]] = []
    problems: list[InvalidInput] = []
    for index, row in enumerate(rows, start=1):
        line = row.line or index
        try:
            name, phone = _clean_member(
                name=row.name, sector=row.sector, role="member", phone=row.phone
            )
        except InvalidInput as error:
            problems.append(
                InvalidInput(_("line %(line)d: %(error)s") % {"line": line, "error": error})
            )
            continue
        people.append((name, row.sector, phone))
        if phone and phone in phones:
            problems.append(
                InvalidInput(
                    _("line %(line)d: phone %(phone)s appears twice")
                    % {"line": line, "phone": phone}
                )
            )
        if phone:
            phones.add(phone)
    if problems:
        raise RosterRefused(problems)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = _body(body_id)
        require_secretary_or_operator(actor, body, at, gettext_noop("import a roster"))
        if not same_name_ok:
            # Importing the same file twice must not register everyone twice.
            _refuse_names_on_roster(body, [name for name, _s, _p in people], at)
        _refuse_phones_on_roster(body, [phone for _n, _s, phone in people], at)
        members = Member.objects.bulk_create(
            [Member(name=name, phone=phone, created_at=at) for name, _s, phone in people],
            batch_size=500,
        )
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    member=m, body=body, sector=r.sector, role=MembershipRole.MEMBER, start=at
                )
                for m, r in zip(members, rows, strict=True)
            ],
            batch_size=500,
        )
        ledger_append_many(
            Kind.MEMBERSHIP_STARTED,
            [_membership_payload(ms, actor, new=True) for ms in memberships],
            at=at,
        )
        _reapportion_parents(body, at=at, actor=actor, joined=[m.pk for m in members])
    return len(memberships)


def federation_link(
    *, actor: Actor, body_id: int, parent_id: int, at: datetime | None = None
) -> Federation:
    """Link a body to a council (``parent_id``): from now on it sends delegates there.

    Both sides consent: an operator, or someone who is the secretary of the council *and* of the
    body (a two-step request and acceptance comes with meetings). A link that would close a cycle
    is refused.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body, parent = _body(body_id), _council(parent_id)
        # Both sides consent: a council cannot annex a body (and its seats), nor a body
        # push its way into a council.
        require(
            is_operator(actor)
            or (is_secretary(actor, parent, at) and is_secretary(actor, body, at)),
            actor=actor,
            action=gettext_noop(
                "link a body unless you are the secretary of both the council and the body"
            ),
            target=parent,
        )
        graph: dict[int, list[int]] = {}
        for child_id, parent_id in Federation.objects.filter(current(at)).values_list(
            "body_id", "parent_id"
        ):
            graph.setdefault(child_id, []).append(parent_id)
        if creates_cycle(graph, body=body.pk, parent=parent.pk):
            raise Conflict(
                _("%(body)s cannot join %(parent)s: the council would send delegates to itself")
                % {"body": body, "parent": parent}
            )
        try:
            with transaction.atomic():
                link = Federation.objects.create(body=body, parent=parent, start=at)
        except IntegrityError as error:
            raise Conflict(
                _("%(body)s already sends delegates to %(parent)s")
                % {"body": body, "parent": parent}
            ) from error
        ledger_append(
            Kind.FEDERATION_LINKED,
            {"link": link.pk, "body": body.slug, "council": parent.slug, "by": actor_ref(actor)},
            at=at,
        )
        _links_changed(link, at=at, actor=actor, added=True)
    return link


def federation_unlink(*, actor: Actor, link_id: int, at: datetime | None = None) -> Federation:
    """End a federation link; the council's seats are apportioned again without that body."""
    with transaction.atomic(durable=True):
        at = service_instant(at)
        link = Federation.objects.select_related("body", "parent").filter(pk=link_id).first()
        if link is None:
            raise InvalidInput(_("no such federation link"))
        # Either side may end the link: a council expels, or a body leaves.
        require(
            is_operator(actor)
            or is_secretary(actor, link.parent, at)
            or is_secretary(actor, link.body, at),
            actor=actor,
            action=gettext_noop("unlink a body"),
            target=link.parent,
        )
        if at <= link.start:
            raise InvalidInput(_("a link must end after it starts"))
        if Federation.objects.filter(pk=link.pk, end__isnull=True).update(end=at) != 1:
            raise Conflict(_("this link has already ended"))
        link.end = at
        ledger_append(
            Kind.FEDERATION_UNLINKED,
            {
                "link": link.pk,
                "body": link.body.slug,
                "council": link.parent.slug,
                "by": actor_ref(actor),
            },
            at=at,
        )
        _links_changed(link, at=at, actor=actor, added=False)
    return link


def council_seats_configure(
    *,
    actor: Actor,
    council_id: int,
    method: str,
    seats: int | None = None,
    min_seats: int = 0,
    members_per_seat: int | None = None,
    at: datetime | None = None,
) -> Apportionment | None:
    """Set how a council's seats are apportioned, and apportion them now.

    ``method`` is one of the divisor or quota methods with a fixed number of ``seats``, or ``ratio``
    ("one seat per ``members_per_seat`` members, at least ``min_seats``").
    """
    if method not in ApportionmentMethod.values:
        raise InvalidInput(_("unknown apportionment method %(method)s") % {"method": method})
    if method == ApportionmentMethod.RATIO:
        if not members_per_seat or members_per_seat < 1:
            raise InvalidInput(_("the ratio needs a number of members per seat of at least 1"))
        seats = None
    else:
        if seats is None or seats < 1:
            raise InvalidInput(_("a council needs at least one seat"))
        members_per_seat = None
    if min_seats < 0:
        raise InvalidInput(_("the minimum number of seats cannot be negative"))
    if (seats or 0) > core_apportion.MAX_SEATS or min_seats > core_apportion.MAX_SEATS:
        raise InvalidInput(_("a council has at most %(n)d seats") % {"n": core_apportion.MAX_SEATS})
    if (members_per_seat or 0) > MAX_MEMBERS_PER_SEAT:
        raise InvalidInput(_("at most %(n)d members per seat") % {"n": MAX_MEMBERS_PER_SEAT})
    with transaction.atomic(durable=True):
        at = service_instant(at)
        council = _council(council_id)
        require_secretary_or_operator(actor, council, at, gettext_noop("set the seats"))
        Body.objects.filter(pk=council.pk).update(
            apportionment_method=method,
            seats=seats,
            min_seats=min_seats,
            members_per_seat=members_per_seat,
        )
        council.apportionment_method, council.seats = method, seats
        council.min_seats, council.members_per_seat = min_seats, members_per_seat
        ledger_append(
            Kind.COUNCIL_SEATS_CONFIGURED,
            {
                "council": council.slug,
                "method": method,
                "seats": seats,
                "min_seats": min_seats,
                "members_per_seat": members_per_seat,
                "by": actor_ref(actor),
            },
            at=at,
        )
        return _reapportion(council, at=at, actor=actor, force=True)


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


# --- private helpers shared by the services above (they run inside the caller's transaction) ---


def _body(body_id: int) -> Body:
    """The body a service acts on, read after the ledger lock."""
    return row_of(Body, body_id, _("no such body"))


def _council(body_id: int) -> Body:
    """The body a service acts on, which must be a council (or a committee)."""
    council = _body(body_id)
    if not council.is_council:
        raise InvalidInput(_("%(body)s is not a council") % {"body": council})
    return council


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


def _membership_payload(
    membership: Membership, actor: Actor, *, new: bool = False
) -> dict[str, object]:
    """The payload of ``membership.started``; ``new``: the entry also registers the person (name
    and phone as keyed commitments, so that the audit checks them and no reader learns them)."""
    payload: dict[str, object] = {
        "membership": membership.pk,
        "member": membership.member_id,
        "body": membership.body.slug,
        "sector": membership.sector,
        "role": membership.role,
        "start": format_instant(membership.start),
        "by": actor_ref(actor),
    }
    if new:
        member = membership.member
        payload["person"] = {"name": commit(member, "name"), "phone": commit(member, "phone")}
    return payload


def _already_on_roster(body: Body, field: str, values: list[str], at: datetime) -> str:
    """The values of ``member__<field>`` among ``values`` that a current member of ``body`` has,
    as a message shows them (at most five, then "…"); empty when there are none."""
    found = sorted(
        set(
            Membership.objects.filter(current(at), body=body, **{f"member__{field}__in": values})
            .values_list(f"member__{field}", flat=True)
            .distinct()[:6]
        )
    )
    return ", ".join(found[:5]) + ("…" if len(found) > 5 else "")


def _refuse_names_on_roster(body: Body, names: list[str], at: datetime) -> None:
    if shown := _already_on_roster(body, "name", names, at):
        raise Conflict(
            _(
                "already on the roster of %(body)s: %(names)s. If they are different people "
                "with the same name, confirm it and register again"
            )
            % {"body": body, "names": shown}
        )


def _refuse_phones_on_roster(body: Body, phones: list[str], at: datetime) -> None:
    """Refuse phones that a current member of ``body`` already has: phones are unique per body.

    Only ``body``'s own roster is consulted, which its secretary sees anyway: a phone held in
    another body is not this secretary's business, and registering it answers exactly as a new
    phone does (no oracle of who belongs where). Two memberships become one person only when that
    person confirms it. A check, not a constraint, because the phone is the person's and the
    uniqueness the body's; it cannot race, since ``service_instant`` serializes every service.
    """
    wanted = [phone for phone in phones if phone]
    if wanted and (shown := _already_on_roster(body, "phone", wanted, at)):
        raise Conflict(
            _("a current member of %(body)s already has the phone number %(phones)s")
            % {"body": body, "phones": shown}
        )


def _clean_phone(phone: str) -> str:
    """A phone number as stored: its digits only, so that "+591 700-00000" and "59170000000"
    are one number (the database keeps them unique)."""
    phone = phone.strip()
    if not phone:
        return ""
    if not re.fullmatch(r"\+?[0-9 ().-]{6,30}", phone):
        raise InvalidInput(_("the phone number may hold only digits, spaces and a leading +"))
    digits = re.sub(r"[^0-9]", "", phone)
    if not 6 <= len(digits) <= 15:  # ITU-T E.164: at most 15 digits
        raise InvalidInput(_("a phone number has 6 to 15 digits"))
    return digits


def _check_body_fields(*, slug: str, kind: str, level: str) -> None:
    if slug in RESERVED_SLUGS:
        raise InvalidInput(_("the short name %(slug)s is reserved") % {"slug": slug})
    if not is_slug(slug):
        raise InvalidInput(
            _("the short name must be lowercase letters, digits and dashes, e.g. senkata-plant")
        )
    if kind not in BodyKind.values:
        raise InvalidInput(_("unknown kind of body: %(kind)s") % {"kind": kind})
    if level and level not in CouncilLevel.values:
        raise InvalidInput(_("unknown council level: %(level)s") % {"level": level})
    if level and kind not in COUNCIL_KINDS:
        raise InvalidInput(_("only councils and committees have a level"))


def _clean_member(*, name: str, sector: str, role: str, phone: str) -> tuple[str, str]:
    """The member's name and phone as stored, or InvalidInput naming what is wrong."""
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    _check_sector_and_role(sector=sector, role=role)
    return name, _clean_phone(phone)


def _check_sector_and_role(*, sector: str, role: str) -> None:
    if sector not in Sector.values:
        raise InvalidInput(_("unknown sector: %(sector)s") % {"sector": sector})
    if role not in MembershipRole.values:
        raise InvalidInput(_("unknown role: %(role)s") % {"role": role})


def _reapportion_parents(
    body: Body,
    *,
    at: datetime,
    actor: Actor,
    joined: Sequence[int] = (),
    left: Sequence[int] = (),
) -> None:
    """Count the people who ``joined`` or ``left`` ``body`` in it and in every council above it
    (``bodies.counts``), then apportion again each of those councils that has a rule: each one
    counts the people of the base bodies beneath it. Five statements, whatever the federation's
    size: the councils above, two keeping the counts, two reading the councils' bases (and a
    record and its ledger entry for a council whose seats move)."""
    above = counts.councils_above(body.pk)
    counts.memberships_started(body, [council.pk for council in above], joined)
    counts.memberships_ended(body, [council.pk for council in above], left)
    _reapportion_all([c for c in above if c.apportionment_method], at=at, actor=actor)


def _links_changed(link: Federation, *, at: datetime, actor: Actor, added: bool) -> None:
    """After ``link`` was added (or ended): adjust the counts of its council and of every council
    above it by the people of the base bodies gained (or lost) beneath them, in bulk (links
    change rarely), then apportion again the council and those above it."""
    counts.links_changed(parent_id=link.parent_id, body_id=link.body_id, added=added)
    councils = [Body.objects.get(pk=link.parent_id), *counts.councils_above(link.parent_id)]
    _reapportion_all([c for c in councils if c.apportionment_method], at=at, actor=actor)


def _reapportion_all(councils: list[Body], *, at: datetime, actor: Actor) -> None:
    """Apportion again each of ``councils`` (read inside this transaction, after the lock); their
    bases are read at once (``counts.apportionment_bases``: two queries)."""
    bases = counts.apportionment_bases([council.pk for council in councils])
    for council in councils:
        _reapportion(council, at=at, actor=actor, basis=bases[council.pk])


def _reapportion(
    council: Body,
    *,
    at: datetime,
    actor: Actor,
    force: bool = False,
    basis: counts.Basis | None = None,
) -> Apportionment | None:
    """Apportion ``council``'s seats from its constituents' current membership.

    A new record (and ledger entry) is written only when some body's seats change, or when
    ``force`` (the rule itself changed); a member joining rarely moves a seat. ``basis``: what
    the caller read for ``council`` inside this transaction, after the ledger lock (and then
    ``council`` too was read so); without it, both are read here.
    """
    if basis is None:
        # The caller's object may have been read before this transaction took the ledger lock.
        council = Body.objects.get(pk=council.pk)
        basis = counts.apportionment_bases([council.pk])[council.pk]
    if not council.apportionment_method:
        return None
    constituents, counted, latest_seats = basis.constituents, basis.represented, basis.latest_seats
    if council.apportionment_method != ApportionmentMethod.RATIO and council.min_seats * len(
        constituents
    ) > (council.seats or 0):
        # Checked whether or not anyone is a member yet: a rule that cannot work must be
        # refused when it is set (or when a body joins), not when someone below joins later.
        raise InvalidInput(
            _(
                "%(council)s has %(seats)d seats and at least %(min)d for each of its "
                "%(n)d bodies: raise its seats or lower the minimum first"
            )
            % {
                "council": council,
                "seats": council.seats or 0,
                "min": council.min_seats,
                "n": len(constituents),
            }
        )
    if not constituents or not any(counted.values()):
        # Nobody to apportion among: record that once (so that no stale seats are shown), and
        # keep the rule for when members arrive.
        if latest_seats:
            # The row first, so that the entry names it; then the row names its entry.
            record = Apportionment.objects.create(
                council=council,
                method=council.apportionment_method,
                seats=0,
                min_seats=council.min_seats,
                members_per_seat=council.members_per_seat,
                computed_at=at,
                ledger_seq=0,
            )
            entry = ledger_append(
                Kind.APPORTIONMENT_COMPUTED,
                {
                    "apportionment": record.pk,
                    "council": council.slug,
                    "method": council.apportionment_method,
                    "seats": 0,
                    "min_seats": council.min_seats,
                    "members_per_seat": council.members_per_seat,
                    "shares": [],
                    "quotas": [],
                    "ties": [],
                    "by": actor_ref(actor),
                },
                at=at,
            )
            Apportionment.objects.filter(pk=record.pk).update(ledger_seq=entry.seq)
            record.ledger_seq = entry.seq
            return record
        return None
    shares = [core_apportion.Constituency(name=b.slug, members=counted[b.pk]) for b in constituents]
    try:
        ratio = council.apportionment_method == ApportionmentMethod.RATIO
        result = core_apportion.apportion_council(
            shares,
            method=None if ratio else core_apportion.Method(council.apportionment_method),
            seats=council.seats or 0,
            members_per_seat=council.members_per_seat,
            min_seats=council.min_seats,
        )
    except InvalidInput as error:
        raise InvalidInput(
            _("the seats of %(council)s cannot be apportioned: %(error)s")
            % {"council": council, "error": error}
        ) from error
    if not force and latest_seats == {b.pk: result.seats_of(b.slug) for b in constituents}:
        return None
    by_slug = {b.slug: b.pk for b in constituents}
    # The row first, so that the entry names it; then the row names its entry.
    record = Apportionment.objects.create(
        council=council,
        method=council.apportionment_method,
        seats=result.seats,
        min_seats=result.min_seats,
        members_per_seat=result.members_per_seat,
        computed_at=at,
        ties=list(result.ties),
        ledger_seq=0,
    )
    entry = ledger_append(
        Kind.APPORTIONMENT_COMPUTED,
        {
            "apportionment": record.pk,
            "council": council.slug,
            "method": council.apportionment_method,
            "seats": result.seats,
            "min_seats": result.min_seats,
            "members_per_seat": result.members_per_seat,
            "shares": [[s.name, s.members, s.seats] for s in result.shares],
            "quotas": [core_apportion.quota_text(s.quota) for s in result.shares],
            "ties": list(result.ties),
            "by": actor_ref(actor),
        },
        at=at,
    )
    Apportionment.objects.filter(pk=record.pk).update(ledger_seq=entry.seq)
    record.ledger_seq = entry.seq
    ApportionedSeats.objects.bulk_create(
        [
            ApportionedSeats(
                apportionment=record,
                body_id=by_slug[s.name],
                members=s.members,
                quota=core_apportion.quota_text(s.quota),
                seats=s.seats,
            )
            for s in result.shares
        ]
    )
    return record
