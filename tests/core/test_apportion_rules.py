"""Seat apportionment: the rules we chose (consejo.core.apportion): minimums, ties and how they are
recorded, the ratio mode, constituencies without members, exact Huntington-Hill priorities."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from consejo.core.apportion import Method, Share, apportion, apportion_by_ratio
from consejo.core.errors import InvalidInput, NotFound
from tests.core.results_apportion import C, by_name, seats


def test_dhondt_continues_the_divisors_from_the_minimum() -> None:
    bodies = [C("Senkata", 1000), C("Maestros", 10), C("Vendedores", 10)]

    result = apportion(bodies, method=Method.DHONDT, seats=5, min_seats=1)

    # Everyone holds 1; the next divisors are 2 and 3, so Senkata's 500 and 333 beat 10 / 2.
    assert seats(result) == [3, 1, 1]


def test_hamilton_gives_the_minimum_to_those_below_it_and_recomputes_the_rest() -> None:
    bodies = [C("A", 700), C("B", 200), C("C", 50), C("D", 50)]

    result = apportion(bodies, method=Method.HAMILTON, seats=10, min_seats=2)

    # Quotas 7, 2, 0.5, 0.5: C and D get 2 each. Over the 6 seats and 900 members left, B's quota
    # is 1.33, below 2: B gets 2. A gets the 4 seats left.
    assert seats(result) == [4, 2, 2, 2]


def test_huntington_hill_with_a_minimum_of_one_is_the_us_house_rule() -> None:
    bodies = [C("A", 100), C("B", 1), C("C", 0)]

    result = apportion(bodies, method=Method.HUNTINGTON_HILL, seats=5, min_seats=1)

    assert seats(result) == [3, 1, 1]


def test_a_constituency_without_members_gets_only_the_minimum() -> None:
    bodies = [C("A", 10), C("vacía", 0)]

    for method in Method:
        assert apportion(bodies, method=method, seats=6, min_seats=1).seats_of("vacía") == 1
        assert apportion(bodies, method=method, seats=6).seats_of("vacía") == 0


def test_with_no_members_at_all_only_the_minimums_can_be_given() -> None:
    bodies = [C("A", 0), C("B", 0)]

    result = apportion(bodies, method=Method.DHONDT, seats=4, min_seats=2)

    assert seats(result) == [2, 2]
    assert [share.quota for share in result.shares] == [Fraction(0), Fraction(0)]
    with pytest.raises(InvalidInput, match="no constituency has any members"):
        apportion(bodies, method=Method.DHONDT, seats=5, min_seats=2)


def test_a_tie_for_the_last_seat_goes_to_the_name_that_sorts_first_and_is_recorded() -> None:
    bodies = [C("Vendedores", 10), C("Mineros", 10), C("Maestros", 5)]

    result = apportion(bodies, method=Method.DHONDT, seats=1)

    assert by_name(result) == {"Vendedores": 0, "Mineros": 1, "Maestros": 0}
    assert result.ties == (
        "dhondt: tie for the last seat at quotient 10.0000 between 'Mineros', 'Vendedores'; "
        "the seat went to 'Mineros' (equal members; the name that sorts first)",
    )


def test_a_tied_quotient_goes_to_the_constituency_with_more_members() -> None:
    # D'Hondt: A's second quotient 20 / 2 equals B's first 10 / 1.
    result = apportion([C("Z", 20), C("B", 10)], method=Method.DHONDT, seats=2)

    assert seats(result) == [2, 0]
    assert len(result.ties) == 1
    assert "went to 'Z' (more members)" in result.ties[0]


def test_sainte_lague_breaks_a_tie_by_members_too() -> None:
    # Sainte-Laguë: A's second quotient 30 / 3 equals B's first 10 / 1.
    result = apportion([C("A", 30), C("B", 10)], method=Method.SAINTE_LAGUE, seats=2)

    assert seats(result) == [2, 0]
    assert "(more members)" in result.ties[0]


def test_hamilton_breaks_a_tie_of_remainders_and_records_it() -> None:
    result = apportion([C("C", 10), C("B", 10), C("A", 10)], method=Method.HAMILTON, seats=2)

    assert seats(result) == [0, 1, 1]
    assert result.ties == (
        "hamilton: tie for the last 2 seats at remainder 0.6667 between 'A', 'B', 'C'; "
        "the seats went to 'A', 'B' (equal members; the name that sorts first)",
    )


def test_huntington_hill_ties_the_seatless_when_seats_are_fewer_than_constituencies() -> None:
    result = apportion([C("A", 1), C("B", 50), C("C", 1)], method=Method.HUNTINGTON_HILL, seats=2)

    assert seats(result) == [1, 1, 0]
    assert "with no seat yet (unbounded priority)" in result.ties[0]
    assert "(more members, then the name that sorts first)" in result.ties[0]


def test_huntington_hill_compares_priorities_exactly_where_floats_would_err() -> None:
    # With 24 seats, A's next priority is 10 / sqrt(24 * 25); with 2, B's is 1 / sqrt(2 * 3):
    # exactly equal, so the tie rule gives the seat to A (more members). Floats disagree.
    assert 10 / math.sqrt(24 * 25) < 1 / math.sqrt(2 * 3)

    result = apportion(
        [C("A", 10), C("B", 1)], method=Method.HUNTINGTON_HILL, seats=27, min_seats=2
    )

    assert seats(result) == [25, 2]
    assert result.ties == (
        "huntington-hill: tie for the last seat at priority 0.4082 between 'A', 'B'; "
        "the seat went to 'A' (more members)",
    )


def test_no_tie_is_recorded_when_every_tied_constituency_gets_its_seat() -> None:
    result = apportion([C("A", 10), C("B", 10), C("C", 1)], method=Method.DHONDT, seats=2)

    assert seats(result) == [1, 1, 0]
    assert result.ties == ()


def test_the_ratio_mode_counts_full_units_of_members_with_a_minimum() -> None:
    bodies = [C("grande", 1000), C("casi", 999), C("chica", 250), C("vacía", 0)]

    result = apportion_by_ratio(bodies, members_per_seat=500, min_seats=1)

    assert seats(result) == [2, 1, 1, 1]
    assert result.seats == 5
    assert result.method is None
    assert result.members_per_seat == 500
    assert result.min_seats == 1
    assert result.ties == ()


def test_the_ratio_mode_without_a_minimum_can_give_no_seat() -> None:
    result = apportion_by_ratio([C("A", 499), C("B", 500)], members_per_seat=500, min_seats=0)

    assert seats(result) == [0, 1]


def test_the_quota_is_the_exact_hare_quota() -> None:
    result = apportion([C("A", 2), C("B", 1)], method=Method.DHONDT, seats=2)

    assert result.shares[0] == Share(name="A", members=2, seats=2, quota=Fraction(4, 3))
    assert result.shares[1].quota == Fraction(2, 3)


def test_the_method_may_be_given_by_its_name() -> None:
    result = apportion([C("A", 1)], method="sainte-lague", seats=3)  # type: ignore[arg-type]

    assert result.method is Method.SAINTE_LAGUE


def test_seats_of_an_unknown_name_is_not_found() -> None:
    result = apportion([C("A", 1)], method=Method.DHONDT, seats=1)

    with pytest.raises(NotFound, match="no constituency named 'B'"):
        result.seats_of("B")


def test_a_thousand_constituencies_and_ten_thousand_seats_are_apportioned_whole() -> None:
    # Speed is measured in benchmarks/ (no timing assertions in tests); this checks the large case.
    bodies = [C(f"body {i}", (i * 7919) % 100_003 + 1) for i in range(1000)]

    for method in Method:
        result = apportion(bodies, method=method, seats=10_000, min_seats=1)
        assert result.seats == 10_000
        assert sum(share.seats for share in result.shares) == 10_000
        assert min(share.seats for share in result.shares) >= 1
