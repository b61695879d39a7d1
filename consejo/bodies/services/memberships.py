"""Members and their memberships: registered one by one or as a roster, and ended (with the
seats and offices the body gave them: ``bodies.dependents``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_ref,
    current,
    is_operator,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.dependents import Left, dependents
from consejo.bodies.models import (
    Body,
    Member,
    Membership,
    MembershipRole,
    Sector,
)
from consejo.bodies.services._shared import _body
from consejo.bodies.services.seats import _follow, _reapportion_parents
from consejo.common.actors import Actor
from consejo.common.rows import row_created, row_of
from consejo.common.text import clean_text
from consejo.core import offices
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.ledger import format_instant
from consejo.core.roster import RosterRefused
from consejo.ledger.kinds import Kind
from consejo.ledger.services import commit, ledger_append, ledger_append_many, service_instant


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One line of a roster being imported (``line``: where it was in the file, if from one)."""

    name: str
    sector: str
    phone: str = ""
    line: int = 0


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
        moved = _reapportion_parents(body, at=at, actor=actor, joined=[member.pk])
        _follow(at=at, actor=actor, reapportioned=moved)
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
        membership = row_created(
            Membership,
            _("%(member)s is already a member of %(body)s") % {"member": member, "body": body},
            member=member,
            body=body,
            sector=sector,
            role=role,
            start=at,
        )
        ledger_append(Kind.MEMBERSHIP_STARTED, _membership_payload(membership, actor), at=at)
        moved = _reapportion_parents(body, at=at, actor=actor, joined=[member.pk])
        _follow(at=at, actor=actor, reapportioned=moved)
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
        # Read under the ledger lock that service_instant took: no concurrent end slips by.
        if dependents().leaves_headless(
            member_id=membership.member_id, body_id=membership.body_id, at=at
        ):
            offices.check_membership_may_end(
                leaving_holds_office=True, other_holders=0, substitutes=0
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
        moved = _reapportion_parents(
            membership.body, at=at, actor=actor, left=[membership.member_id]
        )
        # The seats and offices this body gave the member end with the membership, in this
        # transaction (bodies.dependents), and the delegations follow their new seats.
        _follow(
            at=at,
            actor=actor,
            reapportioned=moved,
            left=[Left(membership.pk, membership.member_id, membership.body_id)],
        )
    return membership


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
        moved = _reapportion_parents(body, at=at, actor=actor, joined=[m.pk for m in members])
        _follow(at=at, actor=actor, reapportioned=moved)
    return len(memberships)


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
    if role == MembershipRole.SECRETARY:
        # An office is a mandate the body gives (issue 11), not a role one is registered with.
        raise InvalidInput(
            _(
                "a secretary is elected by the body (an election for the office), or appointed "
                "provisionally by an operator: register the person as a member"
            )
        )
