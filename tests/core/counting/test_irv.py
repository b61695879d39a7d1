"""Instant-runoff voting (consejo.core.counting.irv), Commonwealth Electoral Act 1918 s274.

Worked examples by hand (one published: the Tennessee capital example of the English Wikipedia
article "Instant-runoff voting"), then Hypothesis properties over small random elections.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, given, strategies as st

from consejo.core.counting.ballots import Election, make_election
from consejo.core.counting.irv import count_irv
from consejo.core.errors import InvalidInput

NAMES = ["Ana", "Benito", "Carmen", "Dora"]
A, B, C, D = range(4)

Ballots = list[tuple[tuple[int, ...], int]]


def election(ballots: Ballots, seats: int = 1, withdrawn: tuple[int, ...] = ()) -> Election:
    return make_election(candidates=NAMES, seats=seats, ballots=ballots, withdrawn=withdrawn)


def test_the_tennessee_capital_goes_to_knoxville_after_two_exclusions() -> None:
    # Wikipedia, "Instant-runoff voting", the Tennessee example: 42% Memphis > Nashville >
    # Chattanooga > Knoxville, 26% Nashville > Chattanooga > Knoxville > Memphis, 15% Chattanooga
    # > Knoxville > Nashville > Memphis, 17% Knoxville > Chattanooga > Nashville > Memphis.
    m, n, c, k = range(4)
    tennessee = make_election(
        candidates=["Memphis", "Nashville", "Chattanooga", "Knoxville"],
        seats=1,
        ballots=[((m, n, c, k), 42), ((n, c, k, m), 26), ((c, k, n, m), 15), ((k, c, n, m), 17)],
    )
    result = count_irv(tennessee)
    assert result.method == "irv"
    assert result.elected == ("Knoxville",)
    # Round 1 holds the first preferences; each exclusion round the votes after the transfer.
    assert [(r.action, r.candidates) for r in result.rounds] == [
        ("elected", ()),
        ("excluded", ("Chattanooga",)),
        ("excluded", ("Nashville",)),
        ("elected", ("Knoxville",)),
    ]
    assert result.rounds[0].votes == {
        "Memphis": "42",
        "Nashville": "26",
        "Chattanooga": "15",
        "Knoxville": "17",
    }
    assert result.rounds[1].votes["Knoxville"] == "32"
    assert result.rounds[2].votes == {
        "Memphis": "42",
        "Nashville": "0",
        "Chattanooga": "0",
        "Knoxville": "58",
    }
    assert result.rounds[3].votes == result.rounds[2].votes
    assert "58 of 100 continuing votes, an absolute majority" in result.rounds[3].note
    assert result.valid_ballots == 100
    assert not result.tie_broken_by_lot


def test_the_majority_is_of_the_votes_still_counting_not_of_all_ballots() -> None:
    # Dora (no votes) goes first, then Carmen; her 2 voters rank nobody else, so their ballots
    # are exhausted, and Ana's 4 votes are a majority of the 7 that still count (not of the 9).
    result = count_irv(election([((A,), 4), ((B,), 3), ((C,), 2)]))
    assert result.elected == ("Ana",)
    assert [r.candidates for r in result.rounds] == [(), ("Dora",), ("Carmen",), ("Ana",)]
    assert [r.exhausted for r in result.rounds] == ["0", "0", "2", "2"]
    assert "no absolute majority of 9" in result.rounds[0].note
    assert "4 of 7 continuing votes" in result.rounds[3].note


def test_a_tie_for_the_fewest_votes_looks_back_to_the_last_round_where_they_differed() -> None:
    ballots = [((A,), 7), ((B,), 4), ((C, B), 3), ((D, C), 1), ((D, A), 1)]
    result = count_irv(election(ballots))
    # After Dora's exclusion (round 2) Benito and Carmen both have 4; in round 1 Carmen had 3 to
    # Benito's 4, so Carmen is excluded next (round 3).
    assert result.rounds[1].candidates == ("Dora",)
    assert result.rounds[1].votes == {"Ana": "8", "Benito": "4", "Carmen": "4", "Dora": "0"}
    assert result.rounds[2].candidates == ("Carmen",)
    assert "broken by the votes at the end of round 1 -> Carmen" in result.rounds[2].note
    assert result.rounds[2].votes["Benito"] == "7"
    assert result.rounds[2].exhausted == "1"
    assert result.elected == ("Ana",)
    assert not result.tie_broken_by_lot


def test_a_tie_equal_in_every_round_is_decided_by_the_recorded_lot() -> None:
    tied = election([((A,), 1), ((B,), 1)])
    result = count_irv(tied, seed=3)
    assert result.tie_broken_by_lot
    assert "random.Random(seed=3)" in result.rounds[1].note
    assert count_irv(tied, seed=3) == result
    assert {count_irv(tied, seed=s).elected for s in range(30)} == {("Ana",), ("Benito",)}


def test_a_withdrawn_candidate_is_skipped_and_not_reported() -> None:
    result = count_irv(election([((A, B), 5), ((C,), 4)], withdrawn=(A,)))
    assert "Ana" not in result.rounds[0].votes
    assert result.elected == ("Benito",)


def test_irv_refuses_to_fill_more_than_one_seat() -> None:
    with pytest.raises(InvalidInput, match="IRV fills one seat"):
        count_irv(election([((A, B), 5)], seats=2))


rankings = st.permutations(range(4)).flatmap(
    lambda p: st.integers(0, 4).map(lambda k: tuple(p[:k]))
)
ballot_lists = st.lists(st.tuples(rankings, st.integers(0, 30)), max_size=25)


def pairwise(ballots: Ballots, x: int, y: int) -> int:
    """Voters who rank x above y (or rank x and leave y out)."""
    total = 0
    for ranking, weight in ballots:
        if x in ranking and (y not in ranking or ranking.index(x) < ranking.index(y)):
            total += weight
    return total


@given(ballot_lists, st.sampled_from(range(4)), rankings)
def test_a_majority_of_first_preferences_wins_in_the_first_round(
    ballots: Ballots, favourite: int, rest: tuple[int, ...]
) -> None:
    others = sum(w for r, w in ballots if r and r[0] != favourite)
    ballot = (favourite, *(c for c in rest if c != favourite))
    result = count_irv(election([*ballots, (ballot, others + 1)]))
    assert result.elected == (NAMES[favourite],)
    assert len(result.rounds) == 1
    assert result.rounds[0].candidates == (NAMES[favourite],)


@given(ballot_lists, st.integers(0, 3))
def test_votes_and_exhausted_ballots_add_up_to_the_valid_ballots_in_every_round(
    ballots: Ballots, seed: int
) -> None:
    result = count_irv(election(ballots), seed=seed)
    assert len(result.elected) == 1
    out: set[str] = set()
    previous = 0
    for round_ in result.rounds:
        votes = {name: int(v) for name, v in round_.votes.items()}
        assert sum(votes.values()) + int(round_.exhausted) == result.valid_ballots
        assert int(round_.exhausted) >= previous
        previous = int(round_.exhausted)
        if round_.action == "excluded":
            out.update(round_.candidates)
        assert all(votes[name] == 0 for name in out)
    assert result.rounds[-1].action == "elected"
    assert result.elected[0] not in out


@given(ballot_lists, st.randoms(use_true_random=False))
def test_the_order_of_the_ballots_never_changes_the_result(
    ballots: Ballots, rng: random.Random
) -> None:
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    # Splitting a group of identical ballots in two changes nothing either.
    split = [(r, w // 2) for r, w in shuffled] + [(r, w - w // 2) for r, w in shuffled]
    result = count_irv(election(ballots))
    assert count_irv(election(shuffled)) == result
    assert count_irv(election(split)) == result


@given(ballot_lists)
def test_a_candidate_no_ballot_ranks_never_wins_once_someone_has_voted(ballots: Ballots) -> None:
    without_dora = [(tuple(c for c in r if c != D), w) for r, w in ballots]
    assume(any(r and w for r, w in without_dora))
    assert count_irv(election(without_dora)).elected != ("Dora",)


@given(ballot_lists, st.integers(0, 3))
def test_the_condorcet_loser_is_never_elected(ballots: Ballots, seed: int) -> None:
    losers = [
        x
        for x in range(4)
        if all(pairwise(ballots, y, x) > pairwise(ballots, x, y) for y in range(4) if y != x)
    ]
    assume(losers)
    assert count_irv(election(ballots), seed=seed).elected != (NAMES[losers[0]],)
