"""Reads for the election pages, the API and the exports. Nothing here writes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import pgettext

from consejo.bodies.authority import current, is_operator, is_secretary, names_visible
from consejo.bodies.models import Body, Member, Membership
from consejo.boxes.models import Box, SealedBallot
from consejo.boxes.selectors import BoxStatus, box_status
from consejo.core import elections as rules
from consejo.core.counting.ballots import make_election
from consejo.core.counting.blt import write_blt
from consejo.core.counting.methods import METHODS
from consejo.core.references import reference
from consejo.core.visibility import Names
from consejo.elections.models import Ballot, BallotMode, Candidate, Election, Voter
from consejo.elections.notes import round_note
from consejo.mandates.models import Mandate
from consejo.mandates.selectors import origin_mandates


@dataclass(frozen=True)
class ResultRow:
    """One candidate's line in the round-by-round table."""

    name: str
    votes: list[str]  # one figure per round ("" where the candidate was no longer counted)
    elected_round: int | None  # the round that elected them, if any
    excluded_round: int | None
    peak: Decimal  # the most votes they had in any round, for the chart


@dataclass(frozen=True)
class ElectionView:
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


def election_view(*, election: Election, actor: Any, at: datetime) -> ElectionView:
    """Everything the election page needs for ``actor`` at ``at``."""
    candidates = list(
        Candidate.objects.filter(election=election)
        .select_related("member", "nominated_by")
        .order_by("member__name", "pk")
    )
    standing = [c for c in candidates if c.standing]
    my_member = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        my_member = Member.objects.filter(user=actor).first()
    is_member = (
        my_member is not None
        and Membership.objects.filter(current(at), member=my_member, body=election.body).exists()
    )
    has_voted = (
        my_member is not None and Voter.objects.filter(election=election, member=my_member).exists()
    )
    phase = election_phase(election, at)
    paper = election.mode == BallotMode.PAPER
    method = METHODS[election.method]
    ballots = ballots_cast(election)
    may_manage = is_operator(actor) or is_secretary(actor, election.body, at)
    return ElectionView(
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


def result_rows(election: Election) -> list[ResultRow]:
    """The round-by-round table of a counted election: one row per candidate, in order of merit."""
    result = election.result or {}
    rounds = result.get("rounds", [])
    merit = result.get("order_of_merit") or sorted(
        {name for round_ in rounds for name in round_["votes"]}
    )
    rows = []
    for name in merit:
        votes, elected_in, excluded_in, peak = [], None, None, Decimal(0)
        for round_ in rounds:
            figure = round_["votes"].get(name, "")
            votes.append(figure)
            if figure:
                peak = max(peak, Decimal(figure))
            if name in round_["candidates"]:
                if round_["action"] == "elected" and elected_in is None:
                    elected_in = round_["number"]
                if round_["action"] == "excluded":
                    excluded_in = round_["number"]
        rows.append(ResultRow(name, votes, elected_in, excluded_in, peak))
    return rows


def ballots_cast(election: Election) -> int:
    """How many ballots the election holds: rows (open, paper, counted), or the sealed box's
    ballots until it is opened."""
    rows = Ballot.objects.filter(election=election).aggregate(n=Sum("weight"))["n"] or 0
    if rows or election.mode != BallotMode.SECRET:
        return int(rows)
    return SealedBallot.objects.filter(box__purpose=election_reference(election)).count()


def election_blt(election: Election) -> str:
    """The election's ballots in the BLT format, to be recounted with any other program.

    Candidates in ballot-paper order (by name); the ballots grouped, so a secret ballot's rows
    come out in an order that says nothing about the order of voting.
    """
    standing = standing_candidates(election)
    if not standing:
        return ""
    names = candidate_labels(standing)
    index = {c.pk: i for i, c in enumerate(standing)}
    rows = Ballot.objects.filter(election=election).values_list("choices", "weight")
    core = make_election(
        title=election.title,
        candidates=list(names),
        seats=min(election.seats, len(standing)),
        ballots=[(tuple(index[c] for c in choices if c in index), w) for choices, w in rows],
    )
    return write_blt(core)


def election_csv(election: Election) -> str:
    """The round-by-round table as CSV: candidate, then the votes in each round."""
    rows = result_rows(election)
    rounds = (election.result or {}).get("rounds", [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            pgettext("csv", "candidate"),
            *[pgettext("csv", "round %(n)s") % {"n": r["number"]} for r in rounds],
            pgettext("csv", "outcome"),
        ]
    )
    for row in rows:
        outcome = (
            pgettext("csv", "elected in round %(n)s") % {"n": row.elected_round}
            if row.elected_round
            else (
                pgettext("csv", "excluded in round %(n)s") % {"n": row.excluded_round}
                if row.excluded_round
                else ""
            )
        )
        writer.writerow([row.name, *row.votes, outcome])
    writer.writerow([pgettext("csv", "non-transferable"), *[r["exhausted"] for r in rounds], ""])
    return out.getvalue()


def turnout(election: Election, at: datetime) -> tuple[int, int]:
    """Voters so far and the members of the electing body at ``at``."""
    members = (
        Membership.objects.filter(current(at), body=election.body).aggregate(
            n=Count("member", distinct=True)
        )["n"]
        or 0
    )
    return Voter.objects.filter(election=election).count(), members


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


# --- reads for the election pages (consejo.elections.views) ---


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
    """The election page for one viewer: ``view`` plus the rows and flags the template shows."""

    view: ElectionView
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
    """Who may be named a trustee of a secret vote of ``body``: its current members with a
    login (a trustee acts only through their own), by name."""
    return list(
        Member.objects.filter(
            memberships__in=Membership.objects.filter(current(at), body=body),
            user__isnull=False,
            user__is_active=True,
        )
        .distinct()
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


def election_page(
    *, election: Election, actor: Any, at: datetime, search: str = ""
) -> ElectionPage:
    """Everything the election page shows ``actor`` at ``at``; ``search`` finds members of the
    electing body to nominate (only for those who may nominate)."""
    view = election_view(election=election, actor=actor, at=at)
    open_ = nominations_open(election, ballots=view.ballots, at=at)
    numbers = {c.pk: i for i, c in enumerate(view.standing, start=1)}
    names = names_visible(actor, Names.OFFICE, at=at)
    rows = []
    for c in view.candidates if names else []:
        mine = view.my_member is not None and c.member_id == view.my_member.pk
        status = "withdrawn" if c.withdrawn_at else ("standing" if c.standing else "nominated")
        decide = open_ and (mine or view.may_manage) and status != "withdrawn"
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
    if search and view.may_nominate:
        taken = {c.member_id for c in view.candidates}
        matches = [
            m.member
            for m in Membership.objects.filter(
                current(at), body=election.body, member__name__icontains=search
            )
            .select_related("member")
            .order_by("member__name", "member_id")[:30]
            if m.member_id not in taken
        ][:15]
    box = box_of(election)
    sealed = box_status(box) if box is not None else None
    me = view.my_member
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
            and view.phase is rules.Phase.CLOSED
            and sealed.box.closed_at is None
            and (view.may_manage or trustee is not None)
        ),
        names=names,
        hidden=0 if names else len(view.candidates),
        view=view,
        rows=rows,
        nominations_open=open_,
        voters=voters,
        members=members,
        may_tally=(
            view.may_manage
            and not online
            and election.counted_at is None
            and at >= election.opens_at
        ),
        may_count=(
            view.may_manage
            and election.counted_at is None
            and (
                view.ballots > 0
                if not online
                else view.phase is rules.Phase.CLOSED and view.ballots > 0 and secret_ready
            )
        ),
        online=online,
        matches=matches,
        i_am_candidate=any(row.mine for row in rows),
    )


