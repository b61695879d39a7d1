"""Multi-seat plurality (the block vote) and approval voting, read from ranked ballots.

Block vote: each voter has as many votes as there are seats and gives them, one each, to the
first candidates of their ranking; the candidates with the most votes are elected (the rule of
multi-member wards in English local elections; for one seat, first past the post). Approval: each
voter approves every candidate they rank; the most approved are elected (S. J. Brams and P. C.
Fishburn, "Approval Voting", American Political Science Review 72(3), 1978).

Ties for the last seats are broken by lot, drawn from ``random.Random(seed)`` so that anyone can
repeat the draw; the seed and the outcome are written in the round's note.
"""

from __future__ import annotations

import random
from collections import Counter

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round


def count_plurality(election: Election, *, seed: int = 0) -> Result:
    """Block vote: each ballot gives one vote to each of its first ``seats`` standing candidates.

    Withdrawn candidates are skipped (the next ones on the ballot get the votes). The ``seats``
    candidates with the most votes are elected, in order of votes; ties at the cut by seeded lot.
    """
    tally: Counter[int] = Counter()
    valid = 0
    for ranking, weight in election.ballots:
        standing = [c for c in ranking if c not in election.withdrawn][: election.seats]
        if standing:
            valid += weight
        for candidate in standing:
            tally[candidate] += weight
    return _result("plurality", election, tally, valid, seed)


def count_approval(election: Election, *, seed: int = 0) -> Result:
    """Approval: each ballot approves every standing candidate it ranks, in any order.

    The ``seats`` most approved candidates are elected, in order of approvals; ties at the cut
    by seeded lot.
    """
    tally: Counter[int] = Counter()
    valid = 0
    for ranking, weight in election.ballots:
        standing = [c for c in ranking if c not in election.withdrawn]
        if standing:
            valid += weight
        for candidate in standing:
            tally[candidate] += weight
    return _result("approval", election, tally, valid, seed)


def _result(method: str, election: Election, tally: Counter[int], valid: int, seed: int) -> Result:
    standing = [c for c in range(len(election.candidates)) if c not in election.withdrawn]
    seats = min(election.seats, len(standing))
    ordered = sorted(standing, key=lambda c: -tally[c])
    elected = ordered[:seats]
    note = ""
    lot = False
    if seats < len(ordered) and seats > 0 and tally[ordered[seats - 1]] == tally[ordered[seats]]:
        # The cut falls inside a tie: those above it are in, those below out; the lot decides
        # among the tied candidates who takes the remaining seats.
        level = tally[ordered[seats]]
        above = [c for c in ordered if tally[c] > level]
        tied = sorted(c for c in ordered if tally[c] == level)
        drawn = random.Random(seed).sample(tied, k=len(tied))  # noqa: S311 - a public, repeatable lot
        winners = drawn[: seats - len(above)]
        elected = above + winners
        names = ", ".join(election.candidates[c] for c in tied)
        won = ", ".join(election.candidates[c] for c in winners)
        note = f"tie at {level} votes between {names}; lot (seed {seed}) chose {won}"
        lot = True
    votes = {election.candidates[c]: str(tally[c]) for c in standing}
    round_ = Round(
        number=1,
        votes=votes,
        exhausted="0",
        action="elected",
        candidates=tuple(election.candidates[c] for c in elected),
        transfer_value=None,
        note=note,
    )
    return Result(
        method=method,
        seats=election.seats,
        valid_ballots=valid,
        quota="",
        elected=tuple(election.candidates[c] for c in elected),
        rounds=(round_,),
        tie_broken_by_lot=lot,
    )
