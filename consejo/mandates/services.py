"""Writes of mandates. Today a delegation is seated by the count of an election; recall and
by-elections come with their own capability and will add services here.

:func:`seat_delegation` runs inside the caller's durable transaction (the count), after the
caller has taken the ledger lock with ``service_instant``; it appends its own ledger entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from consejo.bodies.models import Body, Member
from consejo.core.errors import Conflict
from consejo.core.ledger import format_instant
from consejo.ledger.services import ledger_append
from consejo.mandates.models import Mandate, MandateRole


def seat_delegation(
    *,
    constituency: Body,
    council: Body,
    delegates: Sequence[Member],
    substitutes: Sequence[Member],
    election: Any,
    at: datetime,
    by: int | None,
) -> list[Mandate]:
    """End the open mandates of ``constituency`` in ``council`` and start the new delegation.

    Rule: an election replaces the whole delegation it elects: the previous delegates and
    substitutes of that constituency in that council stop at ``at``, the instant the new ones
    start, so that the council never counts two delegations (or none) for one body.
    """
    ending = list(
        Mandate.objects.select_for_update()
        .filter(constituency=constituency, council=council, end__isnull=True)
        .select_related("member")
        .order_by("role", "rank")
    )
    for mandate in ending:
        if at <= mandate.start:
            # Two counts at one instant would leave a mandate that ends as it starts.
            raise Conflict(_("a delegation cannot be replaced at the instant it was seated"))
        mandate.end, mandate.replaced_by = at, election
        mandate.save(update_fields=["end", "replaced_by"])
        ledger_append(
            "mandate.ended",
            _payload(mandate, by)
            | {"reason": f"replaced by election {election.pk}", "replaced_by": election.pk},
            at=at,
        )
    seated: list[Mandate] = []
    for role, people in ((MandateRole.DELEGATE, delegates), (MandateRole.SUBSTITUTE, substitutes)):
        for rank, member in enumerate(people, start=1):
            mandate = Mandate.objects.create(
                member=member,
                constituency=constituency,
                council=council,
                role=role,
                rank=rank,
                election=election,
                start=at,
            )
            ledger_append("mandate.started", _payload(mandate, by), at=at)
            seated.append(mandate)
    return seated


def _payload(mandate: Mandate, by: int | None) -> dict[str, object]:
    payload: dict[str, object] = {
        "mandate": mandate.pk,
        "member": mandate.member_id,
        "constituency": mandate.constituency.slug,
        "council": mandate.council.slug,
        "role": mandate.role,
        "rank": mandate.rank,
        "election": mandate.election_id,
        "start": format_instant(mandate.start),
        "by": by,
    }
    if mandate.end is not None:
        payload["end"] = format_instant(mandate.end)
    return payload