@dataclass(frozen=True)
class RoundInfo:
    number: int
    action: str
    candidates: list[str]
    exhausted: str
    transfer_value: str | None
    note: str


@dataclass(frozen=True)
class Bar:
    """One bar of the results chart, in the chart's own units (SVG coordinates as text, so that
    no locale writes a decimal comma into them)."""

    name: str
    votes: str
    width: str  # 0 to CHART_BAR_WIDTH
    text_x: str  # where the figure is written, after the bar
    y: int
    elected: bool


@dataclass(frozen=True)
class ElectionOutcome:
    """The results page: the elected, the substitutes, every round and a chart."""

    elected: list[str]
    substitutes: list[str]
    rows: list[ResultRow]
    rounds: list[RoundInfo]
    quota: str
    valid_ballots: int
    seed: str
    tie_broken_by_lot: bool
    ledger_seq: int | None
    bars: list[Bar]
    chart_height: int
    quota_x: str | None  # where the quota line is drawn, in chart units (STV)


CHART_ROW = 40  # a line for the name, then the bar: a phone has no room for both side by side
CHART_BARS_X = 0
CHART_BAR_WIDTH = 230  # of the chart's 300 units; the figure is written after the bar


def election_outcome(election: Election) -> ElectionOutcome:
    """The result of a counted election as the results page shows it.

    The chart shows each candidate's votes when last counted: for a candidate excluded, the
    votes they had when they were excluded (the round before, since the excluding round already
    shows them at 0); for the others, the last round. Scaled to the largest or the quota.
    """
    result = election.result or {}
    rows = result_rows(election)
    elected = list(result.get("elected", []))
    merit = list(result.get("order_of_merit") or [r.name for r in rows])
    substitutes = [name for name in merit if name not in elected][: election.substitutes]
    rounds = [
        RoundInfo(
            number=r["number"],
            action=r["action"],
            candidates=list(r["candidates"]),
            exhausted=r["exhausted"],
            transfer_value=r.get("transfer_value"),
            note=round_note(r.get("note", "")),
        )
        for r in result.get("rounds", [])
    ]
    finals: list[tuple[str, Decimal, str]] = []
    for row in rows:
        if row.excluded_round is not None and row.excluded_round > 1:
            last = row.votes[row.excluded_round - 2] or "0"
        else:
            last = next((v for v in reversed(row.votes) if v), "0")
        finals.append((row.name, Decimal(last), last))
    top = max([v for _n, v, _t in finals] or [Decimal(0)])
    quota_text = str(result.get("quota", "") or "")
    try:
        quota = Decimal(quota_text) if quota_text else None
    except ArithmeticError:
        quota = None
    scale = max(top, quota or Decimal(0))
    bars = []
    for i, (name, value, text) in enumerate(finals):
        width = float(value / scale * CHART_BAR_WIDTH) if scale > 0 else 0.0
        bars.append(
            Bar(
                name=name,
                votes=text,
                width=f"{width:.2f}",
                text_x=f"{CHART_BARS_X + width + 3:.2f}",
                y=i * CHART_ROW,
                elected=name in elected,
            )
        )
    return ElectionOutcome(
        elected=elected,
        substitutes=substitutes,
        rows=rows,
        rounds=rounds,
        quota=quota_text,
        valid_ballots=int(result.get("valid_ballots", 0)),
        seed=election.seed,
        tie_broken_by_lot=bool(result.get("tie_broken_by_lot")),
        ledger_seq=election.ledger_seq,
        bars=bars,
        chart_height=max(len(bars), 1) * CHART_ROW,
        quota_x=(
            f"{CHART_BARS_X + float(quota / scale * CHART_BAR_WIDTH):.2f}"
            if quota and scale > 0
            else None
        ),
    )
