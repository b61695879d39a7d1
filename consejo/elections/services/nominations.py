"""Nominations: a member nominates a fellow member; the nominee accepts or withdraws."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    is_operator,
    is_secretary,
    require,
)
from consejo.bodies.models import (
    Member,
)
from consejo.common.actors import Actor
from consejo.common.rows import row_created, row_of
from consejo.common.text import clean_text
from consejo.core import elections as rules
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.elections.models import Ballot, BallotMode, Candidate, Election
from consejo.elections.services._rows import _election, _phase
from consejo.ledger.kinds import Kind
from consejo.ledger.services import commit, ledger_append, service_instant
from consejo.mandates.electorate import is_elector, not_an_elector


def candidate_nominate(
    *,
    actor: Actor,
    election_id: int,
    member_id: int,
    statement: str = "",
    at: datetime | None = None,
) -> Candidate:
    """Nominate a member: any member of the electing body may nominate a fellow member.

    A member who nominates themselves, and a nomination the secretary enters for someone who
    said yes in the assembly, stand at once; anyone else's nomination waits for the nominee to
    accept.
    """
    statement = clean_text(statement, label=_("statement"), max_length=1000, lines=True)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        election = _election(election_id)
        nominator = actor_member(actor)
        secretary = is_operator(actor) or is_secretary(actor, election.body, at)
        require(
            secretary or is_elector(nominator, election.body, at),
            actor=actor,
            action=gettext_noop("nominate a candidate"),
            target=election,
        )
        _require_nominations_open(election, at)
        member = row_of(Member, member_id, _("no such member"))
        if not is_elector(member, election.body, at):
            raise InvalidInput(not_an_elector(member, election.body))
        accepted = secretary or (nominator is not None and nominator.pk == member.pk)
        candidate = row_created(
            Candidate,
            _("%(member)s is already nominated in this election") % {"member": member},
            election=election,
            member=member,
            nominated_by=nominator,
            statement=statement,
            nominated_at=at,
            accepted_at=at if accepted else None,
        )
        ledger_append(
            Kind.CANDIDATE_NOMINATED,
            {
                "election": election.pk,
                "candidate": candidate.pk,
                "member": member.pk,
                "nominated_by": nominator.pk if nominator else None,
                "accepted": accepted,
                "statement": commit(candidate, "statement"),
                "by": actor_ref(actor),
            },
            at=at,
        )
    return candidate


def candidate_accept(*, actor: Actor, candidate_id: int, at: datetime | None = None) -> Candidate:
    """The nominee accepts (or the secretary records that they accepted in the assembly)."""
    return _candidate_decide(actor=actor, candidate_id=candidate_id, accept=True, at=at)


def candidate_withdraw(*, actor: Actor, candidate_id: int, at: datetime | None = None) -> Candidate:
    """The nominee declines or withdraws (or the secretary records it), before voting opens."""
    return _candidate_decide(actor=actor, candidate_id=candidate_id, accept=False, at=at)


def _require_nominations_open(election: Election, at: datetime) -> None:
    refusal = rules.nomination_refusal(
        paper=election.mode == BallotMode.PAPER,
        phase=_phase(election, at),
        tally_entered=Ballot.objects.filter(election=election).exists(),
    )
    if refusal is rules.Refusal.TALLY_ENTERED:
        raise Conflict(_("the ballots are already entered: nominations are closed"))
    if refusal is rules.Refusal.VOTING_OPENED:
        raise Conflict(_("nominations closed when voting opened"))


def _candidate_decide(
    *, actor: Actor, candidate_id: int, accept: bool, at: datetime | None
) -> Candidate:
    with transaction.atomic(durable=True):
        at = service_instant(at)
        candidate = (
            Candidate.objects.select_related("election__body", "member")
            .filter(pk=candidate_id)
            .first()
        )
        if candidate is None:
            raise NotFound(_("no such candidate"))
        election = candidate.election
        me = actor_member(actor)
        require(
            (me is not None and me.pk == candidate.member_id)
            or is_operator(actor)
            or is_secretary(actor, election.body, at),
            actor=actor,
            action=gettext_noop("accept or decline a nomination"),
            target=candidate,
        )
        _require_nominations_open(election, at)
        if candidate.withdrawn_at is not None:
            raise Conflict(_("this candidate has withdrawn"))
        if accept:
            if candidate.accepted_at is not None:
                raise Conflict(_("this nomination is already accepted"))
            candidate.accepted_at = at
        else:
            candidate.withdrawn_at = at
        candidate.save(update_fields=["accepted_at", "withdrawn_at"])
        ledger_append(
            Kind.CANDIDATE_ACCEPTED if accept else Kind.CANDIDATE_WITHDRAWN,
            {
                "election": election.pk,
                "candidate": candidate.pk,
                "member": candidate.member_id,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return candidate
