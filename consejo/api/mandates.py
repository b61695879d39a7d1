"""API for mandates: who sits in which council, for which constituency, since and until when.

Mandates name those who hold office: shown as the one policy says (``core.visibility``,
``Names.OFFICE``: to members of the federation; docs/privacy.md), as on the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from consejo.api.auth import TokenAuth
from consejo.api.schemas import MAX_KEY, TOKEN, AddressNumber, AddressText, errors
from consejo.bodies.access import lookup_body
from consejo.core.errors import InvalidInput
from consejo.mandates.access import access_mandates
from consejo.mandates.composition import seat_chains
from consejo.mandates.selectors import MandateLine

router = Router(tags=["mandates"])


class MandateOut(Schema):
    mandate: int
    member: int
    name: str
    constituency: str
    council: str
    office: str  # "" for a seat; else the office of the body (secretary, chair, …)
    role: str  # "delegate" (sits, or holds the office) or "substitute"
    rank: int
    provisional: bool  # an office an operator filled until the body elects
    derives_from: int | None  # the mandate this one is held through (docs/mandates.md)
    through: list[str]  # the constituencies of that chain, nearest first, down to a base body
    election: int | None
    start: datetime
    end: datetime | None
    end_reason: str
    replaced_by: int | None  # the election whose count ended this mandate


# --- mandates ---------------------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[MandateOut], **errors(*TOKEN)},
    auth=TokenAuth(),
    summary="The mandates in a council (?council=slug) or of a member (?member=id), each with "
    "the chain of seats it is held through; current=false for every one ever held",
)
def list_mandates(
    request: HttpRequest,
    council: AddressText | None = None,
    # 0, the default, names no member: a bounded whole number, so that the schema says the range.
    member: Annotated[AddressNumber, Query(0, ge=0, le=MAX_KEY)] = 0,
    current: bool = True,
) -> list[Any]:
    if (council is None) == (member == 0):
        raise InvalidInput(_("name either a council (?council=) or a member (?member=)"))
    body = lookup_body(slug=council) if council is not None else None
    lines = access_mandates(
        actor=request.user,
        council_id=body.pk if body is not None else None,
        member_id=member or None,
        at=timezone.now(),
        current_only=current,
    )
    chains = seat_chains([line.mandate for line in lines])
    return [
        mandate_out(line, through=[b.slug for b in chains.get(line.mandate.pk, ())])
        for line in lines
    ]


# --- shaping ----------------------------------------------------------------------------------


def mandate_out(
    line: MandateLine,
    *,
    constituency: str | None = None,
    council: str | None = None,
    through: list[str] | None = None,
) -> MandateOut:
    """A mandate; ``constituency`` and ``council`` save a query each where the caller knows them
    (the mandates of one election: its electing body, its council); ``through`` is its chain of
    seats, where the caller read it (``mandates.composition.seat_chains``)."""
    mandate = line.mandate
    return MandateOut(
        mandate=mandate.pk,
        member=mandate.member_id,
        name=mandate.member.name,
        constituency=constituency or mandate.constituency.slug,
        council=council or mandate.council.slug,
        office=mandate.office,
        role=mandate.role,
        rank=mandate.rank,
        provisional=mandate.provisional,
        derives_from=mandate.derives_from_id,
        through=through or [],
        election=line.election,
        start=mandate.start,
        end=mandate.end,
        end_reason=mandate.end_reason,
        replaced_by=line.replaced_by,
    )
