"""Reads for the supply pages (and the API): committees, depots and their stock, recipients and
their needs, and allocation plans as the pages show them. Nothing here writes.

The current stock of an item in a depot is its newest count; the current need of a recipient is
its newest registration (0 when it has none). Permission flags (``may_*``) are computed here, at
the instant given, so that templates show and never decide; the services check again when acting.

The figures are public; the *names* of who counted, who registered a need, who proposed and who
voted are those of people acting in an office (a committee's or a commission's members, a body's
secretary), shown as the one policy says (``core.visibility``, ``Names.OFFICE``: members of the
federation; docs/privacy.md). Others see the figures and the instants, and "a member".

The reads, one module a page: ``figures`` (the current stock and needs the pages share),
``committees`` (the list and a committee's page), ``depots``, ``recipients`` and ``plans``
(a plan's page, its files and the tally of its vote); each also holds the API's reads of its
subject. The chart and map geometry is ``consejo.core.charts``. Every name is importable from
here.
"""

from __future__ import annotations

from consejo.supply.selectors.committees import (
    API_RECIPIENTS,
    CommitteePage,
    CommitteeRow,
    CommitteeSupply,
    TierGroup,
    committee_page,
    committee_supply,
    depot_choices,
    supply_committee_list,
)
from consejo.supply.selectors.depots import DepotPage, depot_page, stock_count_list
from consejo.supply.selectors.figures import (
    HISTORY_ROWS,
    PAGE_ROWS,
    DepotRow,
    Needed,
    RecipientRow,
    Stock,
    item_list,
    need_current,
    stock_current,
)
from consejo.supply.selectors.plans import (
    CHART_BAR_WIDTH,
    FillBar,
    PlanMap,
    PlanPage,
    PlanRow,
    TierTable,
    VoteRow,
    committee_member_ids,
    plan_json,
    plan_page,
    plan_tally,
    plan_votes,
)
from consejo.supply.selectors.problem import committee_problem
from consejo.supply.selectors.recipients import (
    Received,
    RecipientPage,
    need_list,
    recipient_page,
    recipient_row,
)

__all__ = [
    "API_RECIPIENTS",
    "CHART_BAR_WIDTH",
    "HISTORY_ROWS",
    "PAGE_ROWS",
    "CommitteePage",
    "CommitteeRow",
    "CommitteeSupply",
    "DepotPage",
    "DepotRow",
    "FillBar",
    "Needed",
    "PlanMap",
    "PlanPage",
    "PlanRow",
    "Received",
    "RecipientPage",
    "RecipientRow",
    "Stock",
    "TierGroup",
    "TierTable",
    "VoteRow",
    "committee_member_ids",
    "committee_page",
    "committee_problem",
    "committee_supply",
    "depot_choices",
    "depot_page",
    "item_list",
    "need_current",
    "need_list",
    "plan_json",
    "plan_page",
    "plan_tally",
    "plan_votes",
    "recipient_page",
    "recipient_row",
    "stock_count_list",
    "stock_current",
    "supply_committee_list",
]
