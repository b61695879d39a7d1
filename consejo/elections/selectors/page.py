"""Reads for the election page: the candidates' rows and what the viewer may do."""

from dataclasses import dataclass
from datetime import datetime

from consejo.bodies.authority import names_visible
from consejo.bodies.models import Member
from consejo.boxes.selectors import BoxStatus, box_status
from consejo.common.actors import Actor
from consejo.core import elections as rules
from consejo.core.visibility import Names
from consejo.elections.models import BallotMode, Candidate, Election
from consejo.elections.selectors.election import (
    ElectionState,
    box_of,
    election_state,
    nominations_open,
    turnout,
)
from consejo.mandates.electorate import electors


@dataclass(frozen=True)
class CandidateRow:
    """A candidate on the election page, with what the viewer may do about them."""

    candidate: Candidate
    number: int | None  # the number on the ballot paper (standing candidates), from 1
    status: str  # "nominated", "standing" or "withdrawn"
    mine: bool
    can_accept: bool
    can_withdraw: bool


@dataclass(frozen=True)
class ElectionPage:
    """The election page for one viewer: ``state`` plus the rows and flags the template shows."""

    state: ElectionState
    rows: list[CandidateRow]
    nominations_open: bool
    voters: int
    members: int
    may_tally: bool
    may_count: bool
    online: bool
    matches: list[Member]  # members found by the nomination search
    i_am_candidate: bool
    #: whether the viewer may see who stands and who was seated (``Names.OFFICE``); if not,
    #: ``rows`` is empty and ``hidden`` says how many candidates there are
    names: bool = True
    hidden: int = 0
    #: A secret election's sealed box: where its ceremony and its count stand.
    box: BoxStatus | None = None
    may_close: bool = False
    #: The viewer's number among the box's trustees, if they are one.
    trustee: int | None = None


def election_page(
    *, election: Election, actor: Actor, at: datetime, search: str = ""
) -> ElectionPage:
    """Everything the election page shows ``actor`` at ``at``; ``search`` finds members of the
    electing body to nominate (only for those who may nominate)."""
    state = election_state(election=election, actor=actor, at=at)
    open_ = nominations_open(election, ballots=state.ballots, at=at)
    numbers = {c.pk: i for i, c in enumerate(state.standing, start=1)}
    names = names_visible(actor, Names.OFFICE, at=at)
    rows = []
    for c in state.candidates if names else []:
        mine = state.my_member is not None and c.member_id == state.my_member.pk
        status = "withdrawn" if c.withdrawn_at else ("standing" if c.standing else "nominated")
        decide = open_ and (mine or state.may_manage) and status != "withdrawn"
        rows.append(
            CandidateRow(
                candidate=c,
                number=numbers.get(c.pk),
                status=status,
                mine=mine,
                can_accept=decide and status == "nominated",
                can_withdraw=decide,
            )
        )
    voters, members = turnout(election, at)
    online = election.mode != BallotMode.PAPER
    matches: list[Member] = []
    if search and state.may_nominate:
        taken = {c.member_id for c in state.candidates}
        matches = [
            m
            for m in electors(election.body, at)
            .filter(name__icontains=search)
            .order_by("name", "pk")[:30]
            if m.pk not in taken
        ][:15]
    box = box_of(election)
    sealed = box_status(box) if box is not None else None
    me = state.my_member
    trustee = None
    if sealed is not None and me is not None:
        row = sealed.row_of(me.pk)
        trustee = row.index if row is not None else None
    secret_ready = sealed is None or (
        sealed.step == "decrypt" and sealed.decryptions >= sealed.box.threshold
    )
    return ElectionPage(
        box=sealed,
        trustee=trustee,
        may_close=(
            sealed is not None
            and state.phase is rules.Phase.CLOSED
            and sealed.box.closed_at is None
            and (state.may_manage or trustee is not None)
        ),
        names=names,
        hidden=0 if names else len(state.candidates),
        state=state,
        rows=rows,
        nominations_open=open_,
        voters=voters,
        members=members,
        may_tally=(
            state.may_manage
            and not online
            and election.counted_at is None
            and at >= election.opens_at
        ),
        may_count=(
            state.may_manage
            and election.counted_at is None
            and (
                state.ballots > 0
                if not online
                else state.phase is rules.Phase.CLOSED and state.ballots > 0 and secret_ready
            )
        ),
        online=online,
        matches=matches,
        i_am_candidate=any(row.mine for row in rows),
    )
