"""The demo's elections: delegates elected in June 2005, and one election open now.

- 9 June 2005: the assembly of the Junta Vecinal Villa Ingenio elects its 3 delegates to the
  council of District 4 by single transferable vote (Scottish rules), on paper: 7 candidates and
  a few hundred ballots, entered by the junta's secretary and counted. The 3 take their seats,
  the next 3 become substitutes.
- 9 June 2005: the workers of the YPFB Senkata plant elect their 3 delegates to the petroleum
  workers' federation by show of hands (block vote: up to 3 marks each).
- Now: Villa Ingenio renews its delegation by secret online ballot (Meek STV), voting open for
  the next 30 days, so that the demo's member ``vecina`` can vote on her phone. Five trustees
  (``custodio-1`` … ``custodio-5``) hold the election key; any three count it.

Every write goes through consejo.elections.services. The ballots are invented, deterministic
(``random.Random``), and shaped like an assembly's: a few favourites, short rankings.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.utils import timezone

from consejo.bodies.models import Body, Member, Membership
from consejo.boxes.ceremony import run_key_ceremony
from consejo.boxes.models import Box
from consejo.elections.models import BallotMode, Election, Method
from consejo.elections.selectors import election_reference
from consejo.elections.services import (
    candidate_nominate,
    election_count,
    election_create,
    paper_tally_enter,
)


class Clock(Protocol):
    """The scenario's clock: strictly increasing instants in June 2005 (La Paz)."""

    def tick(self) -> datetime: ...

    def at(self, day: int, hour: int) -> datetime: ...


def elect_delegates(
    *,
    bodies: dict[str, Body],
    secretaries: dict[str, Any],
    rng: random.Random,
    clock: Clock,
) -> list[Election]:
    """Hold the two June 2005 elections and seat their delegates; returns them counted."""
    senkata = _paper_election(
        body=bodies["senkata-planta"],
        council=bodies["fstpb"],
        secretary=secretaries["senkata"],
        title="Delegados de la planta de Senkata a la Federación de Petroleros",
        method=Method.PLURALITY,
        candidates=5,
        ballots=164,
        max_rank=3,
        rng=rng,
        clock=clock,
        hour=12,
    )
    villa = _paper_election(
        body=bodies["jv-villa-ingenio"],
        council=bodies["distrito-4"],
        secretary=secretaries["villa-ingenio"],
        title="Delegados de la Junta Vecinal Villa Ingenio al Consejo del Distrito 4",
        method=Method.SCOTTISH_STV,
        candidates=7,
        ballots=430,
        max_rank=5,
        rng=rng,
        clock=clock,
        hour=18,
    )
    return [senkata, villa]


def demo_card_seed(index: int) -> bytes:
    """The seed of demo trustee ``index``'s card: fixed and public (docs/demo.md prints the
    words), so that anyone trying the demo can play every trustee. A real card's seed is drawn
    on the trustee's own device and never leaves it."""
    return hashlib.sha256(f"consejo demo trustee {index}".encode()).digest()


def demo_trustee_cards() -> list[tuple[int, str, bytes]]:
    """The demo's trustee cards: (number, box reference, seed) for the open secret election."""
    from consejo.boxes.models import Trustee

    election = Election.objects.filter(mode=BallotMode.SECRET, counted_at__isnull=True).first()
    if election is None:
        return []
    box = Box.objects.filter(purpose=election_reference(election)).first()
    if box is None:
        return []
    numbers = Trustee.objects.filter(box=box).order_by("index").values_list("index", flat=True)
    return [(i, box.reference, demo_card_seed(i)) for i in numbers]


def open_election_now(
    *,
    bodies: dict[str, Body],
    secretary: Any,
    trustees: dict[int, Any],
    rng: random.Random,
    now: datetime | None = None,
) -> Election:
    """Call the live election in Villa Ingenio: called yesterday, open since this morning (12
    hours ago), closing in 30 days; its five trustees (any three count it) made the election key
    yesterday, each from their card. Its instants lie after every June 2005 entry, as they
    must."""
    now = now or timezone.now()
    called = now - timedelta(days=1)
    election = election_create(
        actor=secretary,
        body_id=bodies["jv-villa-ingenio"].pk,
        council_id=bodies["distrito-4"].pk,
        title="Renovación de delegados de Villa Ingenio al Consejo del Distrito 4",
        method=Method.MEEK_STV,
        mode=BallotMode.SECRET,
        opens_at=now - timedelta(hours=12),
        closes_at=now + timedelta(days=30),
        trustee_ids=[
            m.pk for m in [Member.objects.get(user=login) for _, login in sorted(trustees.items())]
        ],
        threshold=3,
        at=called,
    )
    people = _candidates(bodies["jv-villa-ingenio"], 5, rng, at=called)
    for minute, member in enumerate(people, start=1):
        candidate_nominate(
            actor=secretary,
            election_id=election.pk,
            member_id=member.pk,
            statement=rng.choice(_STATEMENTS),
            at=called + timedelta(minutes=minute),
        )
    box = Box.objects.get(purpose=election_reference(election))
    seeds = {i: demo_card_seed(i) for i in trustees}
    run_key_ceremony(box, trustees, seeds, at=called + timedelta(hours=1))
    return election


