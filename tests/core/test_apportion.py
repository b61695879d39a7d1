"""Seat apportionment: published worked examples, the rules we chose, and their properties."""

from __future__ import annotations

import csv
import io
import math
import re
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, strategies as st

from consejo.core.apportion import (
    Apportionment,
    Constituency,
    Method,
    Share,
    apportion,
    apportion_by_ratio,
    apportion_council,
    read_csv,
    to_json,
    write_csv,
)
from consejo.core.errors import InvalidInput, NotFound
from tests.core.strategies_apportion import (
    DIVISOR_METHODS,
    Problem,
    constituencies,
    members,
    problems,
)

DATA = Path(__file__).parent / "data" / "apportion"

C = Constituency


def seats(result: Apportionment) -> list[int]:
    return [share.seats for share in result.shares]


def by_name(result: Apportionment) -> dict[str, int]:
    return {share.name: share.seats for share in result.shares}


def solve(problem: Problem, **changes: object) -> Apportionment:
    arguments: dict[str, object] = {
        "method": problem.method,
        "seats": problem.seats,
        "min_seats": problem.min_seats,
    }
    arguments.update(changes)
    return apportion(problem.constituencies, **arguments)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------------------
# Published worked examples. The data and the full citations are in tests/core/data/apportion/
# (README.md there). Each expected file is named <example>.<method>-<seats>[-min<K>].csv and holds
# the published seats, typed in from the source, in the exact output of `consejo apportion`.

PUBLISHED = [
    # Apportionment Act of 1792: 105 seats by Jefferson's method (= D'Hondt), 1790 census. Seats as
    # in St. George Tucker's Blackstone (1803), vol. 1, note D; see Balinski & Young 2001, ch. 2.
    "us_1790.dhondt-105.csv",
    # The vetoed bill of 1792: 120 seats by Hamilton's method. Seats as listed by the US National
    # Archives, "The 1790 Census and the First Veto" (Prologue blog, 2022).
    "us_1790.hamilton-120.csv",
    # The 2020 US House: 435 seats, one per state first, then equal proportions (2 U.S.C. §2a).
    # US Census Bureau, 2020 Census Apportionment Results, Table 1.
    "us_2020.huntington-hill-435-min1.csv",
    # Wikipedia, "D'Hondt method", worked example: 8 seats -> 4, 3, 1, 0.
    "wikipedia_four_parties.dhondt-8.csv",
    # Wikipedia, "Sainte-Laguë method", the same votes: 8 seats -> 3, 3, 1, 1.
    "wikipedia_four_parties.sainte-lague-8.csv",
    # Wikipedia, "Apportionment paradox", the Alabama paradox simplified: C has 2 of 10, 1 of 11.
    "alabama_paradox_three_states.hamilton-10.csv",
    "alabama_paradox_three_states.hamilton-11.csv",
    # Electowiki, "Alabama paradox": C has 14 of 323 seats, 13 of 324.
    "alabama_paradox_four_states.hamilton-323.csv",
    "alabama_paradox_four_states.hamilton-324.csv",
    # COMAP, For All Practical Purposes, 10th ed. 2015, ch. 14, exercise 15: 89, 90, 91 seats.
    "comap_five_parties.hamilton-89.csv",
    "comap_five_parties.hamilton-90.csv",
    "comap_five_parties.hamilton-91.csv",
    # Honikel, Staatsrecht, "Berechnungsbeispiele - Lösungen": 10 seats by three methods.
    "honikel_three_parties.sainte-lague-10.csv",
    "honikel_three_parties.hamilton-10.csv",
    "honikel_three_parties.dhondt-10.csv",
    # Electoral Reform wiki, "Sainte-Laguë Method": 10 seats, the same result as D'Hondt.
    "electoral_reform_four_parties.sainte-lague-10.csv",
    "electoral_reform_four_parties.dhondt-10.csv",
]

_EXPECTED_NAME = re.compile(
    r"^(?P<example>[a-z0-9_]+)\.(?P<method>[a-z-]+?)-(?P<seats>\d+)(?:-min(?P<min>\d+))?\.csv$"
)


@pytest.mark.parametrize(
    "expected", PUBLISHED, ids=[name.removesuffix(".csv") for name in PUBLISHED]
)
def test_a_published_apportionment_is_reproduced_exactly(expected: str) -> None:
    parts = _EXPECTED_NAME.match(expected)
    assert parts is not None
    bodies = read_csv((DATA / f"{parts['example']}.csv").read_text(encoding="utf-8"))

    result = apportion(
        bodies,
        method=Method(parts["method"]),
        seats=int(parts["seats"]),
        min_seats=int(parts["min"] or 0),
    )

    assert write_csv(result) == (DATA / expected).read_text(encoding="utf-8")
    assert result.ties == ()


