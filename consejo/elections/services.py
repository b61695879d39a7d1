"""The one write path for elections: create, nominate, accept, withdraw, vote, enter a paper
tally, count (which seats the delegation).

Each service is one durable transaction: take the ledger lock and fix the instant, check
authority and the election's phase at that instant, write (constraints keep one ballot per
member), append the ledger entry last. The rules themselves live in consejo.core.elections and
consejo.core.counting.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    current,
    is_member,
    is_operator,
    is_secretary,
    refuse,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    Body,
    Federation,
    Member,
)
from consejo.boxes import services as boxes
from consejo.boxes.models import Box, SealedBallot, Trustee
from consejo.common.actors import Actor
from consejo.common.errors import user_message
from consejo.common.rows import row_of
from consejo.common.text import clean_text
from consejo.core import elections as rules
from consejo.core.counting.ballots import make_election
from consejo.core.counting.methods import METHODS
from consejo.core.counting.methods import count as count_ballots
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.core.ledger import format_instant, json_digest
from consejo.elections.models import Ballot, BallotMode, Candidate, Election, Voter
from consejo.elections.selectors import (
    box_of,
    candidate_labels,
    election_reference,
    standing_candidates,
)
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry, LedgerHead
from consejo.ledger.services import commit, ledger_append, service_instant
from consejo.mandates.services import delegation_seat

#: The most ballot rows a paper tally may hold (distinct ballots, each with its count).
MAX_TALLY_ROWS = 100_000


def election_create(
    *,
    actor: Actor,
    body_id: int,
    council_id: int,
    title: str,
    method: str,
    mode: str,
    opens_at: datetime,
    closes_at: datetime,
    seats: int | None = None,
    substitutes: int | None = None,
    trustee_ids: Sequence[int] = (),
    threshold: int | None = None,
    at: datetime | None = None,
) -> Election:
    """Call an election: the members of the electing body elect ``seats`` people into a council.

    The council is one the body sends delegates to (then the seats are those apportioned to the
    body there, unless no apportionment exists yet), or a committee of the body. Online
    ballots need a nomination period first: voting opens after the election is called.
    ``substitutes`` defaults to as many as the seats. A secret ballot names its trustees
    (``trustee_ids``: at least three members of the body or of the council, each with a login), any
    ``threshold`` of whom open the box (default: a majority); they make the election key
    before voting opens (consejo.boxes.services.trustee_step).
    """
    title = clean_text(title, label=_("title"), max_length=200, required=True)
    if method not in METHODS:
        raise InvalidInput(_("unknown counting method: %(method)s") % {"method": method})
    if mode not in BallotMode.values:
        raise InvalidInput(_("unknown kind of ballot: %(mode)s") % {"mode": mode})
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise InvalidInput(_("an instant must carry its time zone"))
    try:
        opens_at, closes_at = opens_at.astimezone(UTC), closes_at.astimezone(UTC)
    except OverflowError as error:  # year 9999 in one zone can be year 10000 in UTC
        raise InvalidInput(_("an instant lies outside the years 1 to 9999")) from error
    if closes_at <= opens_at:
        raise InvalidInput(_("voting must close after it opens"))
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = row_of(Body, body_id, _("no such body"))
        council = row_of(Body, council_id, _("no such body"))
        require_secretary_or_operator(actor, body, at, gettext_noop("call an election"))
        if council.kind not in COUNCIL_KINDS:
            raise InvalidInput(_("%(body)s is not a council or committee") % {"body": council})
        delegates_to = Federation.objects.filter(current(at), body=body, parent=council).exists()
        committee_of = Federation.objects.filter(current(at), body=council, parent=body).exists()
        if not delegates_to and not committee_of:
            raise InvalidInput(
                _("%(body)s neither sends delegates to %(council)s nor has it as a committee")
                % {"body": body, "council": council}
            )
        seats = _seats(body, council, seats, delegates_to)
        if method == "irv" and seats != 1:
            # The count (consejo.core.counting.irv) refuses more than one seat: say so now, not
            # after the ballots are in.
            raise InvalidInput(
                _(
                    "instant-runoff (IRV) fills one seat and this election fills %(n)d: "
                    "choose Scottish or Meek STV"
                )
                % {"n": seats}
            )
        if substitutes is None:
            substitutes = seats
        if not 0 <= substitutes <= 100:
            raise InvalidInput(_("substitutes must be from 0 to 100"))
        if mode != BallotMode.PAPER and opens_at <= at:
            raise InvalidInput(
                _("online voting must open later than now, so that candidates can be nominated")
            )
        election = Election.objects.create(
            body=body,
            council=council,
            title=title,
            method=method,
            mode=mode,
            seats=seats,
            substitutes=substitutes,
            opens_at=opens_at,
            closes_at=closes_at,
            created_at=at,
            created_by_id=actor_ref(actor),
        )
        if mode != BallotMode.SECRET and trustee_ids:
            raise InvalidInput(_("only a secret ballot has trustees"))
        ledger_append(
            Kind.ELECTION_CALLED,
            {
                "election": election.pk,
                "body": body.slug,
                "council": council.slug,
                "title": title,
                "method": method,
                "mode": mode,
                "seats": seats,
                "substitutes": substitutes,
                "opens_at": format_instant(opens_at),
                "closes_at": format_instant(closes_at),
                "by": actor_ref(actor),
            },
            at=at,
        )
        if mode == BallotMode.SECRET:
            if len(trustee_ids) < 3:
                raise InvalidInput(_("a secret ballot needs at least three trustees"))
            boxes.box_prepare(
                body=body,
                purpose=election_reference(election),
                trustees=_trustees(trustee_ids),
                threshold=threshold,
                ranked=METHODS[method].ranked,
                at=at,
                also=council,
            )
    return election


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
            secretary or (nominator is not None and is_member(nominator, election.body, at)),
            actor=actor,
            action=gettext_noop("nominate a candidate"),
            target=election,
        )
        _require_nominations_open(election, at)
        member = row_of(Member, member_id, _("no such member"))
        if not is_member(member, election.body, at):
            raise InvalidInput(
                _("%(member)s is not a member of %(body)s")
                % {"member": member, "body": election.body}
            )
        accepted = secretary or (nominator is not None and nominator.pk == member.pk)
        try:
            with transaction.atomic():
                candidate = Candidate.objects.create(
                    election=election,
                    member=member,
                    nominated_by=nominator,
                    statement=statement,
                    nominated_at=at,
                    accepted_at=at if accepted else None,
                )
        except IntegrityError as error:
            raise Conflict(
                _("%(member)s is already nominated in this election") % {"member": member}
            ) from error
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
            entitled=voter is not None and is_member(voter, election.body, at),
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
        try:
            with transaction.atomic():
                Voter.objects.create(election=election, member=voter)
        except IntegrityError as error:
            raise Conflict(_("you have already voted in this election")) from error
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
        )
    return election


# --- private helpers shared by the services above (they run inside the caller's transaction) ---


def _election(election_id: int, *, lock: bool = False) -> Election:
    query = Election.objects.select_related("body", "council")
    if lock:
        query = query.select_for_update(of=("self",))
    election = query.filter(pk=election_id).first()
    if election is None:
        raise NotFound(_("no such election"))
    return election


def _trustees(member_ids: Sequence[int]) -> list[Member]:
    """The members named as trustees, in the order given; InvalidInput names every key that is
    no member's."""
    found = Member.objects.in_bulk([pk for pk in member_ids if isinstance(pk, int)])
    missing = [str(pk) for pk in member_ids if pk not in found]
    if missing:
        raise InvalidInput(_("no such member: %(ids)s") % {"ids": ", ".join(missing)})
    return [found[pk] for pk in member_ids]


