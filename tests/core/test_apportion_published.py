"""Seat apportionment: published worked examples (consejo.core.apportion), reproduced exactly.

The data and the full citations are in tests/core/data/apportion/ (README.md there): the first
apportionment of the US House (1792) and the vetoed Hamilton bill, the 2020 US House, the D'Hondt
and Sainte-Laguë examples of Wikipedia, Alabama-paradox examples (Wikipedia, Electowiki, COMAP),
Honikel's Staatsrecht and the Electoral Reform wiki.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consejo.core.apportion import Method, apportion, read_csv, write_csv
from tests.core.results_apportion import seats
from tests.core.strategies_apportion import DIVISOR_METHODS

DATA = Path(__file__).parent / "data" / "apportion"


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
