"""Counting: a paper tally entered in the assembly, or the online ballots (a secret box opened by
its trustees); the count seats the delegation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_ref,
    require_secretary_or_operator,
)
from consejo.boxes import services as boxes
from consejo.boxes.models import SealedBallot
from consejo.common.actors import Actor
from consejo.common.errors import user_message
from consejo.core import elections as rules
from consejo.core.counting.ballots import make_election
from consejo.core.counting.methods import METHODS, count as count_ballots
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.ledger import json_digest
from consejo.elections.models import Ballot, BallotMode, Candidate, Election, Voter
from consejo.elections.selectors import (
    candidate_labels,
    election_reference,
    standing_candidates,
)
from consejo.elections.services._rows import _box, _election
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry, LedgerHead
from consejo.ledger.services import ledger_append, service_instant
from consejo.mandates.services import delegation_seat

#: The most ballot rows a paper tally may hold (distinct ballots, each with its count).
MAX_TALLY_ROWS = 100_000


def paper_tally_enter(
    *,
    actor: Actor,
    election_id: int,
    ballots: Sequence[tuple[Sequence[int], int]],
    at: datetime | None = None,
) -> int:
    """Enter the ballots counted in the assembly (paper or show of hands): the secretary's work.

    ``ballots`` pairs each distinct ballot (candidate keys, in order of preference) with how many
    were cast. A new entry replaces the previous one until the count (a miscounted pile is
    entered again); the ledger keeps both. Returns the number of ballots.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        election = _election(election_id)
        require_secretary_or_operator(
            actor, election.body, at, gettext_noop("enter the ballots of an assembly")
        )
        if election.mode != BallotMode.PAPER:
            raise InvalidInput(_("this election is voted online; there is no tally to enter"))
        if election.counted_at is not None:
            raise Conflict(_("this election has already been counted"))
        if at < election.opens_at:
            raise InvalidInput(
                _("the assembly has not voted yet: the tally opens when voting does")
            )
        if len(ballots) > MAX_TALLY_ROWS:
            raise InvalidInput(
                _("too many distinct ballots (at most %(n)d)") % {"n": MAX_TALLY_ROWS}
            )
        standing = standing_candidates(election)
        method = METHODS[election.method]
        grouped: dict[tuple[int, ...], int] = {}
        for number, (choices, weight) in enumerate(ballots, start=1):
            if weight < 1 or weight > 10_000_000:
                raise InvalidInput(
                    _("line %(n)d: the number of ballots must be from 1 to 10,000,000")
                    % {"n": number}
                )
            try:
                chosen = rules.check_choices(
                    choices,
                    standing=[c.pk for c in standing],
                    ranked=method.ranked,
                    max_marks=election.seats if method.marks_at_most_seats else None,
                )
            except InvalidInput as error:
                raise InvalidInput(
                    _("line %(n)d: %(error)s") % {"n": number, "error": user_message(error)}
                ) from None
            grouped[chosen] = grouped.get(chosen, 0) + weight
            if grouped[chosen] > 10_000_000:  # lines of one ballot add up: the same bound holds
                raise InvalidInput(
                    _("line %(n)d: the ballots of one kind add up to more than 10,000,000")
                    % {"n": number}
                )
        if not grouped:
            raise InvalidInput(_("the tally holds no ballots"))
        Ballot.objects.filter(election=election).delete()
        Ballot.objects.bulk_create(
            [Ballot(election=election, choices=list(c), weight=w) for c, w in grouped.items()]
        )
        total = sum(grouped.values())
        ledger_append(
            Kind.TALLY_ENTERED,
            {
                "election": election.pk,
                # Candidate ids, never names (docs/privacy.md).
                "ballots": sorted([list(chosen), w] for chosen, w in grouped.items()),
                "total": total,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return total


def election_count(*, actor: Actor, election_id: int, at: datetime | None = None) -> Election:
    """Count the ballots, record the result and seat the delegation: the secretary's work.

    Rule: online ballots are counted once voting has closed, a paper tally once it is entered.
    Candidates stand in the order of their names (the order of a printed ballot paper). Ties no
    rule decides are drawn from a seed taken from the ledger head at this instant
    (:func:`consejo.core.elections.lot_seed`). The elected take the seats as delegates from now;
    the next in order of merit become substitutes; the previous delegation's mandates end.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        election = _election(election_id, lock=True)
        require_secretary_or_operator(actor, election.body, at, gettext_noop("count an election"))
        if election.counted_at is not None:
            raise Conflict(_("this election has already been counted"))
        if election.mode == BallotMode.PAPER:
            if at < election.opens_at:
                raise Conflict(_("the assembly has not voted yet"))
        elif at < election.closes_at:
            raise Conflict(_("voting is still open until %(at)s") % {"at": election.closes_at})
        standing = standing_candidates(election)
        if not standing:
            raise Conflict(_("nobody stands in this election"))
        if election.mode == BallotMode.SECRET:
            _open_the_box(election, standing, at)
        rows = list(Ballot.objects.filter(election=election).values_list("choices", "weight"))
        if not rows:
            raise Conflict(_("no ballots have been cast or entered"))
        labels = candidate_labels(standing)
        index = {c.pk: i for i, c in enumerate(standing)}
        seed = rules.lot_seed(LedgerHead.objects.get(id=1).hash)
        core_election = make_election(
            title=election.title,
            candidates=labels,
            seats=min(election.seats, len(standing)),
            ballots=[(tuple(index[c] for c in choices if c in index), w) for choices, w in rows],
        )
        result = count_ballots(election.method, core_election, seed=seed)
        merit = rules.order_of_merit(result)
        by_label = dict(zip(labels, standing, strict=True))
        delegates = [by_label[name].member for name in result.elected]
        runners_up = [by_label[name].member for name in merit[len(result.elected) :]]
        substitutes = runners_up[: election.substitutes]
        record = result.to_json() | {"order_of_merit": list(merit), "seed": str(seed)}
        entry = ledger_append(
            Kind.ELECTION_COUNTED,
            {
                "election": election.pk,
                "method": election.method,
                "seats": election.seats,
                "seed": str(seed),
                # Candidate ids, in the order of the ballot paper; never names (docs/privacy.md).
                "candidates": [c.pk for c in standing],
                "ballots": [
                    [[standing[c].pk for c in ranking], weight]
                    for ranking, weight in core_election.ballots
                ],
                "elected": [by_label[name].pk for name in result.elected],
                "substitutes": [by_label[name].pk for name in merit[len(result.elected) :]][
                    : election.substitutes
                ],
                "result_digest": json_digest(record),
                "by": actor_ref(actor),
            },
            at=at,
        )
        election.counted_at, election.result, election.seed = at, record, str(seed)
        election.ledger_seq = entry.seq
        election.save(update_fields=["counted_at", "result", "seed", "ledger_seq"])
        delegation_seat(
            constituency_id=election.body_id,
            council_id=election.council_id,
            delegate_ids=[m.pk for m in delegates],
            substitute_ids=[m.pk for m in substitutes],
            origin=election_reference(election),
            at=at,
            by=actor_ref(actor),
            office=election.office,
        )
    return election


def _open_the_box(election: Election, standing: Sequence[Candidate], at: datetime) -> None:
    """Open the sealed box with the trustees' partial decryptions and write its ballots as
    Ballot rows, grouped and sorted by ranking: written by the count's transaction, all at once,
    so neither their order nor their transaction says anything about who cast which."""
    box = _box(election)
    if not SealedBallot.objects.filter(box=box).exists():
        raise Conflict(_("no ballots have been cast or entered"))
    cast = sum(
        1
        for text in LedgerEntry.objects.filter(
            kind=Kind.BALLOT_CAST, payload__startswith=f'{{"election":{election.pk},'
        ).values_list("payload", flat=True)
        if json.loads(text).get("election") == election.pk
    )
    opened = boxes.box_open(
        box, voters=Voter.objects.filter(election=election).count(), cast_entries=cast, at=at
    )
    if box.width != len(standing):
        raise Conflict(_("the ballot paper changed after voting opened: nothing was counted"))
    grouped: dict[tuple[int, ...], int] = {}
    for positions in opened:
        key = tuple(standing[p].pk for p in positions)
        grouped[key] = grouped.get(key, 0) + 1
    Ballot.objects.bulk_create(
        [
            Ballot(election=election, choices=list(choices), weight=weight)
            for choices, weight in sorted(grouped.items())
        ]
    )
