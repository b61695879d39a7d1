"""Permission-checked fetches of mandates for the pages and the API."""

from __future__ import annotations

from datetime import datetime

from consejo.bodies.authority import current, require_names_visible
from consejo.common.actors import Actor
from consejo.core.visibility import Names
from consejo.mandates.models import Mandate
from consejo.mandates.selectors import MandateLine, mandate_line

#: The most mandates one answer lists.
MAX_LISTED = 1000


def access_mandates(
    *,
    actor: Actor,
    at: datetime,
    current_only: bool,
    council_id: int | None = None,
    member_id: int | None = None,
) -> list[MandateLine]:
    """The mandates held in a council, or by a member (those in force at ``at``, or every one
    ever held), for those who may see the names of office holders (``core.visibility``,
    ``Names.OFFICE``); anyone else is refused. Newest delegation first, then by constituency,
    role and rank."""
    require_names_visible(actor, Names.OFFICE, at=at)
    query = Mandate.objects.all()
    if council_id is not None:
        query = query.filter(council_id=council_id)
    if member_id is not None:
        query = query.filter(member_id=member_id)
    if current_only:
        query = query.filter(current(at))
    return [
        mandate_line(m)
        for m in query.select_related("member", "constituency", "council").order_by(
            "-start", "constituency__name", "role", "rank", "pk"
        )[:MAX_LISTED]
    ]
