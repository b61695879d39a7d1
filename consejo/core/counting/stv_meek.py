"""Single transferable vote by Meek's method, the PR Foundation's Meek Reference rule.

Sources: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123 - Single Transferable Vote
by Meek's Method", The Computer Journal 30(3), 1987, pp. 277-281; and the Proportional
Representation Foundation's "Reference Meek Rule" (prfound.org), which fixes the arithmetic and
the iteration limit so that every conforming program gives the same count to the last digit
(the rule Droop, github.com/jklundell/droop, implements as ``meek-prf``).

- A. Each standing candidate is *hopeful* with keep factor 1; omega is 10^-6. Arithmetic is fixed
  point to 9 decimal places.
- B.1 The count ends when all seats are filled or the hopeful candidates are no more than the
  seats left.
- B.2 Iterate: (a) every ballot starts at weight 1 and, in order of preference, gives each
  elected or hopeful candidate ``weight x keep factor`` (9 places, rounded up), its weight
  falling by that much, until its weight is 0 or its preferences end; (b) the quota is the sum of
  the candidates' votes divided by seats + 1, truncated to 9 places, plus 10^-9; (c) every hopeful
  candidate with at least the quota is elected; (d) the total surplus is the sum of
  ``vote - quota`` over the elected (not below 0); (e) the round ends if someone was elected, or
  if the total surplus is below omega, or (after the first iteration) it did not fall; (f)
  otherwise each elected candidate's keep factor becomes ``keep factor x quota`` (9 places,
  rounded up) divided by their vote (9 places, rounded up), and the iteration repeats.
- B.3 If nobody was elected, the hopeful candidate with the fewest votes is defeated (keep
  factor 0); every hopeful candidate within the total surplus of the lowest vote counts as tied
  with them (rule T).
- C. The hopeful candidates left are elected if seats remain (C.1), otherwise defeated (C.2).

The same algorithm in exact rational arithmetic with omega 10^-10 (Droop's "Meek Parametric"
rule), a check on this fixed-point count, is :mod:`consejo.core.counting.stv_meek_exact`: its
count is a :class:`MeekCount` with the arithmetic replaced.

Ties (rule T): the first of the tied candidates in the order given with the ballots (Droop's
``[tie …]`` option) is defeated; without one, the first in ballot paper order, an order the
rule takes as settled by lot before the count (as Droop does, and so its reference counts). No
lot is drawn during the count, so ``tie_broken_by_lot`` is always false and ``seed`` is accepted
only for the interface every rule shares; each tie and how it was broken is in the round's note.
Several candidates elected in one iteration are listed in ballot paper order.

Arithmetic is exact: values are integers in units of 10^-9. A round's ``exhausted`` figure is
everything not held by a candidate: votes of ballots whose preferences ran out, and the rounding
residue. For speed, every ballot is cut after its first hopeful candidate (it can pass nothing
beyond them while their keep factor is 1) and identical cut rankings are counted once; the cut
groups are recomputed only for rankings that name a candidate just elected or defeated.
"""

from __future__ import annotations

from collections.abc import Sequence

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round, join_notes

#: Units per vote: nine decimal places.
SCALE = 1_000_000_000
#: Omega: the iteration stops when the total surplus falls below 10^-6.
OMEGA = SCALE // 1_000_000

METHOD = "meek-stv"

#: A candidate's state: hopeful (keep factor 1, or less once elected), elected, defeated.
HOPEFUL, ELECTED, DEFEATED = 0, 1, 2