def _box(election: Election) -> Box:
    box = box_of(election)
    if box is None:
        raise Conflict(_("this secret election has no sealed ballot box"))
    return box


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


def _phase(election: Election, at: datetime) -> rules.Phase:
    return rules.phase(
        opens_at=election.opens_at,
        closes_at=election.closes_at,
        counted=election.counted_at is not None,
        at=at,
    )


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


def _seats(body: Body, council: Body, seats: int | None, delegates_to: bool) -> int:
    apportioned = None
    if delegates_to:
        # The council's newest apportionment decides, even when it gives this body no row (an
        # older one may still list seats the body no longer holds).
        latest = (
            Apportionment.objects.filter(council=council).order_by("-computed_at", "-id").first()
        )
        if latest is not None:
            row = ApportionedSeats.objects.filter(apportionment=latest, body=body).first()
            apportioned = row.seats if row is not None else 0
            if apportioned == 0:
                raise InvalidInput(
                    _("%(body)s holds no seats in %(council)s now: nobody to elect")
                    % {"body": body, "council": council}
                )
    if apportioned is not None:
        if seats is not None and seats != apportioned:
            raise InvalidInput(
                _("%(body)s holds %(n)d seats in %(council)s; an election fills exactly those")
                % {"body": body, "n": apportioned, "council": council}
            )
        seats = apportioned
    if seats is None:
        raise InvalidInput(_("say how many seats to fill"))
    if not 1 <= seats <= 1000:
        raise InvalidInput(_("seats must be from 1 to 1000"))
    return seats


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
