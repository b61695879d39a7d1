"""Look-back tie-breaking shared by Scottish STV and IRV (SSI 2007/42, rules 49(2), 51(2))."""

from __future__ import annotations

import random

from consejo.core.counting.ties import break_tie


def test_the_most_recent_stage_where_they_differ_decides() -> None:
    history = [{0: 5, 1: 7, 2: 5}, {0: 9, 1: 8, 2: 9}]
    decided = break_tie([1, 0], history, highest=False, rng=random.Random(0))
    assert (decided.chosen, decided.stage) == (1, 1)


def test_with_three_tied_each_stage_keeps_only_the_extreme_ones() -> None:
    # Stage 2: 0 and 2 have the most; stage 1 then separates them.
    history = [[4, 1, 3], [6, 5, 6]]
    decided = break_tie([0, 1, 2], history, highest=True, rng=random.Random(0))
    assert (decided.chosen, decided.stage) == (0, 0)


def test_equal_at_every_stage_is_decided_by_a_repeatable_lot() -> None:
    history = [[2, 2, 2]]
    first = break_tie([2, 0, 1], history, highest=False, rng=random.Random(7))
    again = break_tie([0, 1, 2], history, highest=False, rng=random.Random(7))
    assert first == again
    assert first.stage is None
    assert first.drawn_from == (0, 1, 2)
