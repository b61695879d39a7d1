"""Public lookups for the election pages: views get elections, candidates and nominees only
through these (``lookup_*``: no actor, the only refusal is "not found"). Elections are public
(like bodies); who may act is decided by the services at the instant of the action."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from consejo.bodies.models import Member
from consejo.core.errors import NotFound
from consejo.elections.models import Candidate, Election
from consejo.mandates.electorate import electors


def lookup_election(*, election_id: int) -> Election:
    """An election by its number, with its body and council."""
    election = Election.objects.select_related("body", "council").filter(pk=election_id).first()
    if election is None:
        raise NotFound(_("no election %(id)s") % {"id": election_id})
    return election


def lookup_candidate(*, election: Election, candidate_id: int) -> Candidate:
    """A candidate of ``election``; one of another election is "not found" here."""
    candidate = Candidate.objects.filter(pk=candidate_id, election=election).first()
    if candidate is None:
        raise NotFound(
            _("%(election)s has no candidate %(id)s") % {"election": election, "id": candidate_id}
        )
    return candidate


def lookup_nominee(*, election: Election, member_id: int, at: datetime) -> Member:
    """An elector of the electing body (a current member; a council's sitting delegate), to be
    nominated; anyone else is "not found"."""
    member = electors(election.body, at).filter(pk=member_id).first()
    if member is None:
        raise NotFound(
            _("%(body)s has no current member %(id)s") % {"body": election.body, "id": member_id}
        )
    return member
