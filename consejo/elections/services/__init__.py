"""The one write path for elections: call, nominate, accept, withdraw, vote, close, enter a paper
tally, count (which seats the delegation).

Each service is one durable transaction: take the ledger lock and fix the instant, check
authority and the election's phase at that instant, write (constraints keep one ballot per
member), append the ledger entry last. The rules themselves live in consejo.core.elections and
consejo.core.counting."""

from __future__ import annotations

from consejo.elections.services.calling import election_create
from consejo.elections.services.counting import MAX_TALLY_ROWS, election_count, paper_tally_enter
from consejo.elections.services.nominations import (
    candidate_accept,
    candidate_nominate,
    candidate_withdraw,
)
from consejo.elections.services.voting import ballot_cast, election_close

__all__ = [
    "MAX_TALLY_ROWS",
    "ballot_cast",
    "candidate_accept",
    "candidate_nominate",
    "candidate_withdraw",
    "election_close",
    "election_count",
    "election_create",
    "paper_tally_enter",
]
