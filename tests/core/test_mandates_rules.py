"""The mandate graph (consejo.core.mandates): worked examples, each named for the rule it shows.

The rules are those of issue 11 of the project, "the mandate graph", and of DESIGN.md, "Recall at
any time": when a mandate ends, "so does every seat held through it in higher councils"
(the cascade); an election replaces the whole delegation, and a person elected delegate again
keeps the seats held through her previous seat (Rebase); an empty seat goes to the first
substitute, and lowered seats make the last delegates the first substitutes (the vacancy rule);
vacancies() seats the delegations from the bottom up, so that no seat filled in an act is emptied
again in it.

The examples are one federation: a base body (1) elects to a district council (10), the district
council to the city council (20), the city council to the national council (30).
"""

from __future__ import annotations

import pytest

from consejo.core.mandates import (
    Change,
    Delegation,
    End,
    Mandate,
    Reason,
    Rebase,
    Rerank,
    Role,
    Start,
    Violation,
    apply,
    cascade,
    delegation_of,
    derived,
    electorate,
    find_cycle,
    reelection,
    seating,
    vacancies,
    violations,
)

BASE, DISTRICT, CITY, NATIONAL = 1, 10, 20, 30
TO_DISTRICT: Delegation = (BASE, DISTRICT, "")
TO_CITY: Delegation = (DISTRICT, CITY, "")
TO_NATIONAL: Delegation = (CITY, NATIONAL, "")

# The people.
ANA, BEN, CARLA, DORA, EVA, FEDE = 101, 102, 103, 104, 105, 106

D, S = Role.DELEGATE, Role.SUBSTITUTE


def seat(
    id: int,
    holder: int,
    delegation: Delegation,
    role: Role = D,
    rank: int = 1,
    derives_from: int | None = None,
    *,
    open: bool = True,
) -> Mandate:
    constituency, council, office = delegation
    return Mandate(
        id=id,
        holder=holder,
        constituency=constituency,
        council=council,
        role=role,
        rank=rank,
        derives_from=derives_from,
        office=office,
        open=open,
    )


def by_id(mandates: list[Mandate]) -> dict[int, Mandate]:
    return {m.id: m for m in mandates}


def sitting(mandates: list[Mandate], delegation: Delegation) -> list[int]:
    return [m.holder for m in delegation_of(mandates, delegation) if m.role is D]


def waiting(mandates: list[Mandate], delegation: Delegation) -> list[tuple[int, int]]:
    return [(m.holder, m.rank) for m in delegation_of(mandates, delegation) if m.role is S]


def apply_all(
    mandates: list[Mandate], first: Change, seatings: list[tuple[Delegation, Change]]
) -> list[Mandate]:
    after = apply(mandates, first, TO_DISTRICT)  # only ends: the delegation is not used
    for delegation, change in seatings:
        after = apply(after, change, delegation)
    return after


# ------------------------------------------------------------------------------------------------
# The cascade


def _chain() -> list[Mandate]:
    """Ana sits in the district (1), the city (2, through 1) and the national council (3, through
    2), and chairs the district council (6, through 1); Ben sits in the district (4) and the city
    (5, through 4)."""
    return [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, ANA, TO_CITY, D, 1, derives_from=1),
        seat(3, ANA, TO_NATIONAL, D, 1, derives_from=2),
        seat(4, BEN, TO_DISTRICT, D, 2),
        seat(5, BEN, TO_CITY, D, 2, derives_from=4),
        seat(6, ANA, (DISTRICT, DISTRICT, "chair"), D, 1, derives_from=1),
    ]


def test_ending_a_base_seat_ends_every_seat_held_through_it_nearest_first() -> None:
    ends = cascade(_chain(), [End(1, Reason.RECALLED)])

    assert ends == (
        End(1, Reason.RECALLED),
        End(2, Reason.DERIVED, cause=1),
        End(6, Reason.DERIVED, cause=1),
        End(3, Reason.DERIVED, cause=2),
    )
    assert derived(_chain(), 1) == (2, 6, 3)


def test_the_cascade_leaves_the_seats_held_through_other_seats_alone() -> None:
    after = apply(_chain(), Change(ends=cascade(_chain(), [End(1, Reason.RECALLED)])), TO_DISTRICT)

    assert [m.id for m in after if m.open] == [4, 5]
    assert violations(after) == []


