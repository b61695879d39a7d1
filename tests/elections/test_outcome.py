"""The results page's reading of a stored count (consejo.elections.selectors.election_outcome)."""

from __future__ import annotations

from decimal import Decimal

from consejo.core.counting.blt import read_blt
from consejo.core.counting.stv_scottish import count_scottish_stv
from consejo.core.elections import order_of_merit
from consejo.elections.models import Election
from consejo.elections.selectors import CHART_BAR_WIDTH, election_outcome

# Three candidates, one seat: C is excluded in round 2 with 2 votes, which pass to A.
BLT = """3 1
4 1 0
3 2 0
2 3 1 0
0
"A"
"B"
"C"
"one seat"
"""


def counted() -> Election:
    result = count_scottish_stv(read_blt(BLT))
    record = result.to_json() | {"order_of_merit": list(order_of_merit(result)), "seed": "0"}
    return Election(title="t", seats=1, substitutes=1, result=record)


def test_an_excluded_candidate_is_charted_with_the_votes_they_had_when_excluded() -> None:
    outcome = election_outcome(counted())
    bars = {bar.name: bar for bar in outcome.bars}
    assert outcome.elected == ["A"]
    assert outcome.substitutes == ["B"]
    # C shows 0 in the round that excludes them; the chart shows the 2 they had before it.
    row_c = next(row for row in outcome.rows if row.name == "C")
    assert row_c.excluded_round is not None
    assert Decimal(row_c.votes[row_c.excluded_round - 1]) == 0
    assert Decimal(bars["C"].votes) == 2
    assert Decimal(bars["A"].votes) == 6
    # Bars are scaled to the largest figure (or the quota, if larger).
    assert float(bars["A"].width) == CHART_BAR_WIDTH
    assert abs(float(bars["C"].width) - CHART_BAR_WIDTH * 2 / 6) < 0.01
