"""Single transferable vote under the Scottish rules.

Source: The Scottish Local Government Elections Order 2007 (SSI 2007/42), Schedule 1, rules
45-52 (counting of votes):

- 45 first stage: each valid paper counts one vote for its first preference.
- 46 quota (Droop): floor(valid papers / (seats + 1)) + 1.
- 47 a candidate whose votes equal or exceed the quota is elected.
- 48 a surplus is transferred by moving *every* paper the candidate holds to its next available
  preference, each at transfer value ``surplus x value of the paper / candidate's total votes``,
  calculated to five decimal places, any remainder ignored; papers with no further preference
  are non-transferable (their value is recorded as exhausted).
- 49 when several candidates have surpluses, the largest is transferred first; equal surpluses:
  the candidate with more votes at the most recent preceding stage at which they were unequal
  goes first; equal at every stage: by lot.
- 50 when no surplus remains to transfer, the candidate with the fewest votes is excluded and all
  their papers pass on, each at the value at which it was received.
- 51 equal lowest: the one with fewer votes at the most recent preceding stage at which they were
  unequal is excluded; equal at every stage: by lot.
- 52 when the continuing candidates are no more than the vacancies left, they are elected and no
  further transfer is made.

Arithmetic is exact: votes are integers in units of 0.00001 (10^-5) vote. Every distinct ranking
is one parcel (all its papers always share one value), so a count does work per distinct ranking,
not per paper. The lot is a deterministic draw from ``random.Random(seed)``; the seed and the
outcome are written in the round's note. Ties for the order in which several candidates reach the
quota at one stage (the Order does not order them) go to the higher vote, then the earlier
candidate on the ballot paper list; the last vacancies filled under rule 52 are listed in ballot
paper order (as Droop does).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round
from consejo.core.counting.ties import break_tie

#: Units per vote: five decimal places (rule 48(3)).
SCALE = 100_000

METHOD = "scottish-stv"


def format_units(units: int) -> str:
    """``units`` of 10^-5 vote as a decimal string with 5 places (``123456`` -> ``"1.23456"``)."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), SCALE)
    return f"{sign}{whole}.{fraction:05d}"