def test_in_the_cascade_each_mandate_ends_once_and_the_first_reason_wins() -> None:
    ends = cascade(_chain(), [End(2, Reason.RECALLED), End(1, Reason.LEFT), End(2, Reason.LEFT)])

    assert ends == (
        End(2, Reason.RECALLED),
        End(1, Reason.LEFT),
        End(3, Reason.DERIVED, cause=2),
        End(6, Reason.DERIVED, cause=1),
    )


def test_the_cascade_leaves_ended_and_unknown_mandates_alone() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, open=False),
        seat(2, ANA, TO_CITY, derives_from=1, open=False),
        seat(3, BEN, TO_DISTRICT, rank=2),
    ]

    assert cascade(mandates, [End(1, Reason.RECALLED), End(99, Reason.RECALLED)]) == ()


# ------------------------------------------------------------------------------------------------
# Re-election (Rebase)


def test_rebase_a_re_elected_delegate_keeps_the_seats_held_through_her_previous_seat() -> None:
    mandates = _chain()

    change = reelection(mandates, TO_DISTRICT, delegates=[CARLA, ANA], substitutes=[])

    assert change.ends == (
        End(1, Reason.REPLACED),
        End(4, Reason.REPLACED),
        End(5, Reason.DERIVED, cause=4),
    )
    assert change.starts == (Start(CARLA, D, 1), Start(ANA, D, 2))
    # Ana's city seat and her chair are held through her new seat, the second start.
    assert change.rebases == (Rebase(2, 1), Rebase(6, 1))
    after = by_id(apply(mandates, change, TO_DISTRICT))
    assert [m.id for m in after.values() if m.open] == [2, 3, 6, 7, 8]
    assert after[2].derives_from == after[6].derives_from == 8
    assert (after[8].holder, after[8].role) == (ANA, D)
    assert violations(after.values()) == []


def test_a_delegate_not_re_elected_loses_the_seats_held_through_her_seat() -> None:
    mandates = _chain()

    change = reelection(mandates, TO_DISTRICT, delegates=[BEN], substitutes=[CARLA])

    assert change.ends == (
        End(1, Reason.REPLACED),
        End(4, Reason.REPLACED),
        End(2, Reason.DERIVED, cause=1),
        End(6, Reason.DERIVED, cause=1),
        End(3, Reason.DERIVED, cause=2),
    )
    assert change.rebases == (Rebase(5, 0),)
    after = apply(mandates, change, TO_DISTRICT)
    assert [m.id for m in after if m.open and m.id <= 6] == [5]
    assert violations(after) == []


def test_a_person_re_elected_only_as_substitute_loses_the_seats_held_through_her_seat() -> None:
    mandates = _chain()

    change = reelection(mandates, TO_DISTRICT, delegates=[BEN], substitutes=[ANA])

    assert End(2, Reason.DERIVED, cause=1) in change.ends
    assert End(3, Reason.DERIVED, cause=2) in change.ends
    assert change.starts == (Start(BEN, D, 1), Start(ANA, S, 1))
    assert change.rebases == (Rebase(5, 0),)
    after = apply(mandates, change, TO_DISTRICT)
    assert electorate(after, CITY) == {BEN}
    assert electorate(after, NATIONAL) == frozenset()


def test_a_council_elects_through_the_seats_its_delegates_hold_in_it() -> None:
    mandates = _chain()

    change = reelection(
        mandates, TO_CITY, delegates=[BEN], substitutes=[ANA], through={ANA: 1, BEN: 4}
    )

    assert change.ends == (
        End(2, Reason.REPLACED),
        End(5, Reason.REPLACED),
        End(3, Reason.DERIVED, cause=2),
    )
    assert change.starts == (Start(BEN, D, 1, derives_from=4), Start(ANA, S, 1, derives_from=1))
    assert change.rebases == ()
    assert violations(apply(mandates, change, TO_CITY)) == []


def test_a_re_elected_city_delegate_keeps_her_national_seat() -> None:
    mandates = _chain()

    change = reelection(mandates, TO_CITY, delegates=[ANA], substitutes=[], through={ANA: 1})

    assert change.ends == (End(2, Reason.REPLACED), End(5, Reason.REPLACED))
    assert change.rebases == (Rebase(3, 0),)
    after = by_id(apply(mandates, change, TO_CITY))
    assert (after[3].open, after[3].derives_from) == (True, 7)


