"""Who may act on a body, decided at the instant of the action from the mandates in force.

Rule: the installation's operators (superusers) may act everywhere; otherwise a person acts for
a body only while holding one of its acting offices (its secretary, a committee's coordinator:
``core.offices.ACTING_OFFICES``) by a mandate in force at that instant: elected by the body, or
appointed provisionally by an operator until it elects. Never from a cached role, never from a
membership's role: every check is a query at ``at``, inside the service's transaction, so that
authority ends the instant the office does (DESIGN.md, "Time-bounded authority"). The offices
are the mandates app's, read through ``bodies.dependents``. Every refusal is logged on
``consejo.security``.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from consejo.bodies.dependents import dependents
from consejo.bodies.models import Body, Federation, Member, Membership
from consejo.common.actors import Actor
from consejo.core.errors import PermissionDenied
from consejo.core.federation import may_create_under
from consejo.core.visibility import Names, Reader, may_see_names

security_log = logging.getLogger("consejo.security")


def current(at: datetime) -> Q:
    """Rows in force at ``at``: started, not yet ended."""
    return Q(start__lte=at) & (Q(end__isnull=True) | Q(end__gt=at))


def actor_ref(actor: Actor | None) -> int | None:
    """How the ledger names who acted: the login's id, or None for the system (the demo, a
    command). An id, never the login name: the ledger carries no names (docs/privacy.md)."""
    pk = getattr(actor, "pk", None)
    return int(pk) if getattr(actor, "is_authenticated", False) and pk is not None else None


def actor_member(actor: Actor) -> Member | None:
    """The member behind an active login, or None (an operator may have none)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return None
    return Member.objects.filter(user_id=actor.pk).first()


def is_member(member: Member, body: Body, at: datetime) -> bool:
    """Whether ``member`` holds a current membership of ``body`` at ``at``."""
    return Membership.objects.filter(current(at), member=member, body=body).exists()


def is_operator(actor: Actor) -> bool:
    return bool(getattr(actor, "is_active", False) and getattr(actor, "is_superuser", False))


def is_secretary(actor: Actor, body: Body, at: datetime) -> bool:
    """Whether ``actor`` acts for ``body`` at ``at``: holds one of its acting offices (its
    secretary, a committee's coordinator) by a mandate in force then."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return acting_offices(at).filter(council=body, member__user_id=actor.pk).exists()


def acting_offices(at: datetime) -> QuerySet[Any]:
    """The acting offices held at ``at`` (``bodies.dependents.Dependents.acting_offices``):
    rows with ``member`` and ``council``, the body whose office it is."""
    return dependents().acting_offices(at)


def office_bodies(actor: Actor, at: datetime) -> set[int]:
    """The bodies ``actor`` acts for at ``at`` (:func:`is_secretary`), by id."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return set()
    return set(
        acting_offices(at).filter(member__user_id=actor.pk).values_list("council_id", flat=True)
    )


def require(allowed: bool, *, actor: Actor, action: str, target: object) -> None:
    """Raise PermissionDenied (and log it) unless ``allowed``."""
    if not allowed:
        refuse(actor=actor, action=action, target=target)


def refuse(*, actor: Actor, action: str, target: object) -> NoReturn:
    """Raise PermissionDenied for ``action`` on ``target``, and log who tried."""
    who = getattr(actor, "username", None) or "anonymous"
    security_log.warning("denied: %s tried %s on %s", who, action, target)
    raise PermissionDenied(
        _("You may not %(action)s (%(target)s).") % {"action": _(action), "target": target}
    )


def require_secretary_or_operator(actor: Actor, body: Body, at: datetime, action: str) -> None:
    require(
        is_operator(actor) or is_secretary(actor, body, at),
        actor=actor,
        action=action,
        target=body,
    )


def may_create_body(actor: Actor, *, kind: str, parent: Body | None, at: datetime) -> bool:
    """Whether ``actor`` may create a body of ``kind`` (under ``parent``, if given) at ``at``:
    top-level bodies need an operator; under a council, ``core.federation.may_create_under``."""
    if parent is None:
        return is_operator(actor)
    return may_create_under(
        kind=kind,
        operator=is_operator(actor),
        secretary_of_council=is_secretary(actor, parent, at),
    )


