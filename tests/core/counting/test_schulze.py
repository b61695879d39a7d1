"""The Schulze method, winning votes (consejo.core.counting.schulze).

Worked example: the 45-voter example of the English Wikipedia article "Schulze method" (section
"Example"), whose pairwise matrix, strongest paths and ranking E > A > C > B > D the article gives
in full; it uses winning votes, as M. Schulze, Social Choice and Welfare 36 (2011) 267-303 does.
Then small hand-worked cases and Hypothesis properties.
"""

from __future__ import annotations

import json
import random

from hypothesis import assume, given, strategies as st

from consejo.core.counting.ballots import Election, make_election
from consejo.core.counting.report import Result
from consejo.core.counting.schulze import count_schulze

Ballots = list[tuple[tuple[int, ...], int]]

A, B, C, D, E = range(5)
WIKIPEDIA_45: Ballots = [
    ((A, C, B, E, D), 5),
    ((A, D, E, C, B), 5),
    ((B, E, D, A, C), 8),
    ((C, A, B, E, D), 3),
    ((C, A, E, B, D), 7),
    ((C, B, A, D, E), 2),
    ((D, C, E, B, A), 7),
    ((E, B, A, D, C), 8),
]


def election(
    ballots: Ballots, seats: int = 1, names: str = "ABCD", withdrawn: tuple[int, ...] = ()
) -> Election:
    return make_election(candidates=list(names), seats=seats, ballots=ballots, withdrawn=withdrawn)


def matrix(result: Result, which: str) -> dict[str, dict[str, int]]:
    """The pairwise (``d``) or strongest-path (``p``) matrix the note records, as JSON."""
    note = result.rounds[0].note
    start = note.index(f"{which} = ") + len(which) + 3
    table, _end = json.JSONDecoder().raw_decode(note, start)
    assert isinstance(table, dict)
    return table


def ranking(result: Result) -> list[str]:
    note = result.rounds[0].note
    text = note.split("Schulze ranking (winning votes): ", 1)[1].split(";", 1)[0]
    return text.split(" > ")


def test_the_wikipedia_45_voter_example_ranks_e_a_c_b_d() -> None:
    result = count_schulze(election(WIKIPEDIA_45, names="ABCDE"))
    assert result.method == "schulze"
    assert result.valid_ballots == 45
    assert matrix(result, "pairwise d") == {
        "A": {"B": 20, "C": 26, "D": 30, "E": 22},
        "B": {"A": 25, "C": 16, "D": 33, "E": 18},
        "C": {"A": 19, "B": 29, "D": 17, "E": 24},
        "D": {"A": 15, "B": 12, "C": 28, "E": 14},
        "E": {"A": 23, "B": 27, "C": 21, "D": 31},
    }
    assert matrix(result, "strongest paths p") == {
        "A": {"B": 28, "C": 28, "D": 30, "E": 24},
        "B": {"A": 25, "C": 28, "D": 33, "E": 24},
        "C": {"A": 25, "B": 29, "D": 29, "E": 24},
        "D": {"A": 25, "B": 28, "C": 28, "E": 24},
        "E": {"A": 25, "B": 28, "C": 28, "D": 31},
    }
    assert ranking(result) == ["E", "A", "C", "B", "D"]
    assert result.elected == ("E",)
    assert result.rounds[0].votes == {"A": "3", "B": "1", "C": "2", "D": "0", "E": "4"}
    assert not result.tie_broken_by_lot


def test_more_seats_take_the_top_of_the_ranking_in_order() -> None:
    result = count_schulze(election(WIKIPEDIA_45, seats=3, names="ABCDE"))
    assert result.elected == ("E", "A", "C")
    assert result.rounds[0].candidates == ("E", "A", "C")


def test_a_majority_cycle_is_resolved_by_its_weakest_link() -> None:
    # A>B 6:3, B>C 7:2, C>A 5:4: the weakest defeat, C over A, is overruled (p[A][C] =
    # min(6, 7) = 6 > p[C][A] = 5), and the ranking is A > B > C.
    result = count_schulze(election([((A, B, C), 4), ((B, C, A), 3), ((C, A, B), 2)], names="ABC"))
    assert matrix(result, "strongest paths p") == {
        "A": {"B": 6, "C": 6},
        "B": {"A": 5, "C": 7},
        "C": {"A": 5, "B": 5},
    }
    assert ranking(result) == ["A", "B", "C"]
    assert result.elected == ("A",)


