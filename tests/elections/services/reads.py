"""What the service tests read back: a login's member, a roster member, the payloads of the
ledger's entries of a kind, and the count of every row an election service writes."""

from __future__ import annotations

import json
from typing import Any

from consejo.bodies.models import Member
from consejo.boxes.models import Box, SealedBallot
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.mandates.models import Mandate
from tests.builders import SmallFederation


def member_of(user: Any) -> Member:
    return Member.objects.get(user=user)


def roster_member(fed: SmallFederation, index: int) -> Member:
    return Member.objects.get(name=fed.neighborhood_names[index])


def entries(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(payload)
        for payload in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def snapshot() -> tuple[object, ...]:
    """Counts of every row an election service writes: a refused action changes none."""
    return (
        LedgerEntry.objects.count(),
        Election.objects.count(),
        Candidate.objects.count(),
        Voter.objects.count(),
        Ballot.objects.count(),
        Box.objects.count(),
        SealedBallot.objects.count(),
        Mandate.objects.count(),
    )
