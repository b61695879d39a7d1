"""The federation filled upward, 9-10 June 2005: base assemblies elect their delegations, the
councils elect from their seated delegates to the councils above, up to the national assembly.

- 9 June, afternoon: every base body (neighbourhood assemblies, unions, mines, communities)
  elects its delegation to each council it sends delegates to, on paper by show of hands,
  entered by the operator (these assemblies have no secretary with a login in the demo). The
  two assemblies of ``consejo.demo.elections`` (Villa Ingenio, the Senkata plant into its
  federation) have elected already and are left alone.
- 9 June, evening, to 10 June: each council, from the bottom up (a council elects once every
  body below it has), elects its delegation to each council above it from its seated delegates,
  by show of hands in its session: the districts and COR El Alto to the El Alto assembly, and
  the city assemblies and sector federations to the national assembly. Each seat so filled is
  held through the delegate's own seat below (docs/mandates.md, "The graph"), so the national
  assembly's page can show every delegate's chain down to the base body that elected her.

A council with fewer seated delegates than seats above elects all of them and leaves the rest
empty: the vacancy rule, not an invented delegate. Every write goes through
consejo.elections.services; the draws use a generator of their own, so that the rest of the
scenario draws what it always drew.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from consejo.bodies.models import ApportionedSeats, Apportionment, Body, Federation, Membership
from consejo.demo.dataset import COUNCILS, Council
from consejo.demo.elections import Clock
from consejo.elections.models import BallotMode, Election, Method
from consejo.elections.services import (
    candidate_nominate,
    election_count,
    election_create,
    paper_tally_enter,
)
from consejo.mandates.models import Mandate, MandateRole


def fill_upward(
    *, bodies: dict[str, Body], admin: Any, clock: Clock, held: Iterable[Election]
) -> list[Election]:
    """Hold every election that seats the federation from its base bodies up to the national
    assembly (this module's docstring); returns them counted, in order."""
    rng = random.Random("consejo demo, 9 June 2005: the federation fills upward")  # noqa: S311
    done = {(e.body_id, e.council_id) for e in held}
    councils = {c.slug for c in COUNCILS}
    counted: list[Election] = []
    clock.at(9, 14)
    for link in _links(councils, bases=True):
        if (link.body_id, link.parent_id) not in done:
            counted += _elect(link.body, link.parent, admin=admin, rng=rng, clock=clock)
    clock.at(9, 19)
    for council in _bottom_up(COUNCILS):
        for link in Federation.objects.filter(body=bodies[council.slug], end__isnull=True):
            counted += _elect(link.body, link.parent, admin=admin, rng=rng, clock=clock)
    return counted


def _links(councils: set[str], *, bases: bool) -> list[Federation]:
    """The open links from base bodies (``bases``) or from councils, by body and council."""
    return [
        link
        for link in Federation.objects.filter(end__isnull=True)
        .select_related("body", "parent")
        .order_by("body__slug", "parent__slug")
        if (link.body.slug not in councils) == bases
    ]


def _bottom_up(councils: Iterable[Council]) -> list[Council]:
    """Councils ordered so that each comes after every council that sends delegates to it."""
    specs = list(councils)
    height: dict[str, int] = {}

    def of(slug: str) -> int:
        if slug not in height:
            below = [c.slug for c in specs if slug in c.parents]
            height[slug] = 1 + max((of(b) for b in below), default=0)
        return height[slug]

    return sorted(specs, key=lambda c: (of(c.slug), c.slug))


def _seats(body: Body, council: Body) -> int:
    """The seats ``body`` holds in ``council``'s newest apportionment (0 without one)."""
    newest = Apportionment.objects.filter(council=council).order_by("-computed_at", "-id").first()
    if newest is None:
        return 0
    row = ApportionedSeats.objects.filter(apportionment=newest, body=body).first()
    return row.seats if row is not None else 0


def _electors(body: Body) -> list[int]:
    """Who may stand for ``body``: its members, or a council's seated delegates."""
    if body.is_council:
        return sorted(
            Mandate.objects.filter(
                council=body, role=MandateRole.DELEGATE, office="", end__isnull=True
            ).values_list("member_id", flat=True)
        )
    return sorted(
        Membership.objects.filter(body=body, end__isnull=True).values_list("member_id", flat=True)
    )


def _elect(
    body: Body, council: Body, *, admin: Any, rng: random.Random, clock: Clock
) -> list[Election]:
    """``body``'s assembly (or session) elects its delegation to ``council`` by show of hands:
    its seats, as many substitutes as half of them (at least one), from a field of candidates
    one larger; entered and counted by the operator."""
    seats = _seats(body, council)
    people = _electors(body)
    if seats == 0 or not people:
        return []
    substitutes = max(1, seats // 2)
    standing = rng.sample(people, min(len(people), seats + substitutes + 1))
    called = clock.tick()
    election = election_create(
        actor=admin,
        body_id=body.pk,
        council_id=council.pk,
        title=f"Delegados de {body.name} a {council.name}",
        method=Method.PLURALITY,
        mode=BallotMode.PAPER,
        opens_at=called,
        closes_at=called + timedelta(hours=3),
        seats=seats,
        substitutes=substitutes,
        at=called,
    )
    keys = [
        candidate_nominate(
            actor=admin, election_id=election.pk, member_id=member_id, at=clock.tick()
        ).pk
        for member_id in standing
    ]
    hands = len(people)
    tally = [([key], rng.randint(max(1, hands // 10), max(2, hands // 2))) for key in keys]
    paper_tally_enter(actor=admin, election_id=election.pk, ballots=tally, at=clock.tick())
    return [election_count(actor=admin, election_id=election.pk, at=clock.tick())]