# ------------------------------------------------------------------------------------------------
# Seating (the vacancy rule)


def _delegation() -> list[Mandate]:
    """Ana, Ben and Carla sit (ranks 1-3), Dora, Eva and Fede wait (1-3); Ben sits in the city
    through his seat (7), and so does Carla (8)."""
    return [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, BEN, TO_DISTRICT, D, 2),
        seat(3, CARLA, TO_DISTRICT, D, 3),
        seat(4, DORA, TO_DISTRICT, S, 1),
        seat(5, EVA, TO_DISTRICT, S, 2),
        seat(6, FEDE, TO_DISTRICT, S, 3),
        seat(7, BEN, TO_CITY, D, 1, derives_from=2),
        seat(8, CARLA, TO_CITY, D, 2, derives_from=3),
    ]


def test_a_vacancy_goes_to_substitute_1_ranked_after_the_sitting_delegates() -> None:
    mandates = _delegation()

    change = seating(mandates, TO_DISTRICT, seats=3, leaving=[BEN])

    assert change.ends == (
        End(2, Reason.LEFT),
        End(4, Reason.SEATED),
        End(7, Reason.DERIVED, cause=2),
    )
    assert change.starts == (Start(DORA, D, 4, replaces=4),)
    assert change.reranks == (Rerank(5, 1), Rerank(6, 2))
    after = apply(mandates, change, TO_DISTRICT)
    assert sitting(after, TO_DISTRICT) == [ANA, CARLA, DORA]
    assert waiting(after, TO_DISTRICT) == [(EVA, 1), (FEDE, 2)]
    assert violations(after, {TO_DISTRICT: 3}) == []


def test_the_recalled_end_for_the_reason_given() -> None:
    change = seating(_delegation(), TO_DISTRICT, seats=3, leaving=[ANA], reason=Reason.RECALLED)

    assert change.ends[0] == End(1, Reason.RECALLED)


def test_seats_lowered_from_3_to_2_make_the_rank_3_delegate_substitute_1() -> None:
    mandates = _delegation()

    change = seating(mandates, TO_DISTRICT, seats=2)

    assert change.ends == (End(3, Reason.SEATS_LOWERED), End(8, Reason.DERIVED, cause=3))
    assert change.starts == (Start(CARLA, S, 1, replaces=3),)
    assert change.reranks == (Rerank(4, 2), Rerank(5, 3), Rerank(6, 4))
    after = apply(mandates, change, TO_DISTRICT)
    assert sitting(after, TO_DISTRICT) == [ANA, BEN]
    assert waiting(after, TO_DISTRICT) == [(CARLA, 1), (DORA, 2), (EVA, 3), (FEDE, 4)]
    # The demoted delegate's city seat ended with her district seat.
    assert electorate(after, CITY) == {BEN}
    assert violations(after, {TO_DISTRICT: 2}) == []


def test_seats_raised_go_to_the_first_substitutes_in_order() -> None:
    mandates = _delegation()

    change = seating(mandates, TO_DISTRICT, seats=5)

    assert change.starts == (Start(DORA, D, 4, replaces=4), Start(EVA, D, 5, replaces=5))
    assert change.reranks == (Rerank(6, 1),)
    after = apply(mandates, change, TO_DISTRICT)
    assert sitting(after, TO_DISTRICT) == [ANA, BEN, CARLA, DORA, EVA]
    assert waiting(after, TO_DISTRICT) == [(FEDE, 1)]


def test_ineligible_substitutes_are_passed_over_and_end_as_left() -> None:
    mandates = _delegation()

    change = seating(
        mandates,
        TO_DISTRICT,
        seats=3,
        leaving=[BEN],
        eligible=[ANA, CARLA, EVA, FEDE],
        reason=Reason.RECALLED,
    )

    assert change.ends[:3] == (
        End(2, Reason.RECALLED),
        End(4, Reason.LEFT),
        End(5, Reason.SEATED),
    )
    assert change.starts == (Start(EVA, D, 4, replaces=5),)
    assert change.reranks == (Rerank(6, 1),)
    after = apply(mandates, change, TO_DISTRICT)
    assert sitting(after, TO_DISTRICT) == [ANA, CARLA, EVA]
    assert waiting(after, TO_DISTRICT) == [(FEDE, 1)]


