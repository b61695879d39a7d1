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

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from consejo.api.auth import TokenAuth
from consejo.api.elections_schemas import (
    BallotIn,
    BallotReceiptOut,
    CandidateOut,
    ElectionDetailOut,
    ElectionIn,
    ElectionOut,
    Key,
    NominationIn,
    ResultOut,
    TallyIn,
    TallyOut,
    candidate_out,
    candidates_out,
    detail,
    election_out,
    result_out,
)
from consejo.api.schemas import (
    TOKEN,
    AddressText,
    errors,
)
from consejo.bodies.access import access_roster, lookup_body
from consejo.bodies.authority import require_names_visible
from consejo.common import ratelimit
from consejo.core.errors import Conflict
from consejo.core.visibility import Names
from consejo.elections import services
from consejo.elections.access import lookup_candidate, lookup_election, lookup_nominee
from consejo.elections.selectors import (
    box_of,
    election_blt,
    election_list,
    election_state,
)

router = Router(tags=["elections"])


# --- elections --------------------------------------------------------------------------------


@router.get(
    "/",
    response={200: list[ElectionOut], **errors(404)},
    summary="Elections, newest first (?body=slug)",
)
def list_elections(request: HttpRequest, body: AddressText = "") -> list[ElectionOut]:
    at = timezone.now()
    electing = lookup_body(slug=body) if body else None
    return [election_out(e, phase) for e, phase in election_list(at=at, body=electing)]


@router.post(
    "/",
    response={201: ElectionDetailOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Call an election (the electing body's secretary)",
)
def create_election(request: HttpRequest, data: ElectionIn) -> Status:
    body = lookup_body(slug=data.body)
    council = lookup_body(slug=data.council)
    election = services.election_create(
        actor=request.user,
        body_id=body.pk,
        council_id=council.pk,
        title=data.title,
        method=data.method,
        mode=data.mode,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        seats=data.seats,
        substitutes=data.substitutes,
        trustee_ids=data.trustees,
        threshold=data.threshold,
        office=data.office,
    )
    return Status(201, detail(request, election.pk))


@router.get(
    "/{election_id}",
    response={200: ElectionDetailOut, **errors(404)},
    summary="One election: phase, turnout, and its candidates for those who may see the roster",
)
def get_election(request: HttpRequest, election_id: Key) -> ElectionDetailOut:
    return detail(request, election_id)


# --- candidates -------------------------------------------------------------------------------


@router.get(
    "/{election_id}/candidates",
    response={200: list[CandidateOut], **errors(*TOKEN)},
    auth=TokenAuth(),
    summary="The candidates, nominated, standing and withdrawn (for those who may see the roster)",
)
def list_candidates(request: HttpRequest, election_id: Key) -> list[CandidateOut]:
    election = lookup_election(election_id=election_id)
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    view = election_state(election=election, actor=request.user, at=timezone.now())
    return candidates_out(view.candidates)


@router.post(
    "/{election_id}/candidates",
    response={201: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Nominate a member of the electing body (any member; oneself or by the secretary: "
    "standing at once)",
)
def nominate(request: HttpRequest, election_id: Key, data: NominationIn) -> Status:
    at = timezone.now()
    election = lookup_election(election_id=election_id)
    # Who is not allowed to see the roster may not learn from a 404 who is a member.
    access_roster(actor=request.user, body=election.body)
    member = lookup_nominee(election=election, member_id=data.member, at=at)
    candidate = services.candidate_nominate(
        actor=request.user, election_id=election.pk, member_id=member.pk, statement=data.statement
    )
    return Status(201, candidate_out(request, election, candidate.pk))


@router.post(
    "/{election_id}/candidates/{candidate_id}/accept",
    response={200: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The nominee accepts (or the secretary records it), before voting opens",
)
def accept(request: HttpRequest, election_id: Key, candidate_id: Key) -> CandidateOut:
    election = lookup_election(election_id=election_id)
    candidate = lookup_candidate(election=election, candidate_id=candidate_id)
    services.candidate_accept(actor=request.user, candidate_id=candidate.pk)
    return candidate_out(request, election, candidate.pk)


@router.post(
    "/{election_id}/candidates/{candidate_id}/withdraw",
    response={200: CandidateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The nominee declines or withdraws (or the secretary records it), before voting opens",
)
def withdraw(request: HttpRequest, election_id: Key, candidate_id: Key) -> CandidateOut:
    election = lookup_election(election_id=election_id)
    candidate = lookup_candidate(election=election, candidate_id=candidate_id)
    services.candidate_withdraw(actor=request.user, candidate_id=candidate.pk)
    return candidate_out(request, election, candidate.pk)


# --- ballots, tally, count --------------------------------------------------------------------


@router.post(
    "/{election_id}/ballots",
    response={201: BallotReceiptOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Cast your ballot: candidates by id, in order of preference (members, while voting "
    "is open; once)",
)
def cast_ballot(request: HttpRequest, election_id: Key, data: BallotIn) -> Status | HttpResponse:
    election = lookup_election(election_id=election_id)
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
    election = lookup_election(election_id=election_id)
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
    election = lookup_election(election_id=election_id)
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
    election = lookup_election(election_id=election_id)
    services.election_count(actor=request.user, election_id=election.pk)
    return result_out(request, lookup_election(election_id=election.pk))


@router.get(
    "/{election_id}/result",
    response={200: ResultOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="The result of the count: every round, the order of merit, the seed, the mandates",
)
def result(request: HttpRequest, election_id: Key) -> ResultOut:
    election = lookup_election(election_id=election_id)
    return result_out(request, election)


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
    election = lookup_election(election_id=election_id)
    require_names_visible(request.user, Names.OFFICE, at=timezone.now())
    if election.counted_at is None:
        raise Conflict(_("the ballots are published once the election is counted"))
    response = HttpResponse(election_blt(election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="election-{election.pk}.blt"'
    return response
