"""API for elections (candidates, ballots, paper tallies, the count, the result).

Elections are public like bodies: anyone may list them and read their phase and turnout. Names
are not: the candidates, the result, the ballots in BLT and the mandates name those who seek and
hold office, and are shown as the one policy says (``core.visibility``, ``Names.OFFICE``: to
members of the federation; docs/privacy.md), as on the pages and in the exports. Writes need a
token; who may do what is decided by the services at the instant of the request.

Secret ballots stay secret here too: casting one answers with no ballot number, and no read
returns anything that links a ballot to its voter (the BLT export groups identical ballots).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status
from pydantic import ConfigDict, Field, Strict, model_validator

from consejo.api.auth import TokenAuth, reader_of
from consejo.api.mandates import MandateOut, mandate_out
from consejo.api.schemas import (
    MAX_KEY,
    TOKEN,
    WHOLE,
    AddressNumber,
    AddressText,
    Instant,
    KeyIn,
    WholeNumber,
    bounds,
    errors,
    one_of,
)
from consejo.bodies.access import access_body, access_roster
from consejo.bodies.authority import names_visible, require_names_visible
from consejo.bodies.models import Member
from consejo.common import ratelimit
from consejo.core.counting.methods import METHODS
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.visibility import Names
from consejo.elections import services
from consejo.elections.access import access_candidate, access_election, access_nominee
from consejo.elections.models import BallotMode, Candidate, Election
from consejo.elections.selectors import (
    box_of,
    election_blt,
    election_list,
    election_phase,
    election_view,
    members_by_id,
    turnout,
)
from consejo.mandates.selectors import mandate_line

router = Router(tags=["elections"])

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


# --- elections --------------------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[ElectionOut], **errors(404)},
    summary="Elections, newest first (?body=slug)",
)
def list_elections(request: HttpRequest, body: AddressText = "") -> list[ElectionOut]:
    at = timezone.now()
    electing = access_body(actor=request.user, slug=body) if body else None
    return [_election_out(e, phase) for e, phase in election_list(at=at, body=electing)]


@router.post(
    "/",
    response={201: ElectionDetailOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Call an election (the electing body's secretary)",
)
def create_election(request: HttpRequest, data: ElectionIn) -> Status:
    body = access_body(actor=request.user, slug=data.body)
    council = access_body(actor=request.user, slug=data.council)
    election = services.election_create(
        actor=request.user,
        body=body,
        council=council,
        title=data.title,
        method=data.method,
        mode=data.mode,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        seats=data.seats,
        substitutes=data.substitutes,
        trustees=_members(data.trustees),
        threshold=data.threshold,
    )
    return Status(201, _detail(request, election.pk))


def _members(ids: list[int]) -> list[Member]:
    found = members_by_id(ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(_("no such member: %(ids)s") % {"ids": ", ".join(map(str, missing))})
    return [found[i] for i in ids]


@router.get(
    "/{election_id}",
    response={200: ElectionDetailOut, **errors(404)},
    summary="One election: phase, turnout, and its candidates for those who may see the roster",
)
def get_election(request: HttpRequest, election_id: Key) -> ElectionDetailOut:
    return _detail(request, election_id)


# --- candidates -------------------------------------------------------------------------------


@router.get(
    "/{election_id}/candidates",
    response={200: list[CandidateOut], **errors(*TOKEN)},
    auth=TokenAuth(),
    summary="The candidates, nominated, standing and withdrawn (for those who may see the roster)",
)
def list_candidates(request: HttpRequest, election_id: Key) -> list[CandidateOut]:
    election = access_election(actor=request.user, election_id=election_id)
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    view = election_view(election=election, actor=request.user, at=timezone.now())
    return _candidates_out(view.candidates)


@router.post(
    "/{election_id}/candidates",
    response={201: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Nominate a member of the electing body (any member; oneself or by the secretary: "
    "standing at once)",
)
def nominate(request: HttpRequest, election_id: Key, data: NominationIn) -> Status:
    at = timezone.now()
    election = access_election(actor=request.user, election_id=election_id)
    # Who is not allowed to see the roster may not learn from a 404 who is a member.
    access_roster(actor=request.user, body=election.body)
    member = access_nominee(actor=request.user, election=election, member_id=data.member, at=at)
    candidate = services.candidate_nominate(
        actor=request.user, election_id=election.pk, member=member, statement=data.statement
    )
    return Status(201, _candidate_out(request, election, candidate.pk))


@router.post(
    "/{election_id}/candidates/{candidate_id}/accept",
    response={200: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The nominee accepts (or the secretary records it), before voting opens",
)
def accept(request: HttpRequest, election_id: Key, candidate_id: Key) -> CandidateOut:
    election = access_election(actor=request.user, election_id=election_id)
    candidate = access_candidate(actor=request.user, election=election, candidate_id=candidate_id)
    services.candidate_accept(actor=request.user, candidate_id=candidate.pk)
    return _candidate_out(request, election, candidate.pk)


@router.post(
    "/{election_id}/candidates/{candidate_id}/withdraw",
    response={200: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The nominee declines or withdraws (or the secretary records it), before voting opens",
)
def withdraw(request: HttpRequest, election_id: Key, candidate_id: Key) -> CandidateOut:
    election = access_election(actor=request.user, election_id=election_id)
    candidate = access_candidate(actor=request.user, election=election, candidate_id=candidate_id)
    services.candidate_withdraw(actor=request.user, candidate_id=candidate.pk)
    return _candidate_out(request, election, candidate.pk)


# --- ballots, tally, count --------------------------------------------------------------------


@router.post(
    "/{election_id}/ballots",
    response={201: BallotReceiptOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Cast your ballot: candidates by id, in order of preference (members, while voting "
    "is open; once)",
)
def cast_ballot(request: HttpRequest, election_id: Key, data: BallotIn) -> Status | HttpResponse:
    election = access_election(actor=request.user, election_id=election_id)
    # The same limit as the ballot page, counted together: the API is no way around it.
    ratelimit.enforce(ratelimit.BALLOTS, actor=request.user, via="API")
    tracker = services.ballot_cast(
        actor=request.user, election_id=election.pk, choices=data.candidates
    )
    # No ballot number: a secret ballot's tracker is the hash of its ciphertexts, which anyone
    # may find in the published list and nobody can open without k trustees.
    receipt = BallotReceiptOut(
        election=election.pk, voted=True, mode=election.mode, tracker=tracker
    )
    return Status(201, receipt)


@router.post(
    "/{election_id}/tally",
    response={200: TallyOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Enter the ballots counted in the assembly (paper elections; the secretary)",
)
def enter_tally(request: HttpRequest, election_id: Key, data: TallyIn) -> TallyOut:
    election = access_election(actor=request.user, election_id=election_id)
    total = services.paper_tally_enter(
        actor=request.user,
        election_id=election.pk,
        ballots=[(row.candidates, row.count) for row in data.ballots],
    )
    return TallyOut(election=election.pk, ballots=total)


class ClosedOut(Schema):
    election: int
    box: str
    ballots: int
    digest: str


@router.post(
    "/{election_id}/close",
    response={200: ClosedOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Close and mix a secret election's box once voting has closed (the secretary or a "
    "trustee), so that its trustees can decrypt",
)
def close(request: HttpRequest, election_id: Key) -> ClosedOut:
    election = access_election(actor=request.user, election_id=election_id)
    services.election_close(actor=request.user, election_id=election.pk)
    box = box_of(election)
    if box is None:
        raise Conflict(_("this secret election has no sealed ballot box"))
    return ClosedOut(
        election=election.pk,
        box=box.reference,
        ballots=box.ballots_at_close or 0,
        digest=box.digest,
    )


@router.post(
    "/{election_id}/count",
    response={200: ResultOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Count the ballots and seat the delegation (the secretary, once voting has closed)",
)
def count(request: HttpRequest, election_id: Key) -> ResultOut:
    election = access_election(actor=request.user, election_id=election_id)
    services.election_count(actor=request.user, election_id=election.pk)
    return _result_out(request, access_election(actor=request.user, election_id=election.pk))


@router.get(
    "/{election_id}/result",
    response={200: ResultOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The result of the count: every round, the order of merit, the seed, the mandates",
)
def result(request: HttpRequest, election_id: Key) -> ResultOut:
    election = access_election(actor=request.user, election_id=election_id)
    return _result_out(request, election)


@router.get(
    "/{election_id}/ballots.blt",
    response=errors(*TOKEN, 409),
    openapi_extra={
        "responses": {
            200: {
                "description": "the ballots in BLT",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }
        }
    },
    auth=TokenAuth(),
    summary="The ballots in the BLT format, to recount with any program (after the count)",
)
def ballots_blt(request: HttpRequest, election_id: Key) -> HttpResponse:
    election = access_election(actor=request.user, election_id=election_id)
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    if election.counted_at is None:
        raise Conflict(_("the ballots are published once the election is counted"))
    response = HttpResponse(election_blt(election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="election-{election.pk}.blt"'
    return response


# --- shaping ----------------------------------------------------------------------------------


def _election_out(election: Election, phase: str) -> ElectionOut:
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


def _detail(request: HttpRequest, election_id: int) -> ElectionDetailOut:
    at = timezone.now()
    reader = reader_of(request)
    election = access_election(actor=reader, election_id=election_id)
    view = election_view(election=election, actor=reader, at=at)
    voters, members = turnout(election, at)
    names = names_visible(reader, Names.OFFICE, at=at)
    return ElectionDetailOut(
        **_election_out(election, view.phase.value).dict(),
        ranked=view.ranked,
        max_marks=view.max_marks,
        nominated=len(view.candidates),
        standing=len(view.standing),
        voters=voters,
        ballots=view.ballots,
        members=members,
        candidates=_candidates_out(view.candidates) if names else None,
        has_voted=view.has_voted,
        may_vote=view.may_vote,
        may_nominate=view.may_nominate,
        may_manage=view.may_manage,
        box=box.reference if (box := box_of(election)) is not None else None,
    )


def _candidates_out(candidates: list[Candidate]) -> list[CandidateOut]:
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


def _candidate_out(request: HttpRequest, election: Election, candidate_id: int) -> CandidateOut:
    view = election_view(election=election, actor=request.user, at=timezone.now())
    return next(c for c in _candidates_out(view.candidates) if c.candidate == candidate_id)


def _result_out(request: HttpRequest, election: Election) -> ResultOut:
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    if election.counted_at is None or election.result is None:
        phase = election_phase(election, timezone.now())
        raise Conflict(
            _("this election has not been counted yet (%(phase)s)") % {"phase": _(phase.value)}
        )
    record = dict(election.result)
    view = election_view(election=election, actor=request.user, at=timezone.now())
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
