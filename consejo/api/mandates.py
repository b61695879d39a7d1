"""API for mandates: who sits in which council, for which constituency, since and until when.

Mandates name those who hold office: shown as the one policy says (``core.visibility``,
``Names.OFFICE``: to members of the federation; docs/privacy.md), as on the pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from consejo.api.auth import TokenAuth
from consejo.api.schemas import TOKEN, AddressText, errors
from consejo.bodies.access import lookup_body
from consejo.mandates.access import access_mandates
from consejo.mandates.selectors import MandateLine

router = Router(tags=["mandates"])


class MandateOut(Schema):
    mandate: int
    member: int
    name: str
    constituency: str
    council: str
    role: str  # "delegate" or "substitute"
    rank: int
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
    summary="The mandates in a council (?council=slug; current=false for every one ever held)",
)
def list_mandates(request: HttpRequest, council: AddressText, current: bool = True) -> list[Any]:
    body = lookup_body(slug=council)
    lines = access_mandates(
        actor=request.user, council_id=body.pk, at=timezone.now(), current_only=current
    )
    return [mandate_out(line) for line in lines]


# --- shaping ----------------------------------------------------------------------------------


def mandate_out(
    line: MandateLine, *, constituency: str | None = None, council: str | None = None
) -> MandateOut:
    """A mandate; ``constituency`` and ``council`` save a query each where the caller knows them
    (the mandates of one election: its electing body, its council)."""
    mandate = line.mandate
    return MandateOut(
        mandate=mandate.pk,
        member=mandate.member_id,
        name=mandate.member.name,
        constituency=constituency or mandate.constituency.slug,
        council=council or mandate.council.slug,
        role=mandate.role,
        rank=mandate.rank,
        election=line.election,
        start=mandate.start,
        end=mandate.end,
        end_reason=mandate.end_reason,
        replaced_by=line.replaced_by,
    )
