"""Reads for the election pages, the API and the exports. Nothing here writes."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum

from consejo.bodies.authority import current, is_operator, is_secretary
from consejo.bodies.models import Body, Member, Membership
from consejo.core import elections as rules
from consejo.core.counting.ballots import make_election
from consejo.core.counting.blt import write_blt
from consejo.core.counting.methods import METHODS
from consejo.elections.models import Ballot, BallotMode, Candidate, Election, Voter
from consejo.mandates.models import Mandate


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
    online = election.mode != BallotMode.PAPER
    method = METHODS[election.method]
    ballots = Ballot.objects.filter(election=election).aggregate(n=Sum("weight"))["n"] or 0
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
        may_manage=is_operator(actor) or is_secretary(actor, election.body, at),
        may_vote=online and is_member and not has_voted and phase is rules.Phase.VOTING,
        may_nominate=(
            (is_member or is_operator(actor))
            and (
                phase is rules.Phase.NOMINATIONS
                if online
                else (election.counted_at is None and ballots == 0)
            )
        ),
        ranked=method.ranked,
        max_marks=election.seats if method.marks_at_most_seats else None,
        mandates=list(
            Mandate.objects.filter(election=election)
            .select_related("member")
            .order_by("role", "rank")
        ),
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
    writer.writerow(["candidate", *[f"round {r['number']}" for r in rounds], "outcome"])
    for row in rows:
        outcome = (
            f"elected in round {row.elected_round}"
            if row.elected_round
            else (f"excluded in round {row.excluded_round}" if row.excluded_round else "")
        )
        writer.writerow([row.name, *row.votes, outcome])
    writer.writerow(["non-transferable", *[r["exhausted"] for r in rounds], ""])
    return out.getvalue()


def council_mandates(*, council: Body, at: datetime) -> list[Mandate]:
    """The delegates and substitutes sitting in ``council`` at ``at``."""
    return list(
        Mandate.objects.filter(current(at), council=council)
        .select_related("member", "constituency", "election")
        .order_by("constituency__name", "role", "rank")
    )


def member_mandates(member: Member) -> QuerySet[Mandate]:
    return (
        Mandate.objects.filter(member=member)
        .select_related("constituency", "council")
        .order_by("-start")
    )


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