class _Count:
    """The state of one count; methods are the Order's steps."""

    def __init__(self, election: Election, seed: int) -> None:
        self.names = election.candidates
        self.seats = election.seats
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible lot, not a secret
        withdrawn = election.withdrawn
        self.standing = [c for c in range(len(self.names)) if c not in withdrawn]
        papers = election.ballots
        if withdrawn:
            stripped = ((tuple(c for c in r if c not in withdrawn), w) for r, w in papers)
            papers = tuple((r, w) for r, w in stripped if r)
        n = len(self.names)
        self.hopeful = [False] * n
        for c in self.standing:
            self.hopeful[c] = True
        #: Valid papers (ranking at least one standing candidate), one entry per distinct ranking.
        self.rankings: list[tuple[int, ...]] = []
        self.weights: list[int] = []
        #: Votes (units of 10^-5) of each candidate.
        self.votes = [0] * n
        #: Papers each candidate holds: indexes into ``rankings``, in the order received.
        self.held: list[list[int]] = [[] for _ in range(n)]
        self.first_stage(papers)
        self.valid = sum(self.weights)
        self.quota = (self.valid // (self.seats + 1) + 1) * SCALE  # rule 46
        #: For each ranking: the position of the candidate now holding it, and its value (units).
        self.position = [0] * len(self.rankings)
        self.value = [SCALE] * len(self.rankings)
        self.exhausted = 0
        self.elected: list[int] = []
        self.pending: list[int] = []  # elected with a surplus not yet transferred
        #: Votes at the end of each stage, for the look-back tie rules (49(2), 51(2)(a)).
        self.stages: list[list[int]] = []
        self.rounds: list[Round] = []
        self.by_lot = False

    # -- steps -------------------------------------------------------------------------------

    def first_stage(self, papers: Sequence[tuple[tuple[int, ...], int]]) -> None:
        """Rule 45: each valid paper to its first preference, at value one (one pass)."""
        rankings, weights, votes, held = self.rankings, self.weights, self.votes, self.held
        index = 0
        for ranking, weight in papers:
            if ranking and weight > 0:
                rankings.append(ranking)
                weights.append(weight)
                first = ranking[0]
                held[first].append(index)
                votes[first] += weight
                index += 1
        for c in self.standing:
            votes[c] *= SCALE

    def elect_with_quota(self) -> list[int]:
        """Rule 47: every continuing candidate with at least the quota is elected."""
        reached = [c for c in self.continuing() if self.votes[c] >= self.quota]
        reached.sort(key=lambda c: (-self.votes[c], c))
        for c in reached:
            self.hopeful[c] = False
            self.elected.append(c)
            if self.votes[c] > self.quota:
                self.pending.append(c)
        return reached

    def transfer_surplus(self) -> None:
        """Rules 48-49: the largest surplus, all of the candidate's papers at a reduced value."""
        top = max(self.votes[c] for c in self.pending)
        tied = [c for c in self.pending if self.votes[c] == top]
        candidate, note = self.break_tie(tied, highest=True, what="surplus order (rule 49)")
        self.pending.remove(candidate)
        total = self.votes[candidate]
        surplus = total - self.quota
        papers = self.held[candidate]
        self.held[candidate] = []
        self.votes[candidate] = self.quota
        value = self.value
        for index in papers:
            # 48(3): surplus x value of the paper / total votes, to 5 places, remainder ignored.
            value[index] = value[index] * surplus // total
        before = sum(self.votes) + self.exhausted
        self.move(papers)
        loss = surplus - (sum(self.votes) + self.exhausted - before)
        detail = (
            f"surplus {format_units(surplus)} of {format_units(total)} votes; a paper received at "
            f"value v passes on at v x {format_units(surplus)} / {format_units(total)} (5 places, "
            f"remainder ignored); {format_units(loss)} lost to truncation"
        )
        self.end_stage(
            "surplus",
            [candidate],
            transfer_value=format_units(surplus * SCALE // total),
            note=_join(note, detail),
        )

    def exclude_lowest(self) -> None:
        """Rules 50-51: the candidate with the fewest votes; papers pass on at their value."""
        continuing = self.continuing()
        low = min(self.votes[c] for c in continuing)
        tied = [c for c in continuing if self.votes[c] == low]
        candidate, note = self.break_tie(tied, highest=False, what="exclusion (rule 51)")
        self.hopeful[candidate] = False
        papers = self.held[candidate]
        self.held[candidate] = []
        self.votes[candidate] = 0
        self.move(papers)
        self.end_stage("excluded", [candidate], transfer_value=None, note=note)

    def move(self, papers: Sequence[int]) -> None:
        """Each paper to its next available preference (a continuing candidate), or exhausted."""
        rankings, weights, position, value = self.rankings, self.weights, self.position, self.value
        hopeful, votes, held = self.hopeful, self.votes, self.held
        exhausted = 0
        for index in papers:
            worth = value[index] * weights[index]
            if worth == 0:
                continue  # a paper of value 0 can never count again
            ranking = rankings[index]
            length = len(ranking)
            at = position[index] + 1
            while at < length and not hopeful[ranking[at]]:
                at += 1
            if at < length:
                receiver = ranking[at]
                position[index] = at
                votes[receiver] += worth
                held[receiver].append(index)
            else:
                exhausted += worth
        self.exhausted += exhausted

    def break_tie(self, tied: list[int], *, highest: bool, what: str) -> tuple[int, str]:
        """Rules 49(2)-(3) and 51(2): look back stage by stage, else decide by lot.

        Going back from the most recent stage, keep only the tied candidates with the most
        (surplus order) or fewest (exclusion) votes at that stage; the first stage at which one
        candidate remains decides. If some remain tied at every stage, a seeded lot decides.
        """
        if len(tied) == 1:
            return tied[0], ""
        names = ", ".join(self.names[c] for c in sorted(tied))
        decided = break_tie(tied, self.stages, highest=highest, rng=self.rng)
        chosen = decided.chosen
        if decided.stage is not None:
            return chosen, (
                f"tie for {what} between {names}: broken by the votes at stage "
                f"{decided.stage + 1} -> {self.names[chosen]}"
            )
        self.by_lot = True
        drawn = ", ".join(self.names[c] for c in decided.drawn_from)
        return chosen, (
            f"tie for {what} between {names}: equal at every stage, decided by lot among "
            f"{drawn} (random.Random(seed={self.seed})) -> {self.names[chosen]}"
        )

    # -- records ------------------------------------------------------------------------------

    def continuing(self) -> list[int]:
        return [c for c in self.standing if self.hopeful[c]]

    def seats_left(self) -> int:
        return self.seats - len(self.elected)

    def end_stage(
        self, action: str, candidates: list[int], *, transfer_value: str | None, note: str
    ) -> None:
        self.stages.append(list(self.votes))
        self.record(action, candidates, transfer_value=transfer_value, note=note)

    def record(
        self, action: str, candidates: list[int], *, transfer_value: str | None, note: str
    ) -> None:
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                votes={self.names[c]: format_units(self.votes[c]) for c in self.standing},
                exhausted=format_units(self.exhausted),
                action=action,
                candidates=tuple(self.names[c] for c in candidates),
                transfer_value=transfer_value,
                note=note,
            )
        )

    def run(self) -> Result:
        self.stages.append(list(self.votes))
        first = True
        while True:
            reached = self.elect_with_quota()
            if first or reached:
                note = "first preferences (rule 45)" if first else ""
                self.record(
                    "elected",
                    reached,
                    transfer_value=None,
                    note=_join(note, "reached the quota (rule 47)" if reached else ""),
                )
            first = False
            if self.seats_left() <= 0 or len(self.continuing()) <= self.seats_left():
                break
            if self.pending:
                self.transfer_surplus()
                continue
            self.exclude_lowest()
            if len(self.continuing()) <= self.seats_left():
                break
        last = self.continuing()
        if self.seats_left() > 0 and last:
            self.elected.extend(last)
            for c in last:
                self.hopeful[c] = False
            self.record(
                "elected",
                last,
                transfer_value=None,
                note="continuing candidates no more than the vacancies left (rule 52)",
            )
        return Result(
            method=METHOD,
            seats=self.seats,
            valid_ballots=self.valid,
            quota=format_units(self.quota),
            elected=tuple(self.names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            tie_broken_by_lot=self.by_lot,
        )


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def count_scottish_stv(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by SSI 2007/42 Schedule 1 rules 45-52 (see the module docstring).

    Returns the elected candidates in order of election and every round; ``seed`` seeds the lot
    used only when a tie is equal at every stage (rules 49(3), 51(2)(b)).
    """
    return _Count(election, seed).run()