def format_units(units: int) -> str:
    """``units`` of 10^-9 vote as a 9-place decimal string (``1234567890`` -> ``"1.234567890"``)."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), SCALE)
    return f"{sign}{whole}.{fraction:09d}"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class MeekCount:
    """The state of one count; methods are the rule's steps (the exact count,
    consejo.core.counting.stv_meek_exact, replaces the arithmetic)."""

    method = METHOD

    def __init__(self, election: Election) -> None:
        self.names = election.candidates
        self.seats = election.seats
        self.tie_order = election.tie_order
        withdrawn = election.withdrawn
        n = len(self.names)
        self.standing = [c for c in range(n) if c not in withdrawn]
        self.state = [DEFEATED] * n
        self.keep = [0] * n
        for c in self.standing:
            self.state[c] = HOPEFUL
            self.keep[c] = SCALE
        self.rankings: list[tuple[int, ...]] = []
        self.weights: list[int] = []
        for ranking, weight in election.ballots:
            kept = tuple(c for c in ranking if c not in withdrawn)
            if kept and weight > 0:
                self.rankings.append(kept)
                self.weights.append(weight)
        self.valid = sum(self.weights)
        #: Cut rankings (up to the first hopeful candidate) -> their total weight and members.
        self.cut_weight: dict[tuple[int, ...], int] = {}
        self.cut_members: dict[tuple[int, ...], list[int]] = {}
        self.regroup(range(len(self.rankings)))
        self.votes = [0] * n
        self.quota = self.valid * SCALE // (self.seats + 1) + 1
        self.surplus = 0
        self.elected: list[int] = []
        self.rounds: list[Round] = []

    # -- grouping ------------------------------------------------------------------------------

    def cut(self, ranking: tuple[int, ...]) -> tuple[int, ...]:
        state = self.state
        out: list[int] = []
        for c in ranking:
            s = state[c]
            if s == DEFEATED:
                continue
            out.append(c)
            if s == HOPEFUL:
                break
        return tuple(out)

    def regroup(self, indexes: Sequence[int] | range) -> None:
        rankings, weights = self.rankings, self.weights
        cut_weight, cut_members = self.cut_weight, self.cut_members
        for index in indexes:
            key = self.cut(rankings[index])
            if key in cut_weight:
                cut_weight[key] += weights[index]
                cut_members[key].append(index)
            else:
                cut_weight[key] = weights[index]
                cut_members[key] = [index]

    def changed(self, candidates: Sequence[int]) -> None:
        """Recompute the cut groups naming a candidate just elected or defeated."""
        moved = set(candidates)
        affected = [key for key in self.cut_members if moved.intersection(key)]
        indexes: list[int] = []
        for key in affected:
            indexes.extend(self.cut_members.pop(key))
            del self.cut_weight[key]
        self.regroup(indexes)

    # -- steps ---------------------------------------------------------------------------------

    def distribute(self) -> None:
        """B.2.a: every ballot, in order of preference, at weight x keep factor rounded up."""
        keep = self.keep
        votes = [0] * len(self.names)
        for ranking, weight in self.cut_weight.items():
            w = SCALE
            for c in ranking:
                kept = _ceil_div(w * keep[c], SCALE)
                votes[c] += kept * weight
                w -= kept
                if w <= 0:
                    break
        self.votes = votes

    def iterate(self) -> tuple[str, list[int], int]:
        """B.2: iterate until someone is elected or the surplus is below omega or stable."""
        last = self.valid * SCALE
        iterations = 0
        while True:
            iterations += 1
            self.distribute()
            votes = self.votes
            total = sum(votes[c] for c in self.standing if self.state[c] != DEFEATED)
            self.quota = total // (self.seats + 1) + 1  # B.2.b
            quota = self.quota
            reached = [c for c in self.standing if self.state[c] == HOPEFUL and votes[c] >= quota]
            for c in reached:  # B.2.c
                self.state[c] = ELECTED
                self.elected.append(c)
            self.surplus = max(0, sum(votes[c] - quota for c in self.elected))  # B.2.d
            if reached:
                return "elected", reached, iterations
            if self.surplus < OMEGA:
                return "omega", [], iterations
            if self.surplus >= last:
                return "stable", [], iterations
            last = self.surplus
            for c in self.elected:  # B.2.f
                self.keep[c] = _ceil_div(_ceil_div(self.keep[c] * quota, SCALE) * SCALE, votes[c])

    def defeat_lowest(self, why: str, iterations: int) -> None:
        """B.3: the hopeful candidate with the fewest votes, ties within the total surplus."""
        hopeful = [c for c in self.standing if self.state[c] == HOPEFUL]
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] <= low + self.surplus]
        candidate, note = self.break_tie(tied)
        self.state[candidate] = DEFEATED
        self.keep[candidate] = 0
        self.votes[candidate] = 0
        self.changed([candidate])
        reason = (
            f"total surplus {format_units(self.surplus)} below omega 0.000001"
            if why == "omega"
            else f"total surplus {format_units(self.surplus)} no longer falling"
        )
        self.record(
            "excluded",
            [candidate],
            note=join_notes(
                f"{iterations} iteration(s); {reason}; lowest vote defeated (B.3)", note
            ),
        )

    def defeat_remaining(self, rest: list[int]) -> None:
        """C.2: with every seat filled, the hopeful candidates left are defeated."""
        for c in rest:
            self.state[c] = DEFEATED
            self.keep[c] = 0
            self.votes[c] = 0
        self.record("excluded", rest, note="all seats filled: remaining candidates defeated (C.2)")

    def break_tie(self, tied: list[int]) -> tuple[int, str]:
        """Rule T: the first in the given tie order, else the first on the ballot paper."""
        if len(tied) == 1:
            return tied[0], ""
        group = sorted(tied)
        names = ", ".join(self.names[c] for c in group)
        if self.tie_order:
            chosen = min(group, key=self.tie_order.index)
            return chosen, (
                f"tie for defeat between {names} (votes within the total surplus): broken by "
                f"the tie order given with the ballots -> {self.names[chosen]}"
            )
        chosen = group[0]
        return chosen, (
            f"tie for defeat between {names} (votes within the total surplus): broken by "
            f"ballot paper order (rule T) -> {self.names[chosen]}"
        )

    # -- records -------------------------------------------------------------------------------

    def record(self, action: str, candidates: list[int], *, note: str) -> None:
        keeps = ", ".join(f"{self.names[c]} {self.keep_text(c)}" for c in self.elected)
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                votes={self.names[c]: self.vote_text(c) for c in self.standing},
                exhausted=self.exhausted_text(),
                action=action,
                candidates=tuple(self.names[c] for c in candidates),
                transfer_value=None,
                note=join_notes(
                    note,
                    f"quota {self.quota_text()}",
                    f"keep factors: {keeps}" if keeps else "",
                ),
            )
        )

    def vote_text(self, candidate: int) -> str:
        return format_units(self.votes[candidate])

    def keep_text(self, candidate: int) -> str:
        return format_units(self.keep[candidate])

    def quota_text(self) -> str:
        return format_units(self.quota)

    def exhausted_text(self) -> str:
        return format_units(self.valid * SCALE - sum(self.votes[c] for c in self.standing))

    def hopeful(self) -> list[int]:
        return [c for c in self.standing if self.state[c] == HOPEFUL]

    def run(self) -> Result:
        first = True
        while 0 < self.seats - len(self.elected) < len(self.hopeful()):  # B.1
            why, reached, iterations = self.iterate()
            if why == "elected":
                self.changed(reached)
                self.record(
                    "elected",
                    reached,
                    note=join_notes(
                        "first preferences" if first else "",
                        f"{iterations} iteration(s); reached the quota (B.2.c)",
                    ),
                )
            else:
                self.defeat_lowest(why, iterations)
            first = False
        last = self.hopeful()
        if self.seats - len(self.elected) > 0 and last:  # C.1
            if first:
                self.distribute()
            self.elected.extend(last)
            for c in last:
                self.state[c] = ELECTED
            self.record(
                "elected",
                last,
                note="hopeful candidates no more than the seats left: elected (C.1)",
            )
        elif last:  # C.2
            self.defeat_remaining(last)
        return Result(
            method=self.method,
            seats=self.seats,
            valid_ballots=self.valid,
            quota=self.quota_text(),
            elected=tuple(self.names[c] for c in self.elected),
            rounds=tuple(self.rounds),
            tie_broken_by_lot=False,
        )


def count_meek_stv(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by Meek's method, PR Foundation Meek Reference (module docstring).

    Hill, Wichmann and Woodall, The Computer Journal 30(3), 1987, with the PR Foundation's fixed
    arithmetic (9 places, rounded up) and omega 10^-6. Returns the elected candidates in order of
    election and every round. ``seed`` is unused: ties go by the tie order or ballot paper order.
    """
    del seed  # rule T needs no lot (see the module docstring)
    return MeekCount(election).run()
