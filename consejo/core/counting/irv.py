"""Instant-runoff voting (IRV): one seat, filled by an absolute majority of continuing votes.

Source: the preferential voting of the Australian House of Representatives, Commonwealth
Electoral Act 1918, section 274 (scrutiny of votes in House of Representatives elections): each
ballot counts for its first preference; a candidate with an absolute majority of the votes is
elected; otherwise the candidate with the fewest votes is excluded and each of their ballots
passes to the next candidate on it who is still in the count, and so on until one candidate has
an absolute majority.

Where ballots need not rank every candidate (optional preferential voting, as in our assemblies),
the majority is of the votes still counting: a ballot whose candidates have all been excluded is
exhausted and no longer counts (the total of exhausted ballots is reported in
every round). Withdrawn candidates are skipped. Ties for the fewest votes are broken as the
Scottish rule 51 does (see ``stv_scottish``): look back from the most recent round and exclude
the one with fewer votes at the latest round at which the tied candidates differed; if they were
equal in every round, a lot drawn from ``random.Random(seed)`` decides, and the note records the
seed and the outcome. Vote figures are whole numbers, written as decimal strings.
"""

from __future__ import annotations

import random

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round
from consejo.core.counting.ties import break_tie
from consejo.core.errors import InvalidInput

METHOD = "irv"


class _Count:
    """The state of one count: continuing candidates, grouped ballots and the rounds so far."""

    def __init__(self, election: Election, seed: int) -> None:
        self.names = election.candidates
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible lot, not a secret
        withdrawn = election.withdrawn
        self.standing = [c for c in range(len(self.names)) if c not in withdrawn]
        self.continuing = set(self.standing)
        self.papers: list[tuple[tuple[int, ...], int]] = []
        for ranking, weight in election.ballots:
            kept = tuple(c for c in ranking if c not in withdrawn)
            if kept and weight > 0:
                self.papers.append((kept, weight))
        self.valid = sum(weight for _ranking, weight in self.papers)
        #: Votes of each standing candidate now, and the ballots each holds (indexes into papers).
        self.votes = dict.fromkeys(self.standing, 0)
        self.held: dict[int, list[int]] = {c: [] for c in self.standing}
        #: For each ballot: the position in its ranking of the candidate now holding it.
        self.position = [0] * len(self.papers)
        self.exhausted = 0
        #: Votes of every standing candidate in each round so far (for the look-back rule).
        self.history: list[dict[int, int]] = []
        self.rounds: list[Round] = []
        self.by_lot = False

    def first_preferences(self) -> None:
        """Each ballot to its first preference (all papers rank only standing candidates)."""
        for index, (ranking, weight) in enumerate(self.papers):
            self.votes[ranking[0]] += weight
            self.held[ranking[0]].append(index)

    def exclude(self, loser: int) -> None:
        """``loser``'s ballots each pass to their next continuing candidate, or are exhausted."""
        self.continuing.discard(loser)
        papers, position, votes, held = self.papers, self.position, self.votes, self.held
        continuing = self.continuing
        for index in held[loser]:
            ranking, weight = papers[index]
            at = position[index] + 1
            while at < len(ranking) and ranking[at] not in continuing:
                at += 1
            if at < len(ranking):
                position[index] = at
                votes[ranking[at]] += weight
                held[ranking[at]].append(index)
            else:
                self.exhausted += weight
        held[loser] = []
        votes[loser] = 0

    def lowest(self, votes: dict[int, int]) -> tuple[int, str]:
        """The candidate to exclude: fewest votes; ties by look-back, then by lot."""
        low = min(votes[c] for c in self.continuing)
        tied = sorted(c for c in self.continuing if votes[c] == low)
        if len(tied) == 1:
            return tied[0], ""
        names = ", ".join(self.names[c] for c in tied)
        # The rounds before this one (the current round's votes are the tie itself).
        decided = break_tie(tied, self.history[:-1], highest=False, rng=self.rng)
        chosen = decided.chosen
        if decided.stage is not None:
            return chosen, (
                f"tie for exclusion at {low} votes between {names}: broken by the votes at "
                f"the end of round {decided.stage + 1} -> {self.names[chosen]}"
            )
        self.by_lot = True
        drawn = ", ".join(self.names[c] for c in decided.drawn_from)
        return chosen, (
            f"tie for exclusion at {low} votes between {names}: equal in every round, decided by "
            f"lot among {drawn} (random.Random(seed={self.seed})) -> {self.names[chosen]}"
        )

    def record(
        self, votes: dict[int, int], exhausted: int, action: str, who: list[int], note: str
    ) -> None:
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                votes={self.names[c]: str(votes[c]) for c in self.standing},
                exhausted=str(exhausted),
                action=action,
                candidates=tuple(self.names[c] for c in who),
                transfer_value=None,
                note=note,
            )
        )

    def run(self) -> Result:
        winner: int | None = None
        self.first_preferences()
        votes, exhausted = self.votes, self.exhausted
        self.history.append(dict(votes))
        first = True
        while self.continuing:
            counting = self.valid - exhausted
            top = max(votes[c] for c in self.continuing)
            leader = min(c for c in self.continuing if votes[c] == top)
            prefix = "first preferences; " if first else ""
            if 2 * top > counting or len(self.continuing) == 1:
                winner = leader
                why = (
                    f"{top} of {counting} continuing votes, an absolute majority"
                    if 2 * top > counting
                    else "the last continuing candidate"
                )
                self.record(votes, exhausted, "elected", [winner], f"{prefix}{why}")
                break
            if first:
                self.record(
                    votes,
                    exhausted,
                    "elected",
                    [],
                    f"{prefix}no absolute majority of {counting} continuing votes",
                )
            first = False
            loser, tie_note = self.lowest(votes)
            low = votes[loser]
            self.exclude(loser)
            exhausted = self.exhausted
            self.history.append(dict(votes))
            moved = (
                f"fewest votes ({low}); each of their ballots passes to its next continuing "
                "candidate or is exhausted"
            )
            self.record(
                votes, exhausted, "excluded", [loser], "; ".join(p for p in (tie_note, moved) if p)
            )
        return Result(
            method=METHOD,
            seats=1,
            valid_ballots=self.valid,
            quota="",
            elected=() if winner is None else (self.names[winner],),
            rounds=tuple(self.rounds),
            tie_broken_by_lot=self.by_lot,
        )


def count_irv(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by instant-runoff (Commonwealth Electoral Act 1918 s274; module docs).

    Each round counts every ballot for its highest continuing candidate. A candidate with more
    than half of the continuing (non-exhausted) votes is elected; otherwise the candidate with
    the fewest votes is excluded (ties: the latest earlier round at which they differed, else the
    lot from ``random.Random(seed)``, recorded in the note) and their ballots are counted again.
    Rounds follow ``stv_scottish``: round 1 (``"elected"``) holds the first preferences and names
    the winner if there is already a majority; each ``"excluded"`` round holds the votes after
    the exclusion; a last ``"elected"`` round names the winner. IRV fills one seat: an election
    for more raises :class:`InvalidInput`.
    """
    if election.seats > 1:
        raise InvalidInput(
            f"IRV fills one seat, this election has {election.seats}: "
            "use scottish-stv or meek-stv for more"
        )
    return _Count(election, seed).run()