def test_fewer_people_than_seats_leave_the_seats_empty() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, BEN, TO_DISTRICT, D, 2),
        seat(3, DORA, TO_DISTRICT, S, 1),
    ]

    change = seating(mandates, TO_DISTRICT, seats=3, leaving=[BEN])

    after = apply(mandates, change, TO_DISTRICT)
    assert sitting(after, TO_DISTRICT) == [ANA, DORA]
    assert waiting(after, TO_DISTRICT) == []
    assert violations(after, {TO_DISTRICT: 3}) == []


def test_a_delegation_already_seated_is_left_as_it_is() -> None:
    assert seating(_delegation(), TO_DISTRICT, seats=3) == Change()


# ------------------------------------------------------------------------------------------------
# Vacancies


def _federation() -> list[Mandate]:
    """Ana sits in the district (1), the city (2) and the national council (3), each through the
    one below; the district delegation also seats Ben (4) and Eva (8), with Dora waiting (5); the
    city delegation seats Ben (6) with Eva waiting (7); the national one has Ben waiting (9)."""
    return [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, ANA, TO_CITY, D, 1, derives_from=1),
        seat(3, ANA, TO_NATIONAL, D, 1, derives_from=2),
        seat(4, BEN, TO_DISTRICT, D, 2),
        seat(5, DORA, TO_DISTRICT, S, 1),
        seat(6, BEN, TO_CITY, D, 2, derives_from=4),
        seat(7, EVA, TO_CITY, S, 1, derives_from=8),
        seat(8, EVA, TO_DISTRICT, D, 3),
        seat(9, BEN, TO_NATIONAL, S, 1, derives_from=6),
    ]


def test_vacancies_fill_the_seats_emptied_through_a_cascade_two_levels_up() -> None:
    mandates = _federation()

    first, seatings = vacancies(mandates, [End(1, Reason.RECALLED)])

    assert first == Change(
        ends=(
            End(1, Reason.RECALLED),
            End(2, Reason.DERIVED, cause=1),
            End(3, Reason.DERIVED, cause=2),
        )
    )
    assert seatings == [
        (TO_DISTRICT, Change(ends=(End(5, Reason.SEATED),), starts=(Start(DORA, D, 4, None, 5),))),
        (TO_CITY, Change(ends=(End(7, Reason.SEATED),), starts=(Start(EVA, D, 3, 8, 7),))),
        (TO_NATIONAL, Change(ends=(End(9, Reason.SEATED),), starts=(Start(BEN, D, 1, 6, 9),))),
    ]
    after = apply_all(mandates, first, seatings)
    assert sitting(after, TO_DISTRICT) == [BEN, EVA, DORA]
    assert electorate(after, CITY) == {BEN, EVA}
    assert electorate(after, NATIONAL) == {BEN}
    assert violations(after, {TO_DISTRICT: 3, TO_CITY: 2, TO_NATIONAL: 1}) == []


def test_vacancies_fill_no_more_than_the_seats_apportioned() -> None:
    mandates = _federation()

    first, seatings = vacancies(mandates, [End(1, Reason.RECALLED)], seats={TO_DISTRICT: 2})

    assert [delegation for delegation, _ in seatings] == [TO_CITY, TO_NATIONAL]
    after = apply_all(mandates, first, seatings)
    assert sitting(after, TO_DISTRICT) == [BEN, EVA]
    assert waiting(after, TO_DISTRICT) == [(DORA, 1)]


def test_a_substitute_who_ends_leaves_no_seat_to_fill() -> None:
    first, seatings = vacancies(_federation(), [End(5, Reason.LEFT)])

    assert first == Change(ends=(End(5, Reason.LEFT),))
    assert seatings == []


def test_vacancies_bring_a_council_apportioned_again_in_the_same_act_to_its_seats() -> None:
    mandates = _delegation()

    first, seatings = vacancies(mandates, [], seats={TO_DISTRICT: 2}, also=[TO_DISTRICT])

    assert first == Change()
    assert seatings == [(TO_DISTRICT, seating(mandates, TO_DISTRICT, seats=2))]
    after = apply_all(mandates, first, seatings)
    assert sitting(after, TO_DISTRICT) == [ANA, BEN]
    assert electorate(after, CITY) == {BEN}


