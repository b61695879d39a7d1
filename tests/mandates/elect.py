"""Building blocks of the mandates tests: an election held on paper and counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from consejo.bodies.models import Body, Member
from consejo.elections import services
from consejo.elections.models import Election


def member(name: str) -> Member:
    return Member.objects.get(name=name)


def paper_election(
    actor: Any,
    *,
    body: Body,
    council: Body,
    standing: list[Member],
    votes: list[int],
    substitutes: int,
    office: str = "",
) -> Election:
    """A paper election, open now, in which ``standing[i]`` gets ``votes[i]`` ballots; counted."""
    now = datetime.now(tz=UTC)
    election = services.election_create(
        actor=actor,
        body_id=body.pk,
        council_id=council.pk,
        title=f"Elección en {body.name}",
        method="plurality",
        mode="paper",
        opens_at=now,
        closes_at=now + timedelta(hours=4),
        substitutes=substitutes,
        office=office,
    )
    keys = [
        services.candidate_nominate(actor=actor, election_id=election.pk, member_id=m.pk).pk
        for m in standing
    ]
    services.paper_tally_enter(
        actor=actor,
        election_id=election.pk,
        ballots=[([key], n) for key, n in zip(keys, votes, strict=True)],
    )
    return services.election_count(actor=actor, election_id=election.pk)
