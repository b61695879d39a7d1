"""Reads of a counted election: the round-by-round table, its chart, and the exports (BLT, CSV)."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import pgettext

from consejo.core.charts import bar_place, chart_height
from consejo.core.counting.ballots import make_election
from consejo.core.counting.blt import write_blt
from consejo.elections.models import Ballot, Election
from consejo.elections.notes import round_note
from consejo.elections.selectors.election import candidate_labels, standing_candidates


@dataclass(frozen=True)
class ResultRow:
    """One candidate's line in the round-by-round table."""

    name: str
    votes: list[str]  # one figure per round ("" where the candidate was no longer counted)
    elected_round: int | None  # the round that elected them, if any
    excluded_round: int | None
    peak: Decimal  # the most votes they had in any round, for the chart


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
        place = bar_place(i, width, x=CHART_BARS_X)
        bars.append(
            Bar(
                name=name,
                votes=text,
                width=place.width,
                text_x=place.text_x,
                y=place.y,
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
        chart_height=chart_height(len(bars)),
        quota_x=(
            f"{CHART_BARS_X + float(quota / scale * CHART_BAR_WIDTH):.2f}"
            if quota and scale > 0
            else None
        ),
    )
