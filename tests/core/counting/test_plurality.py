"""Block vote and approval (consejo.core.counting.plurality)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from consejo.core.counting.ballots import Election, make_election
from consejo.core.counting.plurality import count_approval, count_plurality


def election(ballots: list[tuple[tuple[int, ...], int]], seats: int = 1, **kw: object) -> Election:
    return make_election(
        candidates=["Ana", "Benito", "Carmen", "Dora"], seats=seats, ballots=ballots, **kw
    )  # type: ignore[arg-type]


def test_first_past_the_post_elects_the_most_first_preferences() -> None:
    result = count_plurality(election([((0, 1), 4), ((1, 0), 5), ((2,), 3)]))
    assert result.elected == ("Benito",)
    assert result.rounds[0].votes == {"Ana": "4", "Benito": "5", "Carmen": "3", "Dora": "0"}
    assert result.valid_ballots == 12
    assert not result.tie_broken_by_lot


def test_the_block_vote_gives_each_voter_as_many_votes_as_seats() -> None:
    # Two seats: every ballot counts for its first two candidates (Ana's 4 voters also vote
    # Benito; Carmen, ranked third by them, gets nothing from them).
    result = count_plurality(election([((0, 1, 2), 4), ((2, 3), 3), ((3, 2), 2)], seats=2))
    assert result.rounds[0].votes == {"Ana": "4", "Benito": "4", "Carmen": "5", "Dora": "5"}
    assert set(result.elected) == {"Carmen", "Dora"}
    assert not result.tie_broken_by_lot


def test_approval_counts_every_ranked_candidate() -> None:
    result = count_approval(election([((0, 1, 2), 4), ((2, 3), 3), ((3,), 2)], seats=2))
    assert result.rounds[0].votes == {"Ana": "4", "Benito": "4", "Carmen": "7", "Dora": "5"}
    result = count_approval(election([((0, 1, 2, 3), 4), ((2, 3), 3)], seats=1))
    assert result.elected[0] in {"Carmen", "Dora"}  # 7 each: a tie at the cut...
    assert result.tie_broken_by_lot  # ...decided by the recorded lot
    assert "lot (seed 0)" in result.rounds[0].note


def test_a_withdrawn_candidate_passes_the_vote_to_the_next_on_the_ballot() -> None:
    result = count_plurality(election([((0, 1), 4), ((2,), 3)], withdrawn=[0]))
    assert "Ana" not in result.rounds[0].votes
    assert result.elected == ("Benito",)


def test_the_lot_is_repeatable_and_depends_on_the_seed() -> None:
    tied = election([((0,), 1), ((1,), 1), ((2,), 1), ((3,), 1)])
    outcomes = {count_plurality(tied, seed=s).elected for s in range(40)}
    assert count_plurality(tied, seed=7) == count_plurality(tied, seed=7)
    assert len(outcomes) > 1


rankings = st.permutations(range(4)).flatmap(
    lambda p: st.integers(0, 4).map(lambda k: tuple(p[:k]))
)
ballot_lists = st.lists(st.tuples(rankings, st.integers(0, 30)), max_size=25)


@given(ballot_lists, st.integers(1, 4))
def test_as_many_are_elected_as_there_are_seats_and_no_one_beats_an_elected(
    ballots: list[tuple[tuple[int, ...], int]], seats: int
) -> None:
    for count in (count_plurality, count_approval):
        result = count(election(ballots, seats=seats))
        assert len(result.elected) == seats == len(set(result.elected))
        votes = {name: int(v) for name, v in result.rounds[0].votes.items()}
        lowest_elected = min(votes[name] for name in result.elected)
        assert all(votes[n] <= lowest_elected for n in votes if n not in result.elected)


@given(ballot_lists, st.randoms())
def test_the_order_of_the_ballots_never_changes_the_result(
    ballots: list[tuple[tuple[int, ...], int]], rng: object
) -> None:
    shuffled = list(ballots)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    assert count_plurality(election(ballots, seats=2)) == count_plurality(
        election(shuffled, seats=2)
    )
