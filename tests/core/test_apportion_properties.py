"""Seat apportionment: Hypothesis properties of every method (consejo.core.apportion), and a
council's seats, where empty bodies hold none (the seat-packing finding of issue 8)."""

from __future__ import annotations

import math
from fractions import Fraction

from hypothesis import assume, given, strategies as st

from consejo.core.apportion import (
    Constituency,
    Method,
    apportion,
    apportion_by_ratio,
    apportion_council,
)
from tests.core.results_apportion import C, by_name, seats, solve
from tests.core.strategies_apportion import (
    DIVISOR_METHODS,
    Problem,
    constituencies,
    members,
    problems,
)

# ------------------------------------------------------------------------------------------------
# Properties of every method


@given(problems())
def test_the_seats_always_add_up_to_the_total(problem: Problem) -> None:
    result = solve(problem)

    assert sum(seats(result)) == problem.seats == result.seats


@given(problems())
def test_every_constituency_gets_at_least_the_minimum(problem: Problem) -> None:
    result = solve(problem)

    assert all(s >= problem.min_seats for s in seats(result))


@given(problems(methods=(Method.HAMILTON,), min_seats=st.just(0)))
def test_hamilton_stays_within_quota(problem: Problem) -> None:
    result = solve(problem)

    for share in result.shares:
        assert math.floor(share.quota) <= share.seats <= math.ceil(share.quota)


@given(problems(methods=(Method.HAMILTON,), min_seats=st.just(0)))
def test_hamilton_rounds_up_only_the_largest_remainders(problem: Problem) -> None:
    result = solve(problem)

    up = [s.quota - math.floor(s.quota) for s in result.shares if s.seats > math.floor(s.quota)]
    down = [s.quota - math.floor(s.quota) for s in result.shares if s.seats == math.floor(s.quota)]
    if up and down:
        assert min(up) >= max(down)


def _priority(method: Method, members: int, held: int) -> Fraction | None:
    """The exact priority of a constituency's next seat (squared for Huntington-Hill);
    ``None`` stands for an unbounded priority."""
    if method is Method.DHONDT:
        return Fraction(members, held + 1)
    if method is Method.SAINTE_LAGUE:
        return Fraction(members, 2 * held + 1)
    if held == 0:
        return None
    return Fraction(members * members, held * (held + 1))


def _at_most(left: Fraction | None, right: Fraction | None) -> bool:
    return right is None or (left is not None and left <= right)


@given(problems(methods=DIVISOR_METHODS))
def test_a_divisor_method_gives_every_seat_a_higher_priority_than_any_seat_it_withholds(
    problem: Problem,
) -> None:
    # The max-min inequality that characterizes divisor methods (Balinski & Young 2001, App. A):
    # the weakest seat given beats (or ties) the strongest seat withheld.
    result = solve(problem)

    given_ = [
        _priority(problem.method, s.members, s.seats - 1)
        for s in result.shares
        if s.seats > problem.min_seats
    ]
    withheld = [
        _priority(problem.method, s.members, s.seats) for s in result.shares if s.members > 0
    ]
    for seat_given in given_:
        for seat_withheld in withheld:
            assert _at_most(seat_withheld, seat_given)


@given(problems(methods=DIVISOR_METHODS))
def test_a_divisor_method_is_house_monotone(problem: Problem) -> None:
    assume(any(c.members for c in problem.constituencies))

    smaller = solve(problem)
    larger = solve(problem, seats=problem.seats + 1)

    assert all(b >= a for a, b in zip(seats(smaller), seats(larger), strict=True))


@given(problems(), st.randoms(use_true_random=False))
def test_the_input_order_never_changes_anyones_seats(problem: Problem, rng: object) -> None:
    shuffled = list(problem.constituencies)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]

    original = solve(problem)
    reordered = apportion(
        shuffled, method=problem.method, seats=problem.seats, min_seats=problem.min_seats
    )

    assert by_name(reordered) == by_name(original)
    assert reordered.ties == original.ties


@given(problems())
def test_more_members_never_means_fewer_seats(problem: Problem) -> None:
    result = solve(problem)

    for a in result.shares:
        for b in result.shares:
            if a.members > b.members:
                assert a.seats >= b.seats


