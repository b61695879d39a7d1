"""Voting: a member casts a ballot while voting is open; a secret box is closed after it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_member,
    is_operator,
    is_secretary,
    refuse,
    require,
)
from consejo.boxes import services as boxes
from consejo.boxes.models import Trustee
from consejo.common.actors import Actor
from consejo.common.rows import row_created
from consejo.core import elections as rules
from consejo.core.counting.methods import METHODS
from consejo.core.errors import Conflict, InvalidInput
from consejo.elections.models import Ballot, BallotMode, Election, Voter
from consejo.elections.selectors import (
    standing_candidates,
)
from consejo.elections.services._rows import _box, _election, _phase
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.mandates.electorate import is_elector


def ballot_cast(
    *, actor: Actor, election_id: int, choices: Sequence[int], at: datetime | None = None
) -> str | None:
    """Cast the actor's ballot: ``choices`` are candidate keys, in order of preference.

    Rule: the voter is a member of the electing body at this instant and voting is open; one
    ballot per member, kept by the database. A secret ballot is sealed to the election key as
    it is received (consejo.boxes.services.box_seal) and stored apart from the record that the
    member voted; the ledger records only that the member voted; the plaintext is never written.
    Returns the sealed ballot's tracker. An open ballot is recorded with its voter, in the
    ledger too; it has no tracker.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        election = _election(election_id)
        voter = actor_member(actor)
        current_phase = _phase(election, at)
        refusal = rules.ballot_refusal(
            entitled=is_elector(voter, election.body, at),
            paper=election.mode == BallotMode.PAPER,
            phase=current_phase,
            has_voted=Voter.objects.filter(election=election, member=voter).exists(),
        )
        if voter is None or refusal is rules.Refusal.NOT_ENTITLED:
            refuse(actor=actor, action=gettext_noop("vote in this election"), target=election)
        if refusal is rules.Refusal.ON_PAPER:
            raise InvalidInput(_("this election is counted on paper: vote in the assembly"))
        if refusal is rules.Refusal.NOT_VOTING:
            raise Conflict(_("voting is not open (%(phase)s)") % {"phase": _(current_phase.value)})
        if refusal is rules.Refusal.ALREADY_VOTED:
            raise Conflict(_("you have already voted in this election"))
        standing = standing_candidates(election)
        method = METHODS[election.method]
        chosen = rules.check_choices(
            choices,
            standing=[c.pk for c in standing],
            ranked=method.ranked,
            max_marks=election.seats if method.marks_at_most_seats else None,
        )
        row_created(
            Voter, _("you have already voted in this election"), election=election, member=voter
        )
        secret = election.mode == BallotMode.SECRET
        tracker = None
        if secret:
            box = _box(election)
            boxes.box_fix_width(box, len(standing))
            position = {c.pk: p for p, c in enumerate(standing)}
            tracker = boxes.box_seal(box, [position[c] for c in chosen], width=len(standing))
        else:
            Ballot.objects.create(election=election, choices=list(chosen), member=voter)
        payload: dict[str, object] = {"election": election.pk, "member": voter.pk}
        if not secret:
            payload["choices"] = list(chosen)  # candidate ids: the ledger carries no names
        ledger_append(Kind.BALLOT_CAST, payload, at=at)
    return tracker


def election_close(*, actor: Actor, election_id: int, at: datetime | None = None) -> Election:
    """Close a secret election's ballot box once voting has closed, and mix it, so that its
    trustees can decrypt the mix: the secretary's work, or any trustee's.

    Rule: after the polling period only; once. ``box.closed`` records the number of voters and
    of sealed ballots and the digest of the sorted sealed ballots; the count checks them again.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        election = _election(election_id, lock=True)
        if election.mode != BallotMode.SECRET:
            raise InvalidInput(_("only a secret ballot has a box to close"))
        box = _box(election)
        me = actor_member(actor)
        trustee = me is not None and Trustee.objects.filter(box=box, member=me).exists()
        require(
            trustee or is_operator(actor) or is_secretary(actor, election.body, at),
            actor=actor,
            action=gettext_noop("close the ballot box"),
            target=election,
        )
        if at < election.closes_at:
            raise Conflict(_("voting is still open until %(at)s") % {"at": election.closes_at})
        boxes.box_close(box, voters=Voter.objects.filter(election=election).count(), at=at)
    return election
