"""Single transferable vote by Meek's method in exact rational arithmetic: a check on the
reference count of :mod:`consejo.core.counting.stv_meek`.

Source: I. D. Hill, B. A. Wichmann and D. R. Woodall, "Algorithm 123 - Single Transferable Vote
by Meek's Method", The Computer Journal 30(3), 1987, pp. 277-281, with no rounding at all, as
Droop (github.com/jklundell/droop) counts its "Meek Parametric" rule with rational arithmetic
and omega 10^-10: quota = votes / (seats + 1), a candidate is elected with *more* than the
quota, a ballot gives ``weight x keep factor`` and keeps ``weight x (1 - keep factor)``, keep
factors become ``keep factor x quota / vote``; the iteration stops when the total surplus is at
most 10^-10, stops falling, or some sure losers can be defeated together (those whose votes plus
the surplus stay below the next candidate). Figures are reported to 12 places, rounded half up.

The count is the reference rule's (:class:`~consejo.core.counting.stv_meek.MeekCount`: the
same grouping of ballots, ties broken by rule T, the same rounds) with the arithmetic replaced.
Not for production: fractions grow with every iteration.
"""

from __future__ import annotations

import math
from fractions import Fraction

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, join_notes
from consejo.core.counting.stv_meek import DEFEATED, ELECTED, HOPEFUL, MeekCount

METHOD_EXACT = "meek-stv-exact"
#: The exact variant's omega (10^-10) and the places its figures are reported to (12).
EXACT_OMEGA = Fraction(1, 10**10)
EXACT_SCALE = 10**12


class _ExactCount(MeekCount):
    """A count by Meek's method with no rounding (the rule is in the module docstring)."""

    method = METHOD_EXACT

    def __init__(self, election: Election) -> None:
        super().__init__(election)
        n = len(self.names)
        self.exact_keep = [Fraction(1 if c in self.standing else 0) for c in range(n)]
        self.exact_votes = [Fraction(0)] * n
        for ranking, weight in self.cut_weight.items():
            self.exact_votes[ranking[0]] += weight
        self.exact_quota = Fraction(self.valid, self.seats + 1)
        self.exact_surplus = Fraction(0)
        self.batch: list[int] = []

    def distribute(self) -> None:
        keep = self.exact_keep
        votes = [Fraction(0)] * len(self.names)
        for ranking, weight in self.cut_weight.items():
            w = Fraction(1)
            for c in ranking:
                kept = w * keep[c]
                votes[c] += kept * weight
                w -= kept
                if w <= 0:
                    break
        self.exact_votes = votes

    def iterate(self) -> tuple[str, list[int], int]:
        last = Fraction(self.valid)
        iterations = 0
        while True:
            iterations += 1
            self.distribute()
            votes = self.exact_votes
            total = sum((votes[c] for c in self.standing if self.state[c] != DEFEATED), Fraction(0))
            quota = self.exact_quota = total / (self.seats + 1)
            reached = [c for c in self.standing if self.state[c] == HOPEFUL and votes[c] > quota]
            for c in reached:
                self.state[c] = ELECTED
                self.elected.append(c)
            surplus = sum((votes[c] - quota for c in self.elected), Fraction(0))
            self.exact_surplus = surplus
            if reached:
                return "elected", reached, iterations
            if surplus <= EXACT_OMEGA:
                return "omega", [], iterations
            if surplus >= last:
                return "stable", [], iterations
            self.batch = self.sure_losers(surplus)
            if self.batch:
                return "batch", self.batch, iterations
            last = surplus
            for c in self.elected:
                self.exact_keep[c] = self.exact_keep[c] * quota / votes[c]

    def sure_losers(self, surplus: Fraction) -> list[int]:
        """The most lowest candidates whose votes and the surplus stay below the next one."""
        votes = self.exact_votes
        ranked = sorted(self.hopeful(), key=lambda c: (votes[c], c))
        groups: list[list[int]] = []
        for c in ranked:
            if groups and votes[groups[-1][0]] + surplus >= votes[c]:
                groups[-1].append(c)
            else:
                groups.append([c])
        most = len(ranked) - (self.seats - len(self.elected))
        batch: list[int] = []
        count, held = 0, Fraction(0)
        chosen = 0
        for g in range(len(groups) - 1):
            count += len(groups[g])
            if count > most:
                break
            held += sum((votes[c] for c in groups[g]), Fraction(0))
            if held + surplus < votes[groups[g + 1][0]]:
                chosen = g + 1
        for group in groups[:chosen]:
            batch.extend(group)
        return sorted(batch)

    def defeat_lowest(self, why: str, iterations: int) -> None:
        if why == "batch":
            defeated, note = self.batch, "sure losers defeated together"
        else:
            hopeful = self.hopeful()
            low = min(self.exact_votes[c] for c in hopeful)
            tied = [c for c in hopeful if self.exact_votes[c] <= low + self.exact_surplus]
            candidate, tie = self.break_tie(tied)
            defeated = [candidate]
            reason = "at most omega 10^-10" if why == "omega" else "no longer falling"
            note = join_notes(f"total surplus {reason}; lowest vote defeated", tie)
        for c in defeated:
            self.state[c] = DEFEATED
            self.exact_keep[c] = Fraction(0)
            self.exact_votes[c] = Fraction(0)
        self.changed(defeated)
        self.distribute()  # the defeated candidates' papers pass on (as Droop reports it)
        self.record("excluded", defeated, note=f"{iterations} iteration(s); {note}")

    def defeat_remaining(self, rest: list[int]) -> None:
        for c in rest:
            self.state[c] = DEFEATED
            self.exact_keep[c] = Fraction(0)
        self.changed(rest)
        self.distribute()  # their papers pass on (as Droop reports it)
        self.record("excluded", rest, note="all seats filled: remaining candidates defeated")

    def vote_text(self, candidate: int) -> str:
        return _format_exact(self.exact_votes[candidate])

    def keep_text(self, candidate: int) -> str:
        return _format_exact(self.exact_keep[candidate])

    def quota_text(self) -> str:
        return _format_exact(self.exact_quota)

    def exhausted_text(self) -> str:
        held = sum((self.exact_votes[c] for c in self.standing), Fraction(0))
        return _format_exact(self.valid - held)


def _format_exact(value: Fraction) -> str:
    """``value`` to 12 decimal places, half up (as Droop's rational reports show it)."""
    units = math.floor(value * EXACT_SCALE + Fraction(1, 2))
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), EXACT_SCALE)
    return f"{sign}{whole}.{fraction:012d}"


def count_meek_stv_exact(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by Meek's method in exact rational arithmetic, omega 10^-10.

    Hill, Wichmann and Woodall's algorithm with no rounding at all (Droop's "Meek Parametric"
    rule with rational arithmetic, which also defeats sure losers together): a check on the
    fixed-point reference count, not for production: fractions grow with every iteration, so
    even a small election whose keep factors converge slowly can take minutes. Figures are
    reported to 12 places, rounded half up; ``seed`` is unused, as in
    :func:`~consejo.core.counting.stv_meek.count_meek_stv`.
    """
    del seed
    return _ExactCount(election).run()
