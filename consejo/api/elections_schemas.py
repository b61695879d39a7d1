"""The API's schemas for elections (its answers and the bodies it takes) and the functions that
shape the elections, candidates and results the selectors read into them (consejo.api.elections)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Schema
from pydantic import ConfigDict, Field, Strict, model_validator

from consejo.api.auth import reader_of
from consejo.api.mandates import MandateOut, mandate_out
from consejo.api.schemas import (
    MAX_KEY,
    WHOLE,
    AddressNumber,
    Instant,
    KeyIn,
    WholeNumber,
    bounds,
    one_of,
)
from consejo.bodies.authority import names_visible, require_names_visible
from consejo.core.counting.methods import METHODS
from consejo.core.errors import Conflict
from consejo.core.visibility import Names
from consejo.elections import services
from consejo.elections.access import lookup_election
from consejo.elections.choices import BallotMode
from consejo.elections.selectors import (
    box_of,
    election_phase,
    election_state,
    turnout,
)
from consejo.mandates.choices import Office
from consejo.mandates.selectors import mandate_line

if TYPE_CHECKING:  # the models only name types here: interfaces never import them
    from consejo.elections.models import Candidate, Election

Key = Annotated[AddressNumber, Path(..., ge=1, le=MAX_KEY)]
#: A candidate on a ballot: its id, the ``candidate`` of ``GET …/candidates`` (never its

#: ``number``, the place on the ballot paper).
CandidateKey = Annotated[KeyIn, Field(description="a candidate's id (`candidate`)")]

_BY_ID = (
    "name the candidates by their id in `candidates` (the `candidate` of "
    "GET /api/v1/elections/{id}/candidates), not by their `number` on the ballot paper"
)


def _candidates_by_id(data: Any) -> Any:
    """Refuse the names a ballot once had, or could be read to have: ``choices`` said
    "candidate number", which a client could take for the place on the ballot paper."""
    if isinstance(data, dict) and ("choices" in data or "numbers" in data):
        raise ValueError(_BY_ID)
    return data


class ElectionIn(Schema):
    body: str
    council: str
    title: str
    method: Annotated[str, one_of(METHODS)]
    mode: Annotated[str, one_of(BallotMode.values)]
    opens_at: Instant
    closes_at: Instant
    seats: Annotated[int, Strict(), Field(ge=1, le=1000), WHOLE] | None = None
    substitutes: Annotated[int, Strict(), Field(ge=0, le=100), WHOLE] | None = None
    #: A secret ballot's trustees: members of the electing body (ids), each with a login.
    trustees: Annotated[list[KeyIn], Field(max_length=25)] = []
    threshold: Annotated[int, Strict(), Field(ge=2, le=25), WHOLE] | None = None
    #: An election for an office of the body (its council is then the body itself); "" for seats.
    office: Annotated[str, one_of(["", *Office.values])] = ""


class ElectionOut(Schema):
    id: int
    title: str
    body: str
    council: str
    method: str
    mode: str
    seats: int
    substitutes: int
    opens_at: datetime
    closes_at: datetime
    counted_at: datetime | None
    phase: str


class CandidateOut(Schema):
    candidate: int
    member: int
    name: str
    status: str  # "nominated" (waiting to accept), "standing" or "withdrawn"
    number: int | None  # the place on the ballot paper, from 1, for standing candidates
    nominated_by: int | None
    statement: str
    nominated_at: datetime
    accepted_at: datetime | None
    withdrawn_at: datetime | None


class ElectionDetailOut(ElectionOut):
    ranked: bool  # the ballot ranks candidates (1, 2, 3...) rather than marking them
    max_marks: int | None  # a marked ballot marks at most this many
    nominated: int  # candidates nominated, withdrawn ones included
    standing: int  # candidates on the ballot
    voters: int  # members who have voted online
    ballots: int  # ballots cast online or entered from paper
    members: int  # members of the electing body now: turnout is voters / members
    candidates: list[CandidateOut] | None  # None for those who may not see the roster
    # For the reader (the token's user; all false without one), at this instant:
    has_voted: bool
    may_vote: bool
    may_nominate: bool
    may_manage: bool  # the secretary or an operator: tally and count
    #: A secret election's sealed box: its reference, for GET /api/v1/boxes/{reference}.
    box: str | None = None


class NominationIn(Schema):
    member: KeyIn
    statement: str = ""


class BallotIn(Schema):
    """A ballot: the candidates by id, in order of preference (a marked ballot: in any order)."""

    model_config = ConfigDict(extra="forbid")

    candidates: list[CandidateKey] = Field(max_length=1000)

    _by_id = model_validator(mode="before")(_candidates_by_id)


class BallotReceiptOut(Schema):
    election: int
    voted: bool
    mode: str
    #: A secret ballot's tracker: the SHA-256 of the sealed ballot, to find in
    #: GET /api/v1/boxes/{reference}/trackers (null for an open ballot).
    tracker: str | None = None


class TallyRowIn(Schema):
    """Identical ballots of an assembly: the candidates by id, and how many were cast so."""

    model_config = ConfigDict(extra="forbid")

    candidates: list[CandidateKey] = Field(max_length=1000)
    count: Annotated[WholeNumber, bounds(1, 10_000_000)]

    _by_id = model_validator(mode="before")(_candidates_by_id)


class TallyIn(Schema):
    ballots: list[TallyRowIn] = Field(max_length=services.MAX_TALLY_ROWS)


class TallyOut(Schema):
    election: int
    ballots: int  # the total number of ballots entered


class ResultOut(Schema):
    election: int
    method: str
    seats: int
    counted_at: datetime
    seed: str  # the seed of the lot for ties no rule decides (from the ledger head)
    ledger_seq: int | None  # the ledger entry that records the count
    elected: list[str]
    order_of_merit: list[str]
    result: dict[str, Any]  # the stored count: rounds, quota, valid ballots, ties broken by lot
    mandates: list[MandateOut]  # the mandates the count created (still in force or not)


# --- shaping ----------------------------------------------------------------------------------


def election_out(election: Election, phase: str) -> ElectionOut:
    return ElectionOut(
        id=election.pk,
        title=election.title,
        body=election.body.slug,
        council=election.council.slug,
        method=election.method,
        mode=election.mode,
        seats=election.seats,
        substitutes=election.substitutes,
        opens_at=election.opens_at,
        closes_at=election.closes_at,
        counted_at=election.counted_at,
        phase=phase,
    )


def detail(request: HttpRequest, election_id: int) -> ElectionDetailOut:
    at = timezone.now()
    reader = reader_of(request)
    election = lookup_election(election_id=election_id)
    view = election_state(election=election, actor=reader, at=at)
    voters, members = turnout(election, at)
    names = names_visible(reader, Names.OFFICE, at=at)
    return ElectionDetailOut(
        **election_out(election, view.phase.value).dict(),
        ranked=view.ranked,
        max_marks=view.max_marks,
        nominated=len(view.candidates),
        standing=len(view.standing),
        voters=voters,
        ballots=view.ballots,
        members=members,
        candidates=candidates_out(view.candidates) if names else None,
        has_voted=view.has_voted,
        may_vote=view.may_vote,
        may_nominate=view.may_nominate,
        may_manage=view.may_manage,
        box=box.reference if (box := box_of(election)) is not None else None,
    )


def candidates_out(candidates: list[Candidate]) -> list[CandidateOut]:
    numbers = {c.pk: i for i, c in enumerate([c for c in candidates if c.standing], start=1)}
    return [
        CandidateOut(
            candidate=c.pk,
            member=c.member_id,
            name=c.member.name,
            status="withdrawn" if c.withdrawn_at else ("standing" if c.standing else "nominated"),
            number=numbers.get(c.pk),
            nominated_by=c.nominated_by_id,
            statement=c.statement,
            nominated_at=c.nominated_at,
            accepted_at=c.accepted_at,
            withdrawn_at=c.withdrawn_at,
        )
        for c in candidates
    ]


def candidate_out(request: HttpRequest, election: Election, candidate_id: int) -> CandidateOut:
    view = election_state(election=election, actor=request.user, at=timezone.now())
    return next(c for c in candidates_out(view.candidates) if c.candidate == candidate_id)


def result_out(request: HttpRequest, election: Election) -> ResultOut:
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    if election.counted_at is None or election.result is None:
        phase = election_phase(election, timezone.now())
        raise Conflict(
            _("this election has not been counted yet (%(phase)s)") % {"phase": _(phase.value)}
        )
    record = dict(election.result)
    view = election_state(election=election, actor=request.user, at=timezone.now())
    return ResultOut(
        election=election.pk,
        method=election.method,
        seats=election.seats,
        counted_at=election.counted_at,
        seed=election.seed,
        ledger_seq=election.ledger_seq,
        elected=list(record.get("elected", [])),
        order_of_merit=list(record.get("order_of_merit", [])),
        result=record,
        mandates=[
            mandate_out(
                mandate_line(m), constituency=election.body.slug, council=election.council.slug
            )
            for m in view.mandates
        ],
    )
