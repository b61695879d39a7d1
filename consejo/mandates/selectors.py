"""Reads of mandates for the pages and the API above. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consejo.bodies.authority import current
from consejo.bodies.models import Membership
from consejo.core.references import number_of
from consejo.mandates.models import Mandate, Office


@dataclass(frozen=True)
class MandateLine:
    """A mandate as a page lists it: the mandate, and the numbers of the election that seated it
    and of the one that replaced it, read from its references."""

    mandate: Mandate
    election: int | None
    replaced_by: int | None


def mandate_line(mandate: Mandate) -> MandateLine:
    """The line of one mandate (consejo.core.references reads its origin and end)."""
    return MandateLine(
        mandate=mandate,
        election=number_of(mandate.origin, "election"),
        replaced_by=number_of(mandate.ended_by, "election"),
    )


def council_mandates(*, council_id: int, at: datetime) -> list[Mandate]:
    """The delegates and substitutes sitting in a council at ``at``, by constituency (its
    offices apart: consejo.mandates.composition.office_mandates)."""
    return list(
        Mandate.objects.filter(current(at), council_id=council_id, office="")
        .select_related("member", "constituency")
        .order_by("constituency__name", "role", "rank")
    )


def constituency_mandates(*, body_id: int, at: datetime) -> list[Mandate]:
    """The delegates and substitutes a body has sitting in councils at ``at`` (its own offices
    apart)."""
    return list(
        Mandate.objects.filter(current(at), constituency_id=body_id, office="")
        .select_related("member", "council")
        .order_by("council__name", "role", "rank")
    )


def member_mandates(*, member_id: int) -> list[MandateLine]:
    """Every mandate a member has held, newest first, each with the seat it is held through
    (``derives_from``, with its council)."""
    return [
        mandate_line(m)
        for m in Mandate.objects.filter(member_id=member_id)
        .select_related("constituency", "council", "derives_from__council")
        .order_by("-start")
    ]


def appointable_memberships(*, member_id: int, at: datetime) -> list[Membership]:
    """The member's current memberships of bodies whose secretary they are not at ``at``: those
    an operator may make them provisional secretary of (``secretary_appoint_provisional``)."""
    holding = set(
        Mandate.objects.filter(
            current(at), member_id=member_id, office=Office.SECRETARY
        ).values_list("council_id", flat=True)
    )
    return [
        m
        for m in Membership.objects.filter(current(at), member_id=member_id)
        .select_related("body")
        .order_by("body__name", "pk")
        if m.body_id not in holding
    ]


def origin_mandates(origin: str) -> list[Mandate]:
    """The mandates that ``origin`` (a reference: ``election:12``) created, still in force or
    not, by role and rank."""
    return list(
        Mandate.objects.filter(origin=origin)
        .select_related("member", "constituency", "council")
        .order_by("role", "rank")
    )
