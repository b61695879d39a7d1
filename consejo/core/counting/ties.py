"""Breaking a tie by looking back through the count, then by lot.

Rule (The Scottish Local Government Elections Order 2007, SSI 2007/42, Schedule 1, rules 49(2)
and 51(2)): among tied candidates, the one with the most votes (for the order of surpluses) or the
fewest (for exclusion) at the most recent earlier stage at which they were unequal is chosen; with
three or more tied, each stage keeps only those with the most (or fewest) votes, going back until
one remains (Droop's reading). If some are equal at every stage, the lot decides. IRV uses the
same look-back for exclusion.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TieBreak:
    """Who was chosen, and how: at which stage of ``history`` (0-based), or by lot among whom."""

    chosen: int
    stage: int | None
    drawn_from: tuple[int, ...]


def break_tie(
    tied: Iterable[int],
    history: Sequence[Mapping[int, int] | Sequence[int]],
    *,
    highest: bool,
    rng: random.Random,
) -> TieBreak:
    """Choose one of ``tied`` by looking back through ``history`` (newest last), then by lot.

    Each stage of ``history`` gives a candidate's votes by candidate index (a list or a dict).

    ``highest``: keep the candidates with the most votes at each stage (surplus order), else the
    fewest (exclusion). The lot draws from the remaining candidates in ascending order, so a
    seeded ``rng`` always draws the same one.
    """
    group = sorted(tied)
    for number in range(len(history) - 1, -1, -1):
        votes = history[number]
        target = max(votes[c] for c in group) if highest else min(votes[c] for c in group)
        group = [c for c in group if votes[c] == target]
        if len(group) == 1:
            return TieBreak(chosen=group[0], stage=number, drawn_from=())
    return TieBreak(chosen=rng.choice(group), stage=None, drawn_from=tuple(group))