def test_every_published_example_in_the_data_folder_is_checked() -> None:
    expected_files = {path.name for path in DATA.glob("*.*-*.csv")}

    assert expected_files == set(PUBLISHED)


def test_the_2020_house_is_the_same_without_the_one_seat_minimum() -> None:
    # Huntington-Hill's first divisor is sqrt(0 * 1) = 0: every state gets a seat before any gets
    # a second, so the constitutional minimum changes nothing when there are enough seats.
    states = read_csv((DATA / "us_2020.csv").read_text(encoding="utf-8"))

    with_minimum = apportion(states, method=Method.HUNTINGTON_HILL, seats=435, min_seats=1)
    without = apportion(states, method=Method.HUNTINGTON_HILL, seats=435)

    assert seats(without) == seats(with_minimum)
    assert with_minimum.seats_of("California") == 52
    assert with_minimum.seats_of("Wyoming") == 1


def test_hamilton_shows_the_alabama_paradox_and_the_divisor_methods_do_not() -> None:
    states = read_csv((DATA / "alabama_paradox_three_states.csv").read_text(encoding="utf-8"))

    assert apportion(states, method=Method.HAMILTON, seats=10).seats_of("C") == 2
    assert apportion(states, method=Method.HAMILTON, seats=11).seats_of("C") == 1
    for method in DIVISOR_METHODS:
        ten = apportion(states, method=method, seats=10).seats_of("C")
        eleven = apportion(states, method=method, seats=11).seats_of("C")
        assert eleven >= ten


def test_the_1790_census_apportioned_by_dhondt_gives_virginia_19_and_delaware_1() -> None:
    states = read_csv((DATA / "us_1790.csv").read_text(encoding="utf-8"))

    result = apportion(states, method=Method.DHONDT, seats=105)

    assert result.seats_of("Virginia") == 19
    assert result.seats_of("Delaware") == 1
    assert sum(share.members for share in result.shares) == 3_615_920


# ------------------------------------------------------------------------------------------------
# The rules we chose: minimums, ties, the ratio mode, no members


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


# ------------------------------------------------------------------------------------------------
# Bad input: one clear line, never a traceback


