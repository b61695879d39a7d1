"""Writes of mandates, for the apps above that create and end them.

Today a delegation is seated by the count of an election (consejo.elections); recall,
substitutes and by-elections come with their own capability and will add services here. Each
function here runs inside the caller's durable transaction, after the caller has taken the ledger
lock with ``service_instant``, and appends its own ledger entries: the caller has already decided
who may act (the count's secretary), so these take ids and the instant, never an actor.

| Service | Called by | Ledger kinds |
|---|---|---|
| :func:`delegation_seat` | `election_count` | `mandate.ended`, `mandate.started` |
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _

from consejo.bodies.models import Body
from consejo.core.errors import Conflict
from consejo.core.ledger import format_instant
from consejo.core.references import parse_reference
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append
from consejo.mandates.models import Mandate, MandateRole


def delegation_seat(
    *,
    constituency_id: int,
    council_id: int,
    delegate_ids: Sequence[int],
    substitute_ids: Sequence[int],
    origin: str,
    at: datetime,
    by: int | None,
) -> list[Mandate]:
    """End the open mandates of a constituency in a council and seat the new delegation.

    Rule: an election replaces the whole delegation it elects: the previous delegates and
    substitutes of that constituency in that council stop at ``at``, the instant the new ones
    start, so that the council never counts two delegations (or none) for one body. Delegates
    take ranks 1, 2… in their order of election, substitutes in the order they would take a seat.
    ``origin`` is the reference of what seated them (``election:12``, consejo.core.references).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("a delegation is seated only inside a service's transaction")
    source = parse_reference(origin)
    if source is None:
        raise ValueError(f"not a reference: {origin!r}")
    slugs = dict(
        Body.objects.filter(pk__in=(constituency_id, council_id)).values_list("pk", "slug")
    )
    ending = list(
        Mandate.objects.select_for_update()
        .filter(constituency_id=constituency_id, council_id=council_id, end__isnull=True)
        .order_by("role", "rank")
    )
    for mandate in ending:
        if at <= mandate.start:
            # Two counts at one instant would leave a mandate that ends as it starts.
            raise Conflict(_("a delegation cannot be replaced at the instant it was seated"))
        mandate.end, mandate.ended_by = at, origin
        mandate.save(update_fields=["end", "ended_by"])
        ledger_append(
            Kind.MANDATE_ENDED,
            _payload(mandate, slugs, by) | {"reason": f"replaced by {source.kind} {source.number}"},
            at=at,
        )
    seated: list[Mandate] = []
    for role, people in (
        (MandateRole.DELEGATE, delegate_ids),
        (MandateRole.SUBSTITUTE, substitute_ids),
    ):
        for rank, member_id in enumerate(people, start=1):
            mandate = Mandate.objects.create(
                member_id=member_id,
                constituency_id=constituency_id,
                council_id=council_id,
                role=role,
                rank=rank,
                origin=origin,
                start=at,
            )
            ledger_append(Kind.MANDATE_STARTED, _payload(mandate, slugs, by), at=at)
            seated.append(mandate)
    return seated


def _payload(mandate: Mandate, slugs: dict[int, str], by: int | None) -> dict[str, object]:
    # The keys of the entries written before mandates named their origin by reference are kept:
    # "election" (what seated it) and "replaced_by" (the election that ended it).
    origin, ended_by = parse_reference(mandate.origin), parse_reference(mandate.ended_by)
    payload: dict[str, object] = {
        "mandate": mandate.pk,
        "member": mandate.member_id,
        "constituency": slugs[mandate.constituency_id],
        "council": slugs[mandate.council_id],
        "role": mandate.role,
        "rank": mandate.rank,
        "origin": mandate.origin,
        "election": origin.number if origin and origin.kind == "election" else None,
        "start": format_instant(mandate.start),
        "by": by,
    }
    if mandate.end is not None:
        payload["end"] = format_instant(mandate.end)
        payload["ended_by"] = mandate.ended_by
        if ended_by is not None and ended_by.kind == "election":
            payload["replaced_by"] = ended_by.number
    return payload
