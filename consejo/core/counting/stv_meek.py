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

``count_meek_stv_exact`` counts by the same algorithm in exact rational arithmetic with omega
10^-10 (Droop's "Meek Parametric" rule), a check on the fixed-point count; see its docstring.

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

import math
from collections.abc import Sequence
from fractions import Fraction

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round

#: Units per vote: nine decimal places.
SCALE = 1_000_000_000
#: Omega: the iteration stops when the total surplus falls below 10^-6.
OMEGA = SCALE // 1_000_000

METHOD = "meek-stv"
METHOD_EXACT = "meek-stv-exact"
#: The exact variant's omega (10^-10) and the places its figures are reported to (12).
EXACT_OMEGA = Fraction(1, 10**10)
EXACT_SCALE = 10**12

_HOPEFUL, _ELECTED, _DEFEATED = 0, 1, 2


def format_units(units: int) -> str:
    """``units`` of 10^-9 vote as a 9-place decimal string (``1234567890`` -> ``"1.234567890"``)."""
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), SCALE)
    return f"{sign}{whole}.{fraction:09d}"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class _Count:
    """The state of one count; methods are the rule's steps."""

    method = METHOD

    def __init__(self, election: Election) -> None:
        self.names = election.candidates
        self.seats = election.seats
        self.tie_order = election.tie_order
        withdrawn = election.withdrawn
        n = len(self.names)
        self.standing = [c for c in range(n) if c not in withdrawn]
        self.state = [_DEFEATED] * n
        self.keep = [0] * n
        for c in self.standing:
            self.state[c] = _HOPEFUL
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
            if s == _DEFEATED:
                continue
            out.append(c)
            if s == _HOPEFUL:
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
            total = sum(votes[c] for c in self.standing if self.state[c] != _DEFEATED)
            self.quota = total // (self.seats + 1) + 1  # B.2.b
            quota = self.quota
            reached = [c for c in self.standing if self.state[c] == _HOPEFUL and votes[c] >= quota]
            for c in reached:  # B.2.c
                self.state[c] = _ELECTED
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
        hopeful = [c for c in self.standing if self.state[c] == _HOPEFUL]
        low = min(self.votes[c] for c in hopeful)
        tied = [c for c in hopeful if self.votes[c] <= low + self.surplus]
        candidate, note = self.break_tie(tied)
        self.state[candidate] = _DEFEATED
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
            note=_join(f"{iterations} iteration(s); {reason}; lowest vote defeated (B.3)", note),
        )

    def defeat_remaining(self, rest: list[int]) -> None:
        """C.2: with every seat filled, the hopeful candidates left are defeated."""
        for c in rest:
            self.state[c] = _DEFEATED
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
                note=_join(
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
        return [c for c in self.standing if self.state[c] == _HOPEFUL]

    def run(self) -> Result:
        first = True
        while 0 < self.seats - len(self.elected) < len(self.hopeful()):  # B.1
            why, reached, iterations = self.iterate()
            if why == "elected":
                self.changed(reached)
                self.record(
                    "elected",
                    reached,
                    note=_join(
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
                self.state[c] = _ELECTED
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


class _ExactCount(_Count):
    """Meek's method with exact rational arithmetic (Droop's "Meek Parametric" rule).

    As Hill, Wichmann and Woodall's algorithm with no rounding: quota = votes / (seats + 1), a
    candidate is elected with *more* than the quota, a ballot gives ``weight x keep factor`` and
    keeps ``weight x (1 - keep factor)``, keep factors become ``keep factor x quota / vote``; the
    iteration stops when the total surplus is at most 10^-10, stops falling, or some sure losers
    can be defeated together (those whose votes plus the surplus stay below the next candidate).
    """

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
            total = sum(
                (votes[c] for c in self.standing if self.state[c] != _DEFEATED), Fraction(0)
            )
            quota = self.exact_quota = total / (self.seats + 1)
            reached = [c for c in self.standing if self.state[c] == _HOPEFUL and votes[c] > quota]
            for c in reached:
                self.state[c] = _ELECTED
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
            note = _join(f"total surplus {reason}; lowest vote defeated", tie)
        for c in defeated:
            self.state[c] = _DEFEATED
            self.exact_keep[c] = Fraction(0)
            self.exact_votes[c] = Fraction(0)
        self.changed(defeated)
        self.distribute()  # the defeated candidates' papers pass on (as Droop reports it)
        self.record("excluded", defeated, note=f"{iterations} iteration(s); {note}")

    def defeat_remaining(self, rest: list[int]) -> None:
        for c in rest:
            self.state[c] = _DEFEATED
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


def _join(*parts: str) -> str:
    return "; ".join(part for part in parts if part)


def count_meek_stv(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by Meek's method, PR Foundation Meek Reference (module docstring).

    Hill, Wichmann and Woodall, The Computer Journal 30(3), 1987, with the PR Foundation's fixed
    arithmetic (9 places, rounded up) and omega 10^-6. Returns the elected candidates in order of
    election and every round. ``seed`` is unused: ties go by the tie order or ballot paper order.
    """
    del seed  # rule T needs no lot (see the module docstring)
    return _Count(election).run()


def count_meek_stv_exact(election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by Meek's method in exact rational arithmetic, omega 10^-10.

    Hill, Wichmann and Woodall's algorithm with no rounding at all (Droop's "Meek Parametric"
    rule with rational arithmetic, which also defeats sure losers together): a check on the
    fixed-point reference count, not for production: fractions grow with every iteration, so
    even a small election whose keep factors converge slowly can take minutes. Figures are
    reported to 12 places, rounded half up; ``seed`` is unused, as above.
    """
    del seed
    return _ExactCount(election).run()