#: A base body registered after the councils: its delegation sorts after the district's own.
LATE = 50
LATE_TO_DISTRICT: Delegation = (LATE, DISTRICT, "")


def test_vacancies_seat_the_delegations_below_first_so_no_new_seat_ends_in_the_same_act() -> None:
    mandates = [
        seat(1, ANA, LATE_TO_DISTRICT, D, 1),
        seat(2, DORA, LATE_TO_DISTRICT, D, 2),
        seat(3, ANA, TO_CITY, D, 1, derives_from=1),
        seat(4, DORA, TO_CITY, S, 1, derives_from=2),
    ]

    # Ana is recalled from the city council in the act that leaves her base body one seat in
    # the district: Dora no longer sits there, so she cannot take Ana's seat in the city.
    first, seatings = vacancies(
        mandates,
        [End(3, Reason.RECALLED)],
        seats={LATE_TO_DISTRICT: 1, TO_CITY: 1},
        also=[LATE_TO_DISTRICT],
    )

    assert first == Change(ends=(End(3, Reason.RECALLED),))
    assert seatings == [
        (
            LATE_TO_DISTRICT,
            Change(
                ends=(End(2, Reason.SEATS_LOWERED), End(4, Reason.DERIVED, cause=2)),
                starts=(Start(DORA, S, 1, replaces=2),),
            ),
        )
    ]
    after = apply_all(mandates, first, seatings)
    assert sitting(after, TO_CITY) == []
    assert violations(after, {LATE_TO_DISTRICT: 1, TO_CITY: 1}) == []


def test_vacancies_fill_a_seat_emptied_by_an_unseating_below_in_the_same_act() -> None:
    mandates = [
        seat(1, ANA, LATE_TO_DISTRICT, D, 1),
        seat(2, BEN, LATE_TO_DISTRICT, D, 2),
        seat(3, ANA, TO_CITY, D, 1, derives_from=1),
        seat(4, BEN, TO_CITY, D, 2, derives_from=2),
        seat(5, EVA, TO_DISTRICT, D, 1),
        seat(6, EVA, TO_CITY, S, 1, derives_from=5),
        seat(7, FEDE, TO_DISTRICT, D, 2),
        seat(8, FEDE, TO_CITY, S, 2, derives_from=7),
    ]
    seats = {LATE_TO_DISTRICT: 1, TO_DISTRICT: 2, TO_CITY: 2}

    first, seatings = vacancies(
        mandates, [End(3, Reason.RECALLED)], seats=seats, also=[LATE_TO_DISTRICT]
    )

    assert [delegation for delegation, _ in seatings] == [LATE_TO_DISTRICT, TO_CITY]
    # Each change ends, reranks and holds through only mandates there were before the act.
    for _, change in seatings:
        touched = [e.mandate for e in change.ends] + [r.mandate for r in change.reranks]
        assert set(touched) <= {m.id for m in mandates}
    after = apply_all(mandates, first, seatings)
    assert sitting(after, LATE_TO_DISTRICT) == [ANA]
    assert sitting(after, TO_CITY) == [EVA, FEDE]
    assert violations(after, seats) == []


# ------------------------------------------------------------------------------------------------
# Cycles


def test_find_cycle_finds_a_3_cycle() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, derives_from=3),
        seat(2, ANA, TO_CITY, derives_from=1),
        seat(3, ANA, TO_NATIONAL, derives_from=2),
        seat(4, ANA, (NATIONAL, 40, ""), derives_from=1),  # a tail into the cycle
    ]
    parent = {m.id: m.derives_from for m in mandates}

    cycle = find_cycle(mandates)

    assert cycle is not None
    assert sorted(cycle) == [1, 2, 3]
    assert all(parent[a] == b for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))
    assert derived(mandates, 1) == (2, 4, 3)


def test_find_cycle_finds_a_mandate_held_through_itself() -> None:
    assert find_cycle([seat(1, ANA, TO_DISTRICT), seat(2, ANA, TO_CITY, derives_from=2)]) == (2,)


