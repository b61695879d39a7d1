"""How a council is composed: who sits in it, for which constituency, through which seats below,
and its officers. Reads for the council's page and the API; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consejo.bodies.authority import current
from consejo.bodies.models import Body
from consejo.mandates.models import Mandate, MandateRole
from consejo.mandates.selectors import council_mandates

#: How deep a chain of seats is followed: far more levels than any federation has.
MAX_LEVELS = 32


@dataclass(frozen=True)
class Seat:
    """A seat in a council, with the chain of seats it is held through: the constituencies
    below, nearest first, down to the base body that elected the first of them."""

    mandate: Mandate
    through: tuple[Body, ...]


@dataclass(frozen=True)
class Delegation:
    """The people one constituency has in a council: its delegates, then its substitutes."""

    constituency: Body
    delegates: tuple[Seat, ...]
    substitutes: tuple[Seat, ...]


def office_mandates(*, body_id: int, at: datetime) -> list[Mandate]:
    """A body's officers at ``at``: the holders of its offices, then their substitutes."""
    return list(
        Mandate.objects.filter(current(at), council_id=body_id)
        .exclude(office="")
        .select_related("member")
        .order_by("office", "role", "rank")
    )


def council_composition(*, council_id: int, at: datetime) -> list[Delegation]:
    """Who sits in a council at ``at``, by constituency (by name), each seat with the chain of
    seats it is held through (``Mandate.derives_from``): the national assembly's delegate of the
    El Alto assembly shows that she holds the seat through her El Alto seat, that one through her
    District 4 seat, and that one from the junta that elected her. One query per level of the
    federation, whatever the council's size."""
    seats = council_mandates(council_id=council_id, at=at)
    chains = seat_chains(seats)
    groups: dict[int, tuple[Body, list[Seat], list[Seat]]] = {}
    for m in seats:
        _body, delegates, substitutes = groups.setdefault(
            m.constituency_id, (m.constituency, [], [])
        )
        (delegates if m.role == MandateRole.DELEGATE else substitutes).append(
            Seat(m, chains.get(m.pk, ()))
        )
    return [
        Delegation(body, tuple(delegates), tuple(substitutes))
        for body, delegates, substitutes in sorted(
            groups.values(), key=lambda group: (group[0].name, group[0].pk)
        )
    ]


def seat_chains(mandates: list[Mandate]) -> dict[int, tuple[Body, ...]]:
    """For each of ``mandates``, the constituencies of the mandates it is held through, nearest
    first (empty for one given by a base body)."""
    parents: dict[int, Mandate] = {}
    wanted = {m.derives_from_id for m in mandates if m.derives_from_id is not None}
    for _level in range(MAX_LEVELS):
        wanted -= set(parents)
        if not wanted:
            break
        for row in Mandate.objects.filter(pk__in=wanted).select_related("constituency"):
            parents[row.pk] = row
        wanted = {p.derives_from_id for p in parents.values() if p.derives_from_id is not None}
    chains: dict[int, tuple[Body, ...]] = {}
    for m in mandates:
        chain: list[Body] = []
        step = m.derives_from_id
        while step is not None and step in parents and len(chain) < MAX_LEVELS:
            chain.append(parents[step].constituency)
            step = parents[step].derives_from_id
        chains[m.pk] = tuple(chain)
    return chains
