"""Reads for the election pages, the API and the exports. Nothing here writes.

One module a subject: ``election`` (an election's phase, view, ballots, candidates and box,
which the pages, the API and the services share), ``page`` (the election page's rows and
flags) and ``results`` (a counted election's table, chart and exports). The chart geometry is
``consejo.core.charts``. Every name is importable from here.
"""

from __future__ import annotations

from consejo.elections.selectors.election import (
    CouncilChoice,
    ElectionState,
    ballots_cast,
    box_of,
    candidate_labels,
    election_councils,
    election_list,
    election_phase,
    election_reference,
    election_state,
    members_by_id,
    nominations_open,
    standing_candidates,
    trustee_choices,
    turnout,
)
from consejo.elections.selectors.page import CandidateRow, ElectionPage, election_page
from consejo.elections.selectors.results import (
    CHART_BAR_WIDTH,
    CHART_BARS_X,
    Bar,
    ElectionOutcome,
    ResultRow,
    RoundInfo,
    election_blt,
    election_csv,
    election_outcome,
    result_rows,
)

__all__ = [
    "CHART_BARS_X",
    "CHART_BAR_WIDTH",
    "Bar",
    "CandidateRow",
    "CouncilChoice",
    "ElectionOutcome",
    "ElectionPage",
    "ElectionState",
    "ResultRow",
    "RoundInfo",
    "ballots_cast",
    "box_of",
    "candidate_labels",
    "election_blt",
    "election_councils",
    "election_csv",
    "election_list",
    "election_outcome",
    "election_page",
    "election_phase",
    "election_reference",
    "election_state",
    "members_by_id",
    "nominations_open",
    "result_rows",
    "standing_candidates",
    "trustee_choices",
    "turnout",
]
