"""Writes of mandates, for the apps above that create and end them.

Each service here asks consejo.core.mandates what changes (who sits, what ends with what, who
takes an empty seat) over the open mandates it reads and locks, and applies exactly that, one
ledger entry per change. Each runs inside the caller's durable transaction, after the caller has
taken the ledger lock with ``service_instant``: the caller has already decided who may act (the
count's secretary), so these take ids and the instant, never an actor; apart from
:func:`secretary_appoint_provisional`, an operator's own act. docs/mandates.md has their table:
who calls each, when, and the ledger entries it writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import actor_ref, current, is_operator, require
from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    Body,
    Federation,
    Membership,
)
from consejo.common.actors import Actor
from consejo.common.text import clean_text
from consejo.core import mandates as graph
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.ledger import format_instant
from consejo.core.references import parse_reference, reference
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.mandates.models import Mandate, MandateRole, Office

#: How deep a cascade may reach: base body, district, city, national and their committees and
#: offices are six levels; a graph deeper than this is a bug, not a federation.
MAX_DEPTH = 32


def delegation_seat(
    *,
    constituency_id: int,
    council_id: int,
    delegate_ids: Sequence[int],
    substitute_ids: Sequence[int],
    origin: str,
    at: datetime,
    by: int | None,
    office: str = "",
) -> list[Mandate]:
    """End the open mandates of a delegation and seat the new one (``core.mandates.reelection``).

    Rule: an election replaces the whole delegation it elects: the previous delegates and
    substitutes of that constituency in that council stop at ``at``, the instant the new ones
    start, and so does what was held through them, except the seats of a person elected delegate
    again, which carry over to the new seat. Delegates take ranks 1, 2… in their order of
    election, substitutes in the order they would take a seat. When the constituency is a
    council (or committee), each person elected holds the new mandate through their own sitting
    delegate seat there (the seat that made them eligible). Eligibility and seats are those at
    ``at`` (``core.mandates.seat_the_elected``): one who left the body, or stopped sitting, since
    the vote is passed over, and at most the seats apportioned now sit. The seats emptied above by
    the old delegation's end go to their substitutes (``core.mandates.vacancies``).
    ``origin`` is the reference of what seated them (``election:12``, consejo.core.references).
    """
    _require_transaction()
    if parse_reference(origin) is None:
        raise ValueError(f"not a reference: {origin!r}")
    delegation = (constituency_id, council_id, office)
    constituency = Body.objects.get(pk=constituency_id)
    merit = [*delegate_ids, *substitute_ids]
    through: dict[int, int] = {}
    if constituency.kind in COUNCIL_KINDS:
        through = _sitting_seats(constituency_id, merit)
        eligible: Iterable[int] = through
    else:
        eligible = Membership.objects.filter(
            current(at), body_id=constituency_id, member_id__in=merit
        ).values_list("member_id", flat=True)
    if (
        not office
        and not Federation.objects.filter(
            Q(body_id=constituency_id, parent_id=council_id)
            | Q(body_id=council_id, parent_id=constituency_id),
            end__isnull=True,
        ).exists()
    ):
        # The body left the council (or the committee its body) since the vote: nothing to seat.
        raise Conflict(
            _("%(body)s no longer sends delegates there: the delegation cannot be seated")
            % {"body": constituency}
        )
    rows = _subgraph([delegation])
    seats = None if office else _apportioned_to(delegation)
    delegate_ids, substitute_ids = graph.seat_the_elected(
        merit, elected=len(delegate_ids), eligible=eligible, seats=seats
    )
    try:
        change = graph.reelection(
            [_node(row) for row in rows.values()],
            delegation,
            delegates=delegate_ids,
            substitutes=substitute_ids,
            through=through,
        )
    except ValueError as error:
        raise Conflict(_("a person is elected to one delegation once")) from error
    started = _apply(change, delegation, rows, at=at, origin=origin, by=by)
    emptied = {
        _key(rows[end.mandate])
        for end in change.ends
        if rows[end.mandate].role == MandateRole.DELEGATE and _key(rows[end.mandate]) != delegation
    }
    if emptied:
        started += mandates_end(ends={}, ended_by=origin, at=at, by=by, reseat=emptied)
    return started


def mandates_end(
    *,
    ends: Mapping[int, graph.Reason],
    ended_by: str,
    at: datetime,
    by: int | None,
    reapportioned: Iterable[int] = (),
    reseat: Iterable[graph.Delegation] = (),
) -> list[Mandate]:
    """End mandates (``ends``: each with its reason) at ``at`` with everything held through
    them, and bring every delegation
    concerned to its seats (``core.mandates.vacancies``): each emptied seat goes to the first
    substitute of its delegation, and the delegations of the councils in ``reapportioned``
    (apportioned again in the same act) follow their new seats. A delegation's seats are those
    of its council's newest apportionment; without one, as many as sat before. Returns the
    mandates started (the substitutes seated, the delegates who became substitutes)."""
    _require_transaction()
    ids = sorted(ends)
    councils = sorted(set(reapportioned))
    roots = list(
        Mandate.objects.filter(
            Q(pk__in=ids) | Q(council_id__in=councils, office=""), end__isnull=True
        )
    )
    rows = _subgraph({_key(m) for m in roots} | set(reseat), roots=[m.pk for m in roots])
    also = {_key(m) for m in rows.values() if m.council_id in councils and not m.office}
    also |= set(reseat)
    first, seatings = graph.vacancies(
        [_node(r) for r in rows.values()],
        [graph.End(pk, ends[pk]) for pk in ids],
        seats=_apportioned(rows.values()),
        also=also,
    )
    started = _apply(first, None, rows, at=at, origin=ended_by, by=by)
    for delegation, change in seatings:
        fresh = _subgraph([delegation])
        started += _apply(change, delegation, fresh, at=at, origin=ended_by, by=by)
    return started


def _apportioned(rows: Iterable[Mandate]) -> dict[graph.Delegation, int]:
    """The seats of each seat delegation among ``rows`` in its council's newest apportionment:
    for a body that sends delegates to the council now (a current link), its row there, or none
    if it was left out. A delegation into a council never apportioned, or of a body that is no
    constituent of it (a council electing its committee), is absent: it keeps as many seats as
    sat before."""
    delegations = {_key(m) for m in rows if not m.office}
    councils = sorted({council for _body, council, _office in delegations})
    linked = set(
        Federation.objects.filter(end__isnull=True, parent_id__in=councils).values_list(
            "body_id", "parent_id"
        )
    )
    newest: dict[int, int] = {}
    for council_id, pk in (
        Apportionment.objects.filter(council_id__in=councils)
        .order_by("council_id", "-computed_at", "-id")
        .values_list("council_id", "pk")
    ):
        newest.setdefault(council_id, pk)
    seats = ApportionedSeats.objects.filter(apportionment_id__in=newest.values()).values_list(
        "body_id", "apportionment__council_id", "seats"
    )
    given = {(body_id, council_id): n for body_id, council_id, n in seats}
    return {
        (body, council, office): given.get((body, council), 0)
        for body, council, office in delegations
        if council in newest and (body, council) in linked
    }


def secretary_appoint_provisional(
    *, actor: Actor, membership_id: int, reason: str, at: datetime | None = None
) -> Mandate:
    """Make a current member of a body its provisional secretary (an operator's act).

    Rule: a body is never locked out for good: when nobody holds its acting office (its secretary
    left with no substitute, or was never elected, as in a body just founded), an operator
    appoints one of its members secretary, an office mandate marked provisional and recorded with
    its reason; the body keeps it until it elects its secretary, whose count replaces it as it
    replaces any delegation. Operators stay outside the bodies otherwise. Source: the hardening
    review of issue 8, item 4; issue 11, item 3.
    """
    reason = clean_text(reason, label=_("reason"), max_length=500, required=True)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        require(
            is_operator(actor),
            actor=actor,
            action=gettext_noop("appoint a provisional secretary"),
            target="consejo",
        )
        membership = (
            Membership.objects.select_related("body", "member")
            .filter(current(at), pk=membership_id)
            .first()
        )
        if membership is None:
            raise InvalidInput(_("no current membership %(id)s") % {"id": membership_id})
        body = membership.body
        office = Mandate.objects.select_for_update().filter(
            council=body, constituency=body, office=Office.SECRETARY, end__isnull=True
        )
        if office.filter(member_id=membership.member_id).exists():
            raise Conflict(
                _("%(member)s is already a secretary of %(body)s")
                % {"member": membership.member, "body": body}
            )
        rank = max(
            office.filter(role=MandateRole.DELEGATE).values_list("rank", flat=True), default=0
        )
        seat = (
            Mandate.objects.filter(
                council=body,
                member_id=membership.member_id,
                role=MandateRole.DELEGATE,
                office="",
                end__isnull=True,
            ).first()
            if body.kind in COUNCIL_KINDS
            else None
        )
        mandate = Mandate.objects.create(
            member_id=membership.member_id,
            constituency=body,
            council=body,
            office=Office.SECRETARY,
            role=MandateRole.DELEGATE,
            rank=rank + 1,
            derives_from=seat,
            provisional=True,
            origin=reference("membership", membership.pk),
            start=at,
        )
        ledger_append(
            Kind.MANDATE_STARTED,
            _payload(mandate, {body.pk: body.slug}, actor_ref(actor))
            | {"provisional": True, "reason": reason},
            at=at,
        )
    return mandate


def _node(row: Mandate) -> graph.Mandate:
    """A mandate row as the rules of consejo.core.mandates see it."""
    return graph.Mandate(
        id=row.pk,
        holder=row.member_id,
        constituency=row.constituency_id,
        council=row.council_id,
        role=graph.Role(row.role),
        rank=row.rank,
        derives_from=row.derives_from_id,
        office=row.office,
        open=row.end is None,
    )


def _key(row: Mandate) -> graph.Delegation:
    return (row.constituency_id, row.council_id, row.office)


def _require_transaction() -> None:
    if not connection.in_atomic_block:
        raise RuntimeError("mandates change only inside a service's transaction")


def _sitting_seats(council_id: int, member_ids: Sequence[int]) -> dict[int, int]:
    """The open delegate seat in ``council_id`` of each of ``member_ids`` who still sits there
    (a council elects from its seated delegates; one who left is passed over)."""
    return dict(
        Mandate.objects.filter(
            council_id=council_id,
            member_id__in=member_ids,
            role=MandateRole.DELEGATE,
            office="",
            end__isnull=True,
        ).values_list("member_id", "pk")
    )


def _apportioned_to(delegation: graph.Delegation) -> int | None:
    """The seats a seat delegation holds now (:func:`_apportioned`), or None where none are
    apportioned to it (a committee the body elects)."""
    constituency, council, _office = delegation
    return _apportioned([Mandate(constituency_id=constituency, council_id=council)]).get(delegation)


def _subgraph(
    delegations: Iterable[graph.Delegation], roots: Sequence[int] = ()
) -> dict[int, Mandate]:
    """The open mandates of ``delegations`` and ``roots``, every open mandate held through them,
    transitively, and the rest of each of those mandates' delegations (where an emptied seat's
    substitutes wait), locked for the transaction."""
    found: dict[int, Mandate] = {}
    wanted, ids = set(delegations), set(roots)
    open_rows = Mandate.objects.select_for_update().filter(end__isnull=True)
    for _depth in range(MAX_DEPTH):
        condition = Q(pk__in=sorted(ids))
        for constituency, council, office in sorted(wanted):
            condition |= Q(constituency_id=constituency, council_id=council, office=office)
        batch = [m for m in open_rows.filter(condition).order_by("pk") if m.pk not in found]
        if not batch:
            return found
        found.update((m.pk, m) for m in batch)
        children = open_rows.filter(derives_from_id__in=[m.pk for m in batch])
        wanted = {_key(m) for m in children}
        ids = {m.pk for m in children}
    raise RuntimeError("the mandate graph is deeper than any federation")


def _apply(
    change: graph.Change,
    delegation: graph.Delegation | None,
    rows: dict[int, Mandate],
    *,
    at: datetime,
    origin: str,
    by: int | None,
) -> list[Mandate]:
    """Write ``change``: ends, then starts, then reranks and rebases, each with its entry."""
    slugs = dict(Body.objects.values_list("pk", "slug").filter(pk__in=_bodies(rows, delegation)))
    for end in change.ends:
        row = rows[end.mandate]
        if at <= row.start:
            # Two changes at one instant would leave a mandate that ends as it starts.
            raise Conflict(_("a delegation cannot be replaced at the instant it was seated"))
        row.end, row.end_reason = at, end.reason.value
        row.ended_by = reference("mandate", end.cause) if end.cause is not None else origin
        row.save(update_fields=["end", "end_reason", "ended_by"])
        ledger_append(
            Kind.MANDATE_ENDED,
            _payload(row, slugs, by) | {"reason": end.reason.value},
            at=at,
        )
    # Substitutes' ranks move in two steps, through numbers no delegation reaches, so that the
    # one-open-mandate-per-seat constraint holds after every statement (a demoted delegate
    # starts as substitute 1 while the substitute who was 1 becomes 2).
    for rerank in change.reranks:
        Mandate.objects.filter(pk=rerank.mandate).update(rank=rows[rerank.mandate].rank + 10**9)
    started: list[Mandate] = []
    if change.starts and delegation is None:
        raise ValueError("a change that starts mandates names its delegation")
    constituency, council, office = delegation or (0, 0, "")
    for start in change.starts:
        row = Mandate.objects.create(
            member_id=start.holder,
            constituency_id=constituency,
            council_id=council,
            office=office,
            role=start.role.value,
            rank=start.rank,
            derives_from_id=start.derives_from,
            origin=origin,
            start=at,
        )
        extra = {"replaces": start.replaces} if start.replaces is not None else {}
        ledger_append(Kind.MANDATE_STARTED, _payload(row, slugs, by) | extra, at=at)
        started.append(row)
    for rerank in change.reranks:
        row = rows[rerank.mandate]
        previous, row.rank = row.rank, rerank.rank
        row.save(update_fields=["rank"])
        ledger_append(
            Kind.MANDATE_RERANKED,
            {
                "mandate": row.pk,
                "member": row.member_id,
                "rank": row.rank,
                "previous": previous,
                "by": by,
            },
            at=at,
        )
    for rebase in change.rebases:
        row = rows[rebase.mandate]
        held_through = row.derives_from_id
        row.derives_from = started[rebase.onto]
        row.save(update_fields=["derives_from"])
        ledger_append(
            Kind.MANDATE_REBASED,
            {
                "mandate": row.pk,
                "member": row.member_id,
                "derives_from": row.derives_from_id,
                "previous": held_through,
                "by": by,
            },
            at=at,
        )
    return started


def _bodies(rows: Mapping[int, Mandate], delegation: graph.Delegation | None) -> set[int]:
    ids = {pk for m in rows.values() for pk in (m.constituency_id, m.council_id)}
    if delegation is not None:
        ids |= {delegation[0], delegation[1]}
    return ids


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
    if mandate.office:
        payload["office"] = mandate.office
    if mandate.derives_from_id is not None:
        payload["derives_from"] = mandate.derives_from_id
    if mandate.end is not None:
        payload["end"] = format_instant(mandate.end)
        payload["ended_by"] = mandate.ended_by
        if ended_by is not None and ended_by.kind == "election":
            payload["replaced_by"] = ended_by.number
        if ended_by is not None and ended_by.kind == "mandate":
            payload["cause"] = ended_by.number
    return payload