@pytest.mark.parametrize(
    ("bodies", "arguments", "message"),
    [
        ([], {}, "no constituencies given"),
        ([C("A", -1)], {}, "members of 'A' must be a whole number ≥ 0, got -1"),
        ([C("A", 2.5)], {}, "members of 'A' must be a whole number ≥ 0, got 2.5"),  # type: ignore[arg-type]
        ([C("A", "3")], {}, "members of 'A' must be a whole number ≥ 0, got '3'"),  # type: ignore[arg-type]
        ([C("A", True)], {}, "members of 'A' must be a whole number ≥ 0, got True"),
        ([C("A", 1), C("A", 2)], {}, "duplicate name 'A'"),
        ([C("A", 1), C("  ", 2)], {}, "constituency 2 has an empty name"),
        ([C("A", 1)], {"seats": -1}, "seats must be a whole number from 0 to 1000000, got -1"),
        ([C("A", 1)], {"seats": 10**20}, "seats must be a whole number from 0 to 1000000"),
        ([C("A", 1)], {"min_seats": -1}, "min_seats must be a whole number from 0 to 1000000"),
        ([C("A", 1)], {"seats": 2.0}, "seats must be a whole number from 0 to 1000000, got 2.0"),
        (
            [C("A", 1), C("B", 1), C("C", 1)],
            {"seats": 5, "min_seats": 2},
            "min_seats 2 for each of 3 constituencies needs 6 seats, but only 5",
        ),
        ([C("A", 1)], {"method": "webster"}, "unknown method 'webster'; use one of dhondt"),
    ],
)
def test_bad_input_to_apportion_is_refused_with_one_clear_line(
    bodies: list[Constituency], arguments: dict[str, object], message: str
) -> None:
    call: dict[str, object] = {"method": Method.DHONDT, "seats": 3, **arguments}

    with pytest.raises(InvalidInput) as error:
        apportion(bodies, **call)  # type: ignore[arg-type]

    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"members_per_seat": 0}, "members_per_seat must be a whole number from 1 to"),
        ({"members_per_seat": 500, "min_seats": -1}, "min_seats must be a whole number from 0 to"),
    ],
)
def test_bad_input_to_the_ratio_mode_is_refused(arguments: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        apportion_by_ratio([C("A", 1)], **arguments)


# ------------------------------------------------------------------------------------------------
# CSV and JSON


def test_read_csv_tolerates_spaces_blank_lines_quotes_a_bom_and_either_column_order() -> None:
    text = '\ufeff Members , NAME \r\n\r\n  120 , "Junta vecinal, Villa Ingenio"\r\n7,Senkata\r\n'

    assert read_csv(text) == [C("Junta vecinal, Villa Ingenio", 120), C("Senkata", 7)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty: expected a header line name,members"),
        ("\n\n", "the file is empty"),
        ("name,members\n", "the file has a header but no constituencies"),
        ("A,12\n", "line 1: the header must be name,members, got 'A,12'"),
        ("name,members,seats\nA,1,1\n", "line 1: the header must be name,members"),
        ("name\nA\n", "line 1: the header must be name,members, got 'name'"),
        ("name,members\nA,1\nB,abc\n", "line 3: members must be a whole number ≥ 0, got 'abc'"),
        ("name,members\nA,-5\n", "line 2: members must be a whole number ≥ 0, got '-5'"),
        ("name,members\nA,2.5\n", "line 2: members must be a whole number ≥ 0, got '2.5'"),
        ("name,members\nA,\n", "line 2: members must be a whole number ≥ 0, got ''"),
        ("name,members\nA,1\n\nB,1,2\n", "line 4: expected 2 fields (name,members), got 3"),
        ("name,members\nA\n", "line 2: expected 2 fields (name,members), got 1"),
        ("name,members\n ,4\n", "line 2: the name is empty"),
        ("name,members\nA,1\nB,2\nA,3\n", "line 4: duplicate name 'A' (first on line 2)"),
        ('name,members\n"A"x,1\n', "line 2: not valid CSV"),
    ],
)
def test_read_csv_names_the_line_of_every_error(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        read_csv(text)

    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_write_csv_prints_name_members_seats_in_input_order_and_quotes_when_needed() -> None:
    result = apportion([C("Z", 3), C('Junta "Norte", El Alto', 1)], method=Method.DHONDT, seats=2)

    assert write_csv(result) == 'name,members,seats\nZ,3,2\n"Junta ""Norte"", El Alto",1,0\n'


def test_to_json_has_the_documented_shape() -> None:
    result = apportion([C("A", 2), C("B", 1)], method=Method.HAMILTON, seats=2, min_seats=0)

    assert to_json(result) == {
        "method": "hamilton",
        "seats": 2,
        "min_seats": 0,
        "members_per_seat": None,
        "shares": [
            {"name": "A", "members": 2, "seats": 1, "quota": "1.3333"},
            {"name": "B", "members": 1, "seats": 1, "quota": "0.6667"},
        ],
        "ties": [],
    }


def test_to_json_of_the_ratio_mode_has_no_method_and_rounds_quotas_half_up() -> None:
    result = apportion_by_ratio([C("A", 1), C("B", 7)], members_per_seat=1, min_seats=0)
    # 8 seats over 8 members: quotas are exact; then 1 / 16 = 0.0625 -> 0.0625 at 4 places.
    assert to_json(result)["method"] is None
    assert to_json(result)["members_per_seat"] == 1

    tiny = apportion([C("A", 1), C("B", 15)], method=Method.DHONDT, seats=1)
    shares = to_json(tiny)["shares"]
    assert isinstance(shares, list)
    assert shares[0]["quota"] == "0.0625"

    half_up = apportion([C("A", 1), C("B", 19_999)], method=Method.DHONDT, seats=1)
    # 1 / 20000 = 0.00005 exactly: rounded half up to 0.0001.
    half_shares = to_json(half_up)["shares"]
    assert isinstance(half_shares, list)
    assert half_shares[0]["quota"] == "0.0001"


@given(constituencies())
def test_read_csv_reads_back_what_a_spreadsheet_writes(bodies: list[Constituency]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["name", "members"])
    writer.writerows([c.name, c.members] for c in bodies)

    assert read_csv(out.getvalue()) == bodies


@given(problems())
def test_write_csv_reads_back_as_the_input_and_its_seats(problem: Problem) -> None:
    result = solve(problem)

    rows = list(csv.reader(io.StringIO(write_csv(result))))

    assert rows[0] == ["name", "members", "seats"]
    assert [(r[0], int(r[1]), int(r[2])) for r in rows[1:]] == [
        (s.name, s.members, s.seats) for s in result.shares
    ]


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
