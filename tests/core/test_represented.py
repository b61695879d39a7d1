"""consejo.core.represented: whom each body represents, on a worked example.

A national congress (1) of two city councils (2, 3); the mine (10) and the plant (11) send
delegates to city 2, the market (12) to city 3, and the union local (13) to both cities. Ana is
in the mine and the plant, Bea in the plant and the local, Ceci in the market, and Dora, a
delegate, holds a membership in city 2 itself.
"""

from __future__ import annotations

from consejo.core.represented import bases_below, children_of, represented_rows, represented_totals

COUNCILS = {1, 2, 3}
LINKS = [(2, 1), (3, 1), (10, 2), (11, 2), (12, 3), (13, 2), (13, 3)]
ANA, BEA, CECI, DORA = 100, 101, 102, 103
MEMBERSHIPS = [(ANA, 10), (ANA, 11), (BEA, 11), (BEA, 13), (CECI, 12), (DORA, 2)]


def test_a_base_body_reached_by_two_chains_lies_once_beneath_the_congress() -> None:
    assert bases_below(children_of(LINKS), COUNCILS, 1) == {10, 11, 12, 13}


def test_a_person_in_two_base_bodies_under_one_council_is_counted_once() -> None:
    totals = represented_totals(MEMBERSHIPS, LINKS, COUNCILS)
    assert totals == {10: 1, 11: 2, 12: 1, 13: 1, 2: 2, 3: 2, 1: 3}


def test_each_row_says_through_how_many_base_bodies_a_council_represents_a_person() -> None:
    rows = represented_rows(MEMBERSHIPS, LINKS, COUNCILS)
    assert rows == {
        (2, ANA): 2,
        (2, BEA): 2,
        (3, BEA): 1,
        (3, CECI): 1,
        (1, ANA): 2,
        (1, BEA): 2,
        (1, CECI): 1,
    }


def test_a_membership_in_a_council_is_counted_nowhere() -> None:
    rows = represented_rows(MEMBERSHIPS, LINKS, COUNCILS)
    assert all(member != DORA for _council, member in rows)