def test_find_cycle_returns_none_for_a_forest() -> None:
    forest = [*_federation(), seat(10, FEDE, TO_CITY, derives_from=99)]  # 99 does not exist

    assert find_cycle(forest) is None
    assert find_cycle([]) is None


# ------------------------------------------------------------------------------------------------
# The invariants


def test_violations_report_an_open_mandate_held_through_an_ended_or_missing_one() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, open=False),
        seat(2, ANA, TO_CITY, derives_from=1),
        seat(3, BEN, TO_CITY, rank=2, derives_from=99),
        seat(4, ANA, TO_NATIONAL, derives_from=1, open=False),  # ended with it: sound
    ]

    assert violations(mandates) == [
        (Violation.DERIVES_FROM_ENDED, (2, 1)),
        (Violation.DERIVES_FROM_ENDED, (3, 99)),
    ]


def test_violations_report_a_seat_held_twice() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, BEN, TO_DISTRICT, D, 1),
        seat(3, CARLA, TO_DISTRICT, D, 1, open=False),
        seat(4, DORA, TO_DISTRICT, S, 1),  # a substitute's rank 1 is another seat
    ]

    assert violations(mandates) == [(Violation.SEAT_HELD_TWICE, (1, 2))]


def test_violations_report_a_person_twice_in_one_delegation() -> None:
    mandates = [seat(1, ANA, TO_DISTRICT, D, 1), seat(2, ANA, TO_DISTRICT, S, 1)]

    assert violations(mandates) == [(Violation.PERSON_TWICE, (1, 2))]


def test_violations_report_more_sitting_delegates_than_seats() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, BEN, TO_DISTRICT, D, 2),
        seat(3, CARLA, TO_DISTRICT, S, 1),
    ]

    assert violations(mandates, {TO_DISTRICT: 2}) == []
    assert violations(mandates, {TO_DISTRICT: 1}) == [(Violation.OVER_SEATS, (1, 2))]


def test_violations_report_a_cycle() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, derives_from=2),
        seat(2, ANA, TO_CITY, derives_from=1),
    ]

    assert violations(mandates) == [(Violation.CYCLE, (1, 2))]


def test_violations_report_every_kind_on_one_bad_set() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, D, 1, open=False),
        seat(2, ANA, TO_CITY, D, 1, derives_from=1),
        seat(3, BEN, TO_CITY, D, 1),
        seat(4, BEN, TO_CITY, S, 1),
        seat(5, CARLA, TO_NATIONAL, D, 1, derives_from=6),
        seat(6, CARLA, (NATIONAL, 40, ""), D, 1, derives_from=5),
    ]

    assert {kind for kind, _ in violations(mandates, {TO_CITY: 1})} == set(Violation)
    assert violations(_federation(), {TO_DISTRICT: 3, TO_CITY: 2, TO_NATIONAL: 1}) == []


# ------------------------------------------------------------------------------------------------
# The electorate


def test_electorate_counts_only_the_open_delegate_seats_of_that_council() -> None:
    mandates = [
        seat(1, ANA, TO_DISTRICT, D, 1),
        seat(2, BEN, (2, DISTRICT, ""), D, 1),  # another base body's delegate
        seat(3, CARLA, TO_DISTRICT, D, 2, open=False),  # ended
        seat(4, DORA, TO_DISTRICT, S, 1),  # waiting
        seat(5, EVA, (DISTRICT, DISTRICT, "chair"), D, 1),  # an office, not a seat
        seat(6, FEDE, TO_CITY, D, 1),  # sits in the city council
    ]

    assert electorate(mandates, DISTRICT) == {ANA, BEN}
    assert electorate(mandates, CITY) == {FEDE}
    assert electorate(mandates, NATIONAL) == frozenset()


# ------------------------------------------------------------------------------------------------
# Refused


@pytest.mark.parametrize(
    ("delegates", "substitutes"),
    [([ANA, ANA], []), ([ANA], [ANA]), ([], [BEN, BEN])],
)
def test_a_person_elected_twice_in_one_delegation_is_refused(
    delegates: list[int], substitutes: list[int]
) -> None:
    with pytest.raises(ValueError, match="once"):
        reelection(_chain(), TO_DISTRICT, delegates=delegates, substitutes=substitutes)


def test_negative_seats_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        seating(_delegation(), TO_DISTRICT, seats=-1)