def _paper_election(
    *,
    body: Body,
    council: Body,
    secretary: Any,
    title: str,
    method: str,
    candidates: int,
    ballots: int,
    max_rank: int,
    rng: random.Random,
    clock: Clock,
    hour: int,
) -> Election:
    """An assembly on 9 June at ``hour``: called that morning, candidates named in the assembly,
    the ballots counted by hand and entered by the secretary two hours later, then counted."""
    called = clock.at(9, 8 if hour > 12 else 7)
    opens = datetime(called.year, called.month, 9, hour, tzinfo=called.tzinfo)
    election = election_create(
        actor=secretary,
        body_id=body.pk,
        council_id=council.pk,
        title=title,
        method=method,
        mode=BallotMode.PAPER,
        opens_at=opens,
        closes_at=opens + timedelta(hours=3),
        at=called,
    )
    people = _candidates(body, candidates, rng, at=called)
    standing = [
        candidate_nominate(
            actor=secretary,
            election_id=election.pk,
            member_id=member.pk,
            statement=rng.choice(_STATEMENTS),
            at=clock.tick(),
        )
        for member in people
    ]
    tally = _assembly_ballots([c.pk for c in standing], ballots, max_rank, rng)
    paper_tally_enter(
        actor=secretary, election_id=election.pk, ballots=tally, at=clock.at(9, hour + 2)
    )
    return election_count(actor=secretary, election_id=election.pk, at=clock.tick())


def elect_officer(
    *,
    body: Body,
    office: str,
    member: Member,
    votes: int,
    actor: Any,
    clock: Clock,
    day: int,
    hour: int,
) -> Election:
    """A body's assembly elects ``member`` to ``office`` by show of hands (``votes`` hands up),
    entered on paper by ``actor`` (the operator, for an assembly that has no officer yet)."""
    called = clock.at(day, hour)
    election = election_create(
        actor=actor,
        body_id=body.pk,
        council_id=body.pk,
        office=office,
        title=f"Elección de la secretaría de {body.name}",
        method=Method.PLURALITY,
        mode=BallotMode.PAPER,
        opens_at=called,
        closes_at=called + timedelta(hours=2),
        substitutes=0,
        at=called,
    )
    candidate = candidate_nominate(
        actor=actor, election_id=election.pk, member_id=member.pk, at=clock.tick()
    )
    paper_tally_enter(
        actor=actor, election_id=election.pk, ballots=[([candidate.pk], votes)], at=clock.tick()
    )
    return election_count(actor=actor, election_id=election.pk, at=clock.tick())


def _candidates(body: Body, n: int, rng: random.Random, *, at: datetime) -> list[Member]:
    """``n`` members of ``body`` at ``at``, drawn by the demo's seeded generator."""
    ids = sorted(
        Membership.objects.filter(body=body, start__lte=at, end__isnull=True).values_list(
            "member_id", flat=True
        )
    )
    chosen = rng.sample(ids, n)
    return list(Member.objects.filter(pk__in=chosen).order_by("name", "pk"))


def _assembly_ballots(
    candidates: Sequence[int], n: int, max_rank: int, rng: random.Random
) -> list[tuple[list[int], int]]:
    """``n`` ballots, each ranking 1 to ``max_rank`` candidates drawn by popularity (a
    Plackett-Luce draw: each next preference is chosen in proportion to the candidates' weight)."""
    weights = {c: rng.uniform(0.3, 3.0) for c in candidates}
    counts: Counter[tuple[int, ...]] = Counter()
    for _ in range(n):
        left = list(candidates)
        ranking: list[int] = []
        for _position in range(rng.randint(1, max_rank)):
            pick = rng.choices(left, weights=[weights[c] for c in left])[0]
            ranking.append(pick)
            left.remove(pick)
        counts[tuple(ranking)] += 1
    return [(list(ranking), count) for ranking, count in sorted(counts.items())]


_STATEMENTS = (
    "Por el gas para los bolivianos y la defensa de la asamblea.",
    "Rendiré cuentas en cada asamblea; revocable cuando la junta lo decida.",
    "Abastecimiento justo de garrafas para todas las zonas del distrito.",
    "Coordinar con los comités de huelga y las juntas vecinas.",
    "Transparencia en la distribución de víveres y medicamentos.",
)