def test_unranked_candidates_count_below_every_ranked_one_and_tie_among_themselves() -> None:
    result = count_schulze(election([((A,), 3), ((B, C), 2)], names="ABC"))
    d = matrix(result, "pairwise d")
    assert d["A"] == {"B": 3, "C": 3}
    assert d["B"] == {"A": 2, "C": 2}
    assert d["C"] == {"A": 2, "B": 0}
    assert ranking(result) == ["A", "B", "C"]


def test_a_tie_for_first_place_is_decided_by_the_recorded_lot() -> None:
    tied = election([((A,), 1), ((B,), 1)], names="AB")
    result = count_schulze(tied, seed=5)
    assert result.tie_broken_by_lot
    assert "random.Random(seed=5)" in result.rounds[0].note
    assert count_schulze(tied, seed=5) == result
    assert {count_schulze(tied, seed=s).elected for s in range(30)} == {("A",), ("B",)}


def test_a_lot_below_the_elected_is_noted_but_does_not_decide_the_result() -> None:
    result = count_schulze(election([((A,), 1)], names="ABC"))
    assert result.elected == ("A",)
    assert "lot" in result.rounds[0].note
    assert not result.tie_broken_by_lot


def test_a_withdrawn_candidate_is_left_out_of_the_count() -> None:
    result = count_schulze(election([((A, B), 3), ((B, C), 2)], names="ABC", withdrawn=(A,)))
    assert "A" not in result.rounds[0].votes
    assert result.elected == ("B",)


rankings = st.permutations(range(4)).flatmap(
    lambda p: st.integers(0, 4).map(lambda k: tuple(p[:k]))
)
ballot_lists = st.lists(st.tuples(rankings, st.integers(0, 30)), max_size=25)


def pairwise(ballots: Ballots, n: int = 4) -> list[list[int]]:
    """d[x][y], computed plainly: voters ranking x above y, or ranking x and not y."""
    d = [[0] * n for _ in range(n)]
    for r, w in ballots:
        for x in range(n):
            for y in range(n):
                if x != y and x in r and (y not in r or r.index(x) < r.index(y)):
                    d[x][y] += w
    return d


@given(ballot_lists, st.sampled_from(range(4)), rankings, st.integers(0, 3))
def test_a_condorcet_winner_always_wins(
    ballots: Ballots, winner: int, rest: tuple[int, ...], seed: int
) -> None:
    # Add enough ballots ranking ``winner`` first to make them beat everyone pairwise.
    d = pairwise(ballots)
    margin = max(d[y][winner] - d[winner][y] for y in range(4) if y != winner)
    ballot = (winner, *(c for c in rest if c != winner))
    ballots = [*ballots, (ballot, max(margin, 0) + 1)]
    d = pairwise(ballots)
    assert all(d[winner][y] > d[y][winner] for y in range(4) if y != winner)
    assert count_schulze(election(ballots), seed=seed).elected == ("ABCD"[winner],)


@given(ballot_lists, st.integers(0, 3))
def test_a_condorcet_loser_never_wins(ballots: Ballots, seed: int) -> None:
    d = pairwise(ballots)
    losers = [x for x in range(4) if all(d[y][x] > d[x][y] for y in range(4) if y != x)]
    assume(losers)
    assert count_schulze(election(ballots), seed=seed).elected != ("ABCD"[losers[0]],)


@given(ballot_lists, st.integers(0, 3))
def test_the_ranking_respects_every_strongest_path_and_elects_all_when_all_seats(
    ballots: Ballots, seed: int
) -> None:
    result = count_schulze(election(ballots, seats=4), seed=seed)
    d = matrix(result, "pairwise d")
    expected = pairwise(ballots)
    assert d == {
        "ABCD"[x]: {"ABCD"[y]: expected[x][y] for y in range(4) if y != x} for x in range(4)
    }
    p = matrix(result, "strongest paths p")
    order = ranking(result)
    assert tuple(order) == result.elected
    assert sorted(order) == ["A", "B", "C", "D"]
    for i, x in enumerate(order):
        for y in order[i + 1 :]:
            assert not p[y][x] > p[x][y]
        wins = sum(p[x][y] > p[y][x] for y in order if y != x)
        assert result.rounds[0].votes[x] == str(wins)


@given(ballot_lists, st.randoms(use_true_random=False), st.integers(1, 4))
def test_the_order_of_the_ballots_never_changes_the_result(
    ballots: Ballots, rng: random.Random, seats: int
) -> None:
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert count_schulze(election(shuffled, seats=seats)) == count_schulze(
        election(ballots, seats=seats)
    )
