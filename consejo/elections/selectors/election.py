"""Reads of an election that its pages, the API, the services and the exports share: its phase,
the elections of a body, the election page's view for one person, the ballots and the turnout,
the candidates on the ballot, its sealed box, and where a body may elect people to."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet, Sum

from consejo.bodies.authority import current, is_operator, is_secretary
from consejo.bodies.models import Body, Member
from consejo.boxes.models import Box, SealedBallot
from consejo.common.actors import Actor
from consejo.core import elections as rules
from consejo.core.counting.methods import METHODS
from consejo.core.references import reference
from consejo.elections.models import Ballot, BallotMode, Candidate, Election, Voter
from consejo.mandates.electorate import electors, is_elector
from consejo.mandates.models import Mandate
from consejo.mandates.selectors import origin_mandates


@dataclass(frozen=True)
class ElectionState:
    """What the election page shows a given person at a given instant."""

    election: Election
    phase: rules.Phase
    candidates: list[Candidate]
    standing: list[Candidate]
    voters: int
    ballots: int
    my_member: Member | None
    is_member: bool
    has_voted: bool
    may_manage: bool
    may_vote: bool
    may_nominate: bool
    ranked: bool
    max_marks: int | None
    mandates: list[Mandate]


def election_phase(election: Election, at: datetime) -> rules.Phase:
    return rules.phase(
        opens_at=election.opens_at,
        closes_at=election.closes_at,
        counted=election.counted_at is not None,
        at=at,
    )


def election_list(*, at: datetime, body: Body | None = None) -> list[tuple[Election, str]]:
    """Elections (newest first) with their phase at ``at``."""
    query: QuerySet[Election] = Election.objects.select_related("body", "council")
    if body is not None:
        query = query.filter(body=body)
    return [(e, election_phase(e, at).value) for e in query[:200]]


def election_state(*, election: Election, actor: Actor, at: datetime) -> ElectionState:
    """Everything the election page needs for ``actor`` at ``at``."""
    candidates = list(
        Candidate.objects.filter(election=election)
        .select_related("member", "nominated_by")
        .order_by("member__name", "pk")
    )
    standing = [c for c in candidates if c.standing]
    my_member = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        my_member = Member.objects.filter(user_id=actor.pk).first()
    is_member = is_elector(my_member, election.body, at)
    has_voted = (
        my_member is not None and Voter.objects.filter(election=election, member=my_member).exists()
    )
    phase = election_phase(election, at)
    paper = election.mode == BallotMode.PAPER
    method = METHODS[election.method]
    ballots = ballots_cast(election)
    may_manage = is_operator(actor) or is_secretary(actor, election.body, at)
    return ElectionState(
        election=election,
        phase=phase,
        candidates=candidates,
        standing=standing,
        voters=Voter.objects.filter(election=election).count(),
        ballots=ballots,
        my_member=my_member,
        is_member=is_member,
        has_voted=has_voted,
        may_manage=may_manage,
        may_vote=rules.ballot_refusal(
            entitled=is_member, paper=paper, phase=phase, has_voted=has_voted
        )
        is None,
        may_nominate=rules.may_nominate(
            entitled=is_member or may_manage,
            paper=paper,
            phase=phase,
            tally_entered=paper and ballots > 0,
        ),
        ranked=method.ranked,
        max_marks=election.seats if method.marks_at_most_seats else None,
        mandates=origin_mandates(reference("election", election.pk)),
    )


def ballots_cast(election: Election) -> int:
    """How many ballots the election holds: rows (open, paper, counted), or the sealed box's
    ballots until it is opened."""
    rows = Ballot.objects.filter(election=election).aggregate(n=Sum("weight"))["n"] or 0
    if rows or election.mode != BallotMode.SECRET:
        return int(rows)
    return SealedBallot.objects.filter(box__purpose=election_reference(election)).count()


def turnout(election: Election, at: datetime) -> tuple[int, int]:
    """Voters so far and the electors of the electing body at ``at`` (its members, or a
    council's sitting delegates: consejo.mandates.electorate)."""
    return Voter.objects.filter(election=election).count(), electors(election.body, at).count()


def standing_candidates(election: Election) -> list[Candidate]:
    """The candidates on the ballot, in ballot-paper order (by name, then by nomination)."""
    return list(
        Candidate.objects.filter(
            election=election, accepted_at__isnull=False, withdrawn_at__isnull=True
        )
        .select_related("member")
        .order_by("member__name", "pk")
    )


def candidate_labels(standing: list[Candidate]) -> tuple[str, ...]:
    """The candidates' names as the count prints them; namesakes get their member number."""
    names = [c.member.name for c in standing]
    return tuple(
        f"{c.member.name} (#{c.member.pk})" if names.count(c.member.name) > 1 else c.member.name
        for c in standing
    )


@dataclass(frozen=True)
class CouncilChoice:
    """A council or committee an election in ``body`` may fill, with the seats apportioned there."""

    council: Body
    seats: int | None  # the seats ``body`` holds there (None: a committee, or not apportioned)
    committee: bool


def election_councils(*, body: Body, at: datetime) -> list[CouncilChoice]:
    """Where the members of ``body`` may elect people to at ``at``: the councils it sends
    delegates to (with its apportioned seats) and its own committees, by name."""
    from consejo.bodies.models import COUNCIL_KINDS, ApportionedSeats, Federation

    parents = [
        link.parent
        for link in Federation.objects.filter(current(at), body=body).select_related("parent")
        if link.parent.kind in COUNCIL_KINDS
    ]
    committees = [
        link.body
        for link in Federation.objects.filter(current(at), parent=body).select_related("body")
        if link.body.kind in COUNCIL_KINDS
    ]
    seats: dict[int, int] = {}
    rows = (
        ApportionedSeats.objects.filter(
            body=body, apportionment__council__in=[c.pk for c in parents]
        )
        .order_by("apportionment__council_id", "-apportionment__computed_at", "-apportionment__id")
        .values_list("apportionment__council_id", "seats")
    )
    for council_id, n in rows:
        seats.setdefault(council_id, n)
    choices = [CouncilChoice(c, seats.get(c.pk), False) for c in parents]
    choices += [CouncilChoice(c, None, True) for c in committees if c.pk not in seats]
    return sorted(choices, key=lambda choice: (choice.committee, choice.council.name))


def election_reference(election: Election) -> str:
    """The reference to an election (consejo.core.references): how its sealed box names what it
    is for, and its mandates what seated them."""
    return reference("election", election.pk)


def box_of(election: Election) -> Box | None:
    """A secret election's sealed box (consejo.boxes), or None."""
    if election.mode != BallotMode.SECRET:
        return None
    return Box.objects.filter(purpose=election_reference(election)).first()


def members_by_id(ids: list[int]) -> dict[int, Member]:
    """The members of ``ids`` that exist, by id (the API names trustees by member id)."""
    return Member.objects.in_bulk(ids)


def trustee_choices(*, body: Body, at: datetime) -> list[Member]:
    """Who may be named a trustee of a secret vote of ``body``: its electors (members, or a
    council's sitting delegates) with a login (a trustee acts only through their own), by name."""
    return list(
        electors(body, at)
        .filter(user__isnull=False, user__is_active=True)
        .order_by("name", "pk")[:200]
    )


def nominations_open(election: Election, *, ballots: int, at: datetime) -> bool:
    """Whether nominations are open (``core.elections.nomination_refusal``); ``ballots`` are
    those the election holds (entered, for a paper election)."""
    paper = election.mode == BallotMode.PAPER
    refusal = rules.nomination_refusal(
        paper=paper, phase=election_phase(election, at), tally_entered=paper and ballots > 0
    )
    return refusal is None
