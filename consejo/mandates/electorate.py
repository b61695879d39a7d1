"""Who elects for a body at an instant: the one reader the elections, their pages, the API and
the sealed boxes' trustees all ask (consejo.core.mandates.elects_by_seat has the rule)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from consejo.bodies.authority import current
from consejo.bodies.models import COUNCIL_KINDS, Body, Member, Membership
from consejo.core.mandates import elects_by_seat
from consejo.mandates.models import Mandate, MandateRole


def electors(body: Body, at: datetime) -> QuerySet[Member]:
    """The people who vote for ``body`` at ``at``: its sitting delegates for a council or a
    committee (their seats in it, offices apart), its current members for a base body."""
    if elects_by_seat(council=body.kind in COUNCIL_KINDS):
        seats = Mandate.objects.filter(
            current(at), council=body, role=MandateRole.DELEGATE, office=""
        )
        return Member.objects.filter(mandates__in=seats).distinct()
    return Member.objects.filter(
        memberships__in=Membership.objects.filter(current(at), body=body)
    ).distinct()


def is_elector(member: Member | None, body: Body, at: datetime) -> bool:
    """Whether ``member`` votes for ``body`` at ``at`` (:func:`electors`)."""
    return member is not None and electors(body, at).filter(pk=member.pk).exists()


def elector_ids(bodies: list[Body], at: datetime) -> frozenset[int]:
    """The members who vote for any of ``bodies`` at ``at``."""
    found: set[int] = set()
    for body in bodies:
        found.update(electors(body, at).values_list("pk", flat=True))
    return frozenset(found)


def not_an_elector(member: Member, body: Body) -> str:
    """Why ``member`` may not stand or vote for ``body``, in the reader's language."""
    if body.kind in COUNCIL_KINDS:
        return _("%(member)s does not sit in %(body)s as a delegate") % {
            "member": member,
            "body": body,
        }
    return _("%(member)s is not a member of %(body)s") % {"member": member, "body": body}