def may_grant_login(actor: Actor, member: Member, at: datetime) -> bool:
    """Whether ``actor`` may give ``member`` a login at ``at``.

    Rule: an operator may; otherwise the secretary of a body the member belongs to may, unless the
    member holds an acting office somewhere the actor does not: a login to an officer is the key
    to that body, so only that body's own secretary (or an operator) hands it over.
    """
    if is_operator(actor):
        return True
    actor_secretary_of = office_bodies(actor, at)
    if not actor_secretary_of:
        return False
    belongs = set(
        Membership.objects.filter(current(at), member=member).values_list("body_id", flat=True)
    )
    offices = set(acting_offices(at).filter(member=member).values_list("council_id", flat=True))
    shares_a_body = bool((belongs | offices) & actor_secretary_of)
    keys_elsewhere = bool(offices - actor_secretary_of)
    return shares_a_body and not keys_elsewhere


def may_see_rosters(actor: Actor, at: datetime) -> bool:
    """Whether ``actor`` may see who the members are: an operator, or someone who holds a current
    membership. A roster in the wrong hands is a list of people to arrest; a login whose every
    membership has ended (someone who left, or was expelled) no longer opens it."""
    if is_operator(actor):
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return Membership.objects.filter(current(at), member__user_id=actor.pk).exists()


def may_see_roster(actor: Actor, body: Body, at: datetime) -> bool:
    """Whether ``actor`` may see who the members of ``body`` are at ``at``.

    Rule: an operator; otherwise someone who holds a current membership of ``body`` itself or of
    a body directly linked to it (the council it sends delegates to, or the bodies that send
    delegates to it): the people who meet these members in assemblies. Not every member of the
    federation: a login made anywhere must not open every roster.
    """
    if is_operator(actor):
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    mine = set(
        Membership.objects.filter(current(at), member__user_id=actor.pk).values_list(
            "body_id", flat=True
        )
    )
    if body.pk in mine:
        return True
    links = Federation.objects.filter(current(at)).filter(Q(body=body) | Q(parent=body))
    neighbours = {pk for pair in links.values_list("body_id", "parent_id") for pk in pair}
    return bool(mine & neighbours)


def names_visible(actor: Actor, names: Names, *, at: datetime, body: Body | None = None) -> bool:
    """Whether ``actor`` may see ``names`` at ``at`` (``core.visibility.may_see_names``): the one
    access check that pages, the API, the CSV and BLT exports obey. ``body`` is the body whose
    members are asked for (``Names.MEMBERS``); office holders' names need none."""
    office_public = bool(getattr(settings, "CONSEJO_PUBLIC_OFFICE_HOLDERS", False))
    if names is Names.OFFICE and office_public:
        return True
    if is_operator(actor):
        return True
    if names is Names.OFFICE:
        reader = Reader(in_federation=may_see_rosters(actor, at))
    else:
        reader = Reader(near_body=body is not None and may_see_roster(actor, body, at))
    return may_see_names(names, reader, office_public=office_public)


def require_names_visible(
    actor: Actor, names: Names, *, at: datetime, body: Body | None = None
) -> None:
    """Raise PermissionDenied (logged) unless :func:`names_visible`."""
    if not names_visible(actor, names, at=at, body=body):
        refuse_names(actor, names, body=body)


def refuse_names(actor: Actor, names: Names, *, body: Body | None = None) -> NoReturn:
    """Raise PermissionDenied for a reader who may not see ``names``, and log who tried."""
    who = getattr(actor, "username", None) or "anonymous"
    security_log.warning("denied: %s tried to see the names (%s) of %s", who, names, body or "-")
    if names is Names.OFFICE:
        raise PermissionDenied(
            _("only members of the federation may see who holds or seeks office")
        )
    raise PermissionDenied(_("only members may see who the members are"))