@given(problems())
def test_without_a_recorded_tie_the_names_decide_nothing(problem: Problem) -> None:
    # Rename the constituencies so that the name order is reversed: if no tie was recorded, no
    # tie was broken by name, so every position keeps its seats.
    result = solve(problem)
    assume(not result.ties)
    ordered = sorted(c.name for c in problem.constituencies)
    reverse = dict(zip(ordered, reversed(ordered), strict=True))
    renamed = [C(reverse[c.name], c.members) for c in problem.constituencies]

    again = apportion(
        renamed, method=problem.method, seats=problem.seats, min_seats=problem.min_seats
    )

    assert seats(again) == seats(result)


@given(problems())
def test_each_recorded_tie_is_one_line_naming_the_method(problem: Problem) -> None:
    result = solve(problem)

    for note in result.ties:
        assert note.startswith(f"{problem.method.value}: tie for the last")
        assert "\n" not in note


@given(constituencies(), st.integers(1, 5_000), st.integers(0, 3))
def test_the_ratio_mode_gives_full_units_and_respects_the_minimum(
    bodies: list[Constituency], ratio: int, minimum: int
) -> None:
    result = apportion_by_ratio(bodies, members_per_seat=ratio, min_seats=minimum)

    for share in result.shares:
        assert share.seats >= minimum
        assert share.seats == max(minimum, share.members // ratio)
    assert result.seats == sum(seats(result))


@given(members(), members(), st.integers(1, 1_000))
def test_splitting_a_body_never_gains_seats_in_the_ratio_mode_without_a_minimum(
    a: int, b: int, ratio: int
) -> None:
    split = apportion_by_ratio([C("a", a), C("b", b)], members_per_seat=ratio, min_seats=0)
    whole = apportion_by_ratio([C("ab", a + b)], members_per_seat=ratio, min_seats=0)

    assert split.seats <= whole.seats


# ------------------------------------------------------------------------------------------------
# A council's seats: empty bodies hold none (the seat-packing finding of issue 8)


def test_a_council_gives_an_empty_body_no_seat_even_with_a_minimum() -> None:
    # The El Alto assembly: two districts and an empty body created to take a seat by the minimum.
    bodies = [
        Constituency("distrito-4", 7000),
        Constituency("distrito-8", 5000),
        Constituency("vacia", 0),
    ]
    result = apportion_council(bodies, method=Method.DHONDT, seats=12, min_seats=1)
    assert [s.seats for s in result.shares] == [7, 5, 0]
    assert [s.name for s in result.shares] == ["distrito-4", "distrito-8", "vacia"]


@given(problems(), st.integers(1, 5))
def test_empty_bodies_change_nobodys_seats_in_a_council(problem: Problem, empties: int) -> None:
    peopled = [c for c in problem.constituencies if c.members > 0]
    assume(peopled and problem.min_seats * len(peopled) <= problem.seats)
    names = {c.name for c in problem.constituencies}
    padding = [Constituency(f"empty {i}", 0) for i in range(empties) if f"empty {i}" not in names]
    arguments = {"method": problem.method, "seats": problem.seats, "min_seats": problem.min_seats}

    packed = apportion_council([*peopled, *padding], **arguments)  # type: ignore[arg-type]
    alone = apportion(peopled, **arguments)  # type: ignore[arg-type]

    assert [s.seats for s in packed.shares[: len(peopled)]] == [s.seats for s in alone.shares]
    assert all(s.seats == 0 for s in packed.shares[len(peopled) :])
    assert packed.seats == problem.seats


@given(constituencies(), st.integers(1, 1000), st.integers(0, 3))
def test_in_the_ratio_mode_an_empty_body_holds_no_seat(
    bodies: list[Constituency], ratio: int, minimum: int
) -> None:
    result = apportion_council(bodies, method=None, members_per_seat=ratio, min_seats=minimum)
    for body, share in zip(bodies, result.shares, strict=True):
        expected = 0 if body.members == 0 else max(minimum, body.members // ratio)
        assert share.seats == expected
