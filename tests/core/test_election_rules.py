"""The election rules apart from the count (consejo.core.elections): phases, valid ballots, paper
rankings, the order of merit that names the substitutes, and the seed of the lot."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import assume, given, strategies as st

from consejo.core.counting.ballots import make_election
from consejo.core.counting.methods import METHODS, count
from consejo.core.counting.report import Result, Round
from consejo.core.elections import (
    Phase,
    check_choices,
    lot_seed,
    order_of_merit,
    phase,
    ranking_from_numbers,
)
from consejo.core.errors import InvalidInput

T0 = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)

# Hypothesis takes naive bounds; every instant it draws carries UTC.
instants = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2030, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
durations = st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=60))

# --- phase ---------------------------------------------------------------------------------------


@given(opens=instants, length=durations, at=instants)
def test_the_phase_follows_a_half_open_voting_period(
    opens: datetime, length: timedelta, at: datetime
) -> None:
    closes = opens + length
    got = phase(opens_at=opens, closes_at=closes, counted=False, at=at)
    if at < opens:
        assert got is Phase.NOMINATIONS
    elif at < closes:
        assert got is Phase.VOTING
    else:
        assert got is Phase.CLOSED


@given(opens=instants, length=durations, at=instants)
def test_a_counted_election_is_counted_whatever_the_clock_says(
    opens: datetime, length: timedelta, at: datetime
) -> None:
    assert phase(opens_at=opens, closes_at=opens + length, counted=True, at=at) is Phase.COUNTED


def test_the_boundaries_of_the_voting_period() -> None:
    opens, closes = T0, T0 + timedelta(hours=8)
    tick = timedelta(microseconds=1)

    def at(instant: datetime) -> Phase:
        return phase(opens_at=opens, closes_at=closes, counted=False, at=instant)

    assert at(opens - tick) is Phase.NOMINATIONS
    assert at(opens) is Phase.VOTING  # the first instant of voting is in
    assert at(closes - tick) is Phase.VOTING
    assert at(closes) is Phase.CLOSED  # the closing instant is out
    assert phase(opens_at=opens, closes_at=closes, counted=True, at=opens - tick) is Phase.COUNTED


# --- check_choices -------------------------------------------------------------------------------

candidate_keys = st.lists(st.integers(1, 60), min_size=1, max_size=12, unique=True)


@st.composite
def a_ballot(draw: st.DrawFn) -> tuple[list[int], list[int], bool, int | None]:
    """Standing candidates, a ballot (valid or not), whether ranked, the marks allowed."""
    standing = draw(candidate_keys)
    pool = [*standing, *draw(st.lists(st.integers(-5, 80), max_size=3))]
    choices = draw(st.lists(st.sampled_from(pool), max_size=len(standing) + 2))
    ranked = draw(st.booleans())
    max_marks = draw(st.none() | st.integers(1, len(standing)))
    return standing, choices, ranked, max_marks


@given(a_ballot())
def test_check_choices_accepts_exactly_the_valid_ballots_in_their_order(
    case: tuple[list[int], list[int], bool, int | None],
) -> None:
    standing, choices, ranked, max_marks = case
    valid = (
        len(choices) >= 1
        and len(set(choices)) == len(choices)
        and set(choices) <= set(standing)
        and (ranked or max_marks is None or len(choices) <= max_marks)
    )
    try:
        got = check_choices(choices, standing=standing, ranked=ranked, max_marks=max_marks)
    except InvalidInput:
        assert not valid
    else:
        assert valid
        assert got == tuple(choices)


@given(standing=candidate_keys, data=st.data())
def test_every_ordering_of_distinct_standing_candidates_is_a_valid_ranking(
    standing: list[int], data: st.DataObject
) -> None:
    choices = data.draw(st.permutations(standing))
    choices = choices[: data.draw(st.integers(1, len(choices)))]
    assert check_choices(choices, standing=standing, ranked=True, max_marks=1) == tuple(choices)


def test_check_choices_says_what_is_wrong() -> None:
    standing = [3, 5, 8]
    with pytest.raises(InvalidInput, match="empty"):
        check_choices([], standing=standing, ranked=True, max_marks=None)
    with pytest.raises(InvalidInput, match="twice"):
        check_choices([3, 3], standing=standing, ranked=True, max_marks=None)
    with pytest.raises(InvalidInput, match="not a candidate"):
        check_choices([4], standing=standing, ranked=False, max_marks=None)
    with pytest.raises(InvalidInput, match="marks 3 candidates; at most 2"):
        check_choices([3, 5, 8], standing=standing, ranked=False, max_marks=2)
    # The limit on marks applies to a block vote, never to a ranking.
    assert check_choices([8, 3, 5], standing=standing, ranked=True, max_marks=2) == (8, 3, 5)


# --- ranking_from_numbers ------------------------------------------------------------------------


@given(
    candidates=st.lists(st.integers(1, 1000), min_size=1, max_size=12, unique=True),
    data=st.data(),
)
def test_any_numbering_1_to_k_ranks_the_candidates_by_their_numbers(
    candidates: list[int], data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(candidates)))
    numbered = data.draw(st.permutations(candidates))[:k]
    blanks = [c for c in candidates if c not in numbered]
    spaces = st.sampled_from(["", " ", "  "])
    form = {c: f"{data.draw(spaces)}{i}{data.draw(spaces)}" for i, c in enumerate(numbered, 1)}
    form |= {c: data.draw(spaces) for c in blanks}
    order = data.draw(st.permutations(list(form)))  # the order of the form's fields is irrelevant
    assert ranking_from_numbers({c: form[c] for c in order}) == tuple(numbered)


@given(
    candidates=st.lists(st.integers(1, 1000), min_size=1, max_size=10, unique=True),
    data=st.data(),
)
def test_gaps_and_repeats_are_refused(candidates: list[int], data: st.DataObject) -> None:
    numbers = data.draw(
        st.lists(st.integers(1, 15), min_size=len(candidates), max_size=len(candidates))
    )
    assume(sorted(numbers) != list(range(1, len(numbers) + 1)))
    with pytest.raises(InvalidInput, match="without gaps or repeats"):
        ranking_from_numbers({c: str(n) for c, n in zip(candidates, numbers, strict=True)})


@pytest.mark.parametrize(
    "form",
    [
        {1: "1", 2: "3"},  # a gap
        {1: "2"},  # does not start at 1
        {1: "1", 2: "1"},  # a repeat
        {1: "0", 2: "1"},  # zero
        {1: "1", 2: "2", 3: "2"},
    ],
)
def test_worked_examples_of_bad_numbering(form: dict[int, str]) -> None:
    with pytest.raises(InvalidInput, match="without gaps or repeats"):
        ranking_from_numbers(form)


@pytest.mark.parametrize("text", ["x", "1.5", "-1", "+1", "1a", "uno", "½", "²", "٣", "\uff11"])
def test_a_preference_that_is_not_a_whole_number_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        ranking_from_numbers({1: "1", 2: text})


def test_a_form_left_blank_is_an_empty_ranking() -> None:
    assert ranking_from_numbers({1: "", 2: "  "}) == ()
    assert ranking_from_numbers({7: "2", 8: "", 9: "1"}) == (9, 7)


# --- order_of_merit ------------------------------------------------------------------------------

NAMES = [f"C{i:02d}" for i in range(8)]


@st.composite
def counted(
    draw: st.DrawFn, methods: tuple[str, ...] = tuple(sorted(METHODS))
) -> tuple[str, Result, list[str]]:
    """A method (of ``methods``), the result of a count by it of random ballots, and the
    candidates."""
    method = draw(st.sampled_from(methods))
    n = draw(st.integers(1, 7))
    names = NAMES[:n]
    seats = 1 if method == "irv" else draw(st.integers(1, n))  # IRV fills one seat
    ranked = METHODS[method].ranked
    ballot = st.permutations(range(n)).flatmap(
        lambda p: st.integers(1, len(p)).map(lambda k: tuple(p[:k]))
    )
    if not ranked and METHODS[method].marks_at_most_seats:
        ballot = ballot.map(lambda b: b[:seats])
    ballots = draw(st.lists(st.tuples(ballot, st.integers(1, 20)), min_size=1, max_size=12))
    election = make_election(candidates=names, seats=seats, ballots=ballots)
    return method, count(method, election, seed=draw(st.integers(0, 2**64 - 1))), names


@given(counted())
def test_the_order_of_merit_lists_every_candidate_once_elected_first(
    case: tuple[str, Result, list[str]],
) -> None:
    method, result, names = case
    merit = order_of_merit(result)
    assert sorted(merit) == sorted(names), method
    assert merit[: len(result.elected)] == result.elected


@given(counted(methods=("schulze",)))
def test_for_schulze_the_order_of_merit_is_its_ranking(case: tuple[str, Result, list[str]]) -> None:
    _method, result, _names = case
    assert result.ranking
    assert order_of_merit(result) == result.ranking


def test_in_stv_a_runner_up_excluded_later_comes_before_one_excluded_earlier() -> None:
    # 1 seat; A 10, B 7, C 5 (then B), D 3 (then C). D is excluded first, C's votes rise to 8, B
    # (7) is excluded next, then C, and A is elected: the runners-up in merit are C, B, D. Each
    # round's record lists every candidate, the excluded with 0: their "last round" is the one
    # before their exclusion, not the last round of the count.
    election = make_election(
        candidates=["A", "B", "C", "D"],
        seats=1,
        ballots=[((0,), 10), ((1,), 7), ((2, 1), 5), ((3, 2), 3)],
    )
    for method in ("scottish-stv", "meek-stv", "irv"):
        result = count(method, election)
        assert result.elected == ("A",), method
        assert order_of_merit(result) == ("A", "C", "B", "D"), method


@given(counted())
def test_a_runner_up_excluded_later_comes_first_in_the_order_of_merit(
    case: tuple[str, Result, list[str]],
) -> None:
    method, result, _names = case
    assume(method in ("scottish-stv", "meek-stv", "irv"))
    merit = order_of_merit(result)
    excluded_in = {
        name: round_.number
        for round_ in result.rounds
        if round_.action == "excluded"
        for name in round_.candidates
        if name not in result.elected
    }
    for earlier, later in itertools.permutations(excluded_in, 2):
        if excluded_in[earlier] < excluded_in[later]:
            assert merit.index(later) < merit.index(earlier), (excluded_in, merit)


def _round(number: int, votes: dict[str, str], action: str, who: tuple[str, ...]) -> Round:
    return Round(number, votes, "0", action, who, None, "")


def test_runners_up_follow_their_votes_in_the_last_round_they_were_in() -> None:
    # An STV-like record: D excluded in round 2 with 3 votes, B and C still in at the end.
    result = Result(
        method="scottish-stv",
        seats=1,
        valid_ballots=20,
        quota="11",
        elected=("A",),
        rounds=(
            _round(1, {"A": "9", "B": "4", "C": "4", "D": "3"}, "excluded", ("D",)),
            _round(2, {"A": "11", "B": "5", "C": "4"}, "elected", ("A",)),
        ),
        tie_broken_by_lot=False,
    )
    assert order_of_merit(result) == ("A", "B", "C", "D")
    # Equal votes: who stayed in the count longer comes first.
    tied = Result(
        method="irv",
        seats=1,
        valid_ballots=20,
        quota="11",
        elected=("A",),
        rounds=(
            _round(1, {"A": "10", "B": "5", "C": "5", "D": "5"}, "excluded", ("D",)),
            _round(2, {"A": "10", "B": "5", "C": "5"}, "excluded", ("C",)),
            _round(3, {"A": "11", "B": "5"}, "elected", ("A",)),
        ),
        tie_broken_by_lot=False,
    )
    assert order_of_merit(tied) == ("A", "B", "C", "D")


# --- lot_seed ------------------------------------------------------------------------------------

hashes = st.binary(min_size=1, max_size=64).map(lambda b: hashlib.sha256(b).hexdigest())


@given(hashes)
def test_the_seed_is_the_first_64_bits_of_the_head_hash(head: str) -> None:
    assert lot_seed(head) == lot_seed(head) == int(head[:16], 16)
    assert 0 <= lot_seed(head) < 2**64


@given(hashes, hashes)
def test_different_heads_give_different_seeds(first: str, second: str) -> None:
    assume(first[:16] != second[:16])
    assert lot_seed(first) != lot_seed(second)


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "0123456789abcde", "g" * 64, "ABCDEF0123456789" * 4, " " + "a" * 63, "-1" * 16],
)
def test_a_seed_is_drawn_only_from_a_hexadecimal_hash(bad: str) -> None:
    with pytest.raises(InvalidInput, match="hexadecimal"):
        lot_seed(bad)


@given(st.booleans(), st.booleans(), st.sampled_from(list(Phase)), st.booleans())
def test_a_ballot_is_received_only_from_a_member_online_while_voting_once(
    entitled: bool, paper: bool, at: Phase, has_voted: bool
) -> None:
    from consejo.core.elections import Refusal, ballot_refusal

    refusal = ballot_refusal(entitled=entitled, paper=paper, phase=at, has_voted=has_voted)
    assert (refusal is None) == (entitled and not paper and at is Phase.VOTING and not has_voted)
    if not entitled:
        assert refusal is Refusal.NOT_ENTITLED


@given(st.booleans(), st.sampled_from(list(Phase)), st.booleans(), st.booleans())
def test_nominations_run_until_voting_opens_or_on_paper_until_the_tally(
    paper: bool, at: Phase, tally_entered: bool, entitled: bool
) -> None:
    from consejo.core.elections import may_nominate, nomination_refusal

    open_ = nomination_refusal(paper=paper, phase=at, tally_entered=tally_entered) is None
    if paper:
        assert open_ == (at is not Phase.COUNTED and not tally_entered)
    else:
        assert open_ == (at is Phase.NOMINATIONS)
    assert may_nominate(entitled=entitled, paper=paper, phase=at, tally_entered=tally_entered) == (
        entitled and open_
    )
