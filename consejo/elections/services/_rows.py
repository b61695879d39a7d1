"""The rows an election service reads after the ledger lock, and the phase at that instant."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from consejo.boxes.models import Box
from consejo.core import elections as rules
from consejo.core.errors import Conflict, NotFound
from consejo.elections.models import Election
from consejo.elections.selectors import (
    box_of,
)


def _election(election_id: int, *, lock: bool = False) -> Election:
    query = Election.objects.select_related("body", "council")
    if lock:
        query = query.select_for_update(of=("self",))
    election = query.filter(pk=election_id).first()
    if election is None:
        raise NotFound(_("no such election"))
    return election


def _box(election: Election) -> Box:
    box = box_of(election)
    if box is None:
        raise Conflict(_("this secret election has no sealed ballot box"))
    return box


def _phase(election: Election, at: datetime) -> rules.Phase:
    return rules.phase(
        opens_at=election.opens_at,
        closes_at=election.closes_at,
        counted=election.counted_at is not None,
        at=at,
    )
