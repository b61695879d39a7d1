"""What follows in the mandates when a body's rows change (consejo.bodies.dependents): a
membership's end, a new apportionment. Registered at start-up by ``MandatesConfig.ready``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from consejo.bodies.authority import current
from consejo.bodies.dependents import Left
from consejo.core import mandates as graph
from consejo.core.offices import ACTING_OFFICES, leaves_body_headless
from consejo.core.references import reference
from consejo.mandates.models import Mandate, MandateRole
from consejo.mandates.services import mandates_end


class MandateDependents:
    """:class:`consejo.bodies.dependents.Dependents`, answered from the mandates."""

    def acting_offices(self, at: datetime) -> QuerySet[Any]:
        return Mandate.objects.filter(
            current(at), office__in=sorted(ACTING_OFFICES), role=MandateRole.DELEGATE
        )

    def leaves_headless(self, *, member_id: int, body_id: int, at: datetime) -> bool:
        holders: set[int] = set()
        waiting: set[int] = set()
        for holder, role in Mandate.objects.filter(
            current(at), council_id=body_id, office__in=sorted(ACTING_OFFICES)
        ).values_list("member_id", "role"):
            (holders if role == MandateRole.DELEGATE else waiting).add(holder)
        return leaves_body_headless(
            leaving_holds_office=member_id in holders,
            other_holders=len(holders - {member_id}),
            substitutes=len(waiting - {member_id}),
        )

    def follow(
        self,
        *,
        left: Sequence[Left],
        reapportioned: Sequence[int],
        unlinked: Sequence[tuple[int, int]],
        at: datetime,
        by: int | None,
    ) -> None:
        """Rule: a constituency gives its mandates to its own members; when a membership ends,
        so do the mandates that body gave its holder (seats in councils, offices), at the same
        instant, with what was held through them, and each emptied seat goes to the first
        substitute of its delegation. When a reapportionment changes a body's seats, its
        delegation follows at once: the last delegates in order of merit become the first
        substitutes, or the first substitutes take the new seats (``core.mandates.vacancies``,
        ``seating``). Source: issue 11; docs/apportionment.md, "When seats change"."""
        given: dict[int, graph.Reason] = {}
        for body_id, council_id in unlinked:
            for pk in Mandate.objects.filter(
                constituency_id=body_id, council_id=council_id, office="", end__isnull=True
            ).values_list("pk", flat=True):
                given[pk] = graph.Reason.UNLINKED
        if left:
            condition = Q()
            for leaving in left:
                condition |= Q(member_id=leaving.member_id, constituency_id=leaving.body_id)
            for pk in Mandate.objects.filter(condition, end__isnull=True).values_list(
                "pk", flat=True
            ):
                given[pk] = graph.Reason.LEFT
        if not given and not reapportioned:
            return
        if (
            not given
            and not Mandate.objects.filter(council_id__in=reapportioned, end__isnull=True).exists()
        ):
            return  # nobody sits yet in the councils apportioned again: nothing follows
        mandates_end(
            ends=given,
            ended_by=reference("membership", left[0].membership_id) if len(left) == 1 else "",
            at=at,
            by=by,
            reapportioned=reapportioned,
        )
