"""The mandate graph (consejo.core.mandates) as a Hypothesis state machine over a small federation.

Three base bodies elect to two district councils, the district councils to the city council, the
city council to the national council (all of them first, from the base up). Any sequence of
elections (a base body from its members, a council from its sitting delegates, each held through
their seat there), members leaving a base body, reapportionments (alone, or with the council's
delegations brought to their new seats in the act of a recall) and recalls of any open mandate
leaves the graph sound: violations() is empty; no open mandate is held through an ended one
(DESIGN.md, "Recall at any time": the mandate ends "and so does every seat held through it in
higher councils"); no delegation sits more than its seats; no mandate is held through itself; and
a person holds a higher seat only through their own sitting seat in the council that elected them
(issue 11 of the project, "the mandate graph"). The councils are numbered before the base bodies,
so that seating delegations in the order of their numbers would not be seating them bottom up.
"""

from __future__ import annotations

from hypothesis import settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from consejo.core.mandates import (
    Change,
    Delegation,
    End,
    Mandate,
    Reason,
    Role,
    apply,
    delegation_of,
    find_cycle,
    reelection,
    seating,
    vacancies,
    violations,
)

#: Each body → the council it elects to: base bodies 5-7, districts 3-4, city 2, national 1 (the
#: councils were registered first, so that their delegations sort before the base bodies').
ABOVE = {5: 3, 6: 3, 7: 4, 3: 2, 4: 2, 2: 1}
COUNCILS = [3, 4, 2, 1]
#: The base bodies' members; people 4 and 5 belong to two bodies of one district.
MEMBERS = {5: range(1, 6), 6: range(4, 10), 7: range(10, 15)}
DELEGATIONS: list[Delegation] = [(body, council, "") for body, council in ABOVE.items()]
ANY: Delegation = (0, 0, "")  # the delegation passed to apply() for a change that only ends


def sitting_seats(mandates: list[Mandate], council: int) -> dict[int, int | None]:
    """Each sitting delegate of ``council`` with their (first) delegate seat there."""
    seats: dict[int, int | None] = {}
    for m in mandates:
        if m.open and m.council == council and m.role is Role.DELEGATE and not m.office:
            seats.setdefault(m.holder, m.id)
    return seats


class Machine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.mandates: list[Mandate] = []
        self.members = {body: set(people) for body, people in MEMBERS.items()}
        self.seats: dict[Delegation, int] = dict.fromkeys(DELEGATIONS, 2)

    # --------------------------------------------------------------------------------------------
    # How the services change the graph

    def apply(self, change: Change, delegation: Delegation) -> None:
        self.mandates = apply(self.mandates, change, delegation)

    def end(self, ends: list[End], also: list[Delegation] | None = None) -> None:
        """End ``ends`` with their cascade and bring every delegation concerned (and those of
        ``also``) to its seats."""
        in_force = {m.id for m in self.mandates if m.open}
        first, seatings = vacancies(self.mandates, ends, seats=self.seats, also=also or ())
        self.apply(first, ANY)
        for delegation, change in seatings:
            # Each change touches only mandates in force before the act: none starts and ends
            # at one instant.
            assert {e.mandate for e in change.ends} <= in_force
            assert {r.mandate for r in change.reranks} <= in_force
            self.apply(change, delegation)
        assert len({delegation for delegation, _ in seatings}) == len(seatings)

    def elect(
        self, delegation: Delegation, candidates: dict[int, int | None], data: st.DataObject
    ) -> None:
        # Mostly everyone, mostly every seat filled: so that the graph grows to the top.
        order = data.draw(st.permutations(sorted(candidates)))
        chosen = order[: data.draw(st.one_of(st.just(len(order)), st.integers(0, len(order))))]
        most = min(len(chosen), self.seats[delegation])
        k = data.draw(st.one_of(st.just(most), st.integers(0, most)))
        through = {holder: seat for holder in chosen if (seat := candidates[holder]) is not None}
        re_elected = {
            m.id
            for m in delegation_of(self.mandates, delegation)
            if m.role is Role.DELEGATE and m.holder in chosen[:k]
        }
        carried = {m.id for m in self.mandates if m.open and m.derives_from in re_elected}
        change = reelection(
            self.mandates,
            delegation,
            delegates=chosen[:k],
            substitutes=chosen[k:],
            through=through or None,
        )
        self.apply(change, delegation)
        # A person elected delegate again keeps the seats held through her previous seat.
        assert {m.id for m in self.mandates if m.open and m.id in carried} == carried

    # --------------------------------------------------------------------------------------------
    # Rules

    @initialize(data=st.data())
    def every_body_elects_its_delegation_from_the_base_up(self, data: st.DataObject) -> None:
        for body, council, _ in DELEGATIONS:
            candidates: dict[int, int | None] = (
                dict.fromkeys(sorted(self.members[body]))
                if body in self.members
                else sitting_seats(self.mandates, body)
            )
            self.elect((body, council, ""), candidates, data)

    @rule(body=st.sampled_from(sorted(MEMBERS)), data=st.data())
    def a_base_body_elects_its_delegation(self, body: int, data: st.DataObject) -> None:
        self.elect((body, ABOVE[body], ""), dict.fromkeys(sorted(self.members[body])), data)

    @rule(council=st.sampled_from(COUNCILS[:-1]), data=st.data())
    def a_council_elects_its_delegation_from_its_sitting_delegates(
        self, council: int, data: st.DataObject
    ) -> None:
        self.elect((council, ABOVE[council], ""), sitting_seats(self.mandates, council), data)

    @precondition(lambda self: any(self.members.values()))
    @rule(data=st.data())
    def a_member_leaves_a_base_body(self, data: st.DataObject) -> None:
        body = data.draw(st.sampled_from([b for b, people in self.members.items() if people]))
        holder = data.draw(st.sampled_from(sorted(self.members[body])))
        self.members[body].discard(holder)
        delegation = (body, ABOVE[body], "")
        seats = self.seats[delegation]
        leaving = seating(self.mandates, delegation, seats=seats, leaving=[holder])
        # The seats held through hers in higher councils end at the same instant, and their
        # substitutes take them (vacancies); then her delegation seats its own substitutes.
        self.end([e for e in leaving.ends if e.reason is Reason.DERIVED])
        self.apply(seating(self.mandates, delegation, seats=seats, leaving=[holder]), delegation)

    @rule(delegation=st.sampled_from(DELEGATIONS), seats=st.integers(0, 3))
    def a_reapportionment_changes_the_seats(self, delegation: Delegation, seats: int) -> None:
        self.seats[delegation] = seats
        self.apply(seating(self.mandates, delegation, seats=seats), delegation)

    @rule(council=st.sampled_from(COUNCILS), data=st.data())
    def a_council_is_apportioned_again_in_the_act_of_a_recall(
        self, council: int, data: st.DataObject
    ) -> None:
        delegations = [d for d in DELEGATIONS if d[1] == council]
        for delegation in delegations:
            self.seats[delegation] = data.draw(st.integers(0, 3))
        in_force = [m.id for m in self.mandates if m.open]
        recalled = data.draw(st.lists(st.sampled_from(in_force), max_size=1)) if in_force else []
        self.end([End(mandate, Reason.RECALLED) for mandate in recalled], also=delegations)

    @precondition(lambda self: any(m.open for m in self.mandates))
    @rule(data=st.data())
    def a_mandate_is_recalled(self, data: st.DataObject) -> None:
        mandate = data.draw(st.sampled_from([m.id for m in self.mandates if m.open]))
        self.end([End(mandate, Reason.RECALLED)])

    # --------------------------------------------------------------------------------------------
    # Invariants

    @invariant()
    def the_graph_breaks_no_invariant(self) -> None:
        assert violations(self.mandates, self.seats) == []

    @invariant()
    def no_open_mandate_is_held_through_an_ended_one(self) -> None:
        by_id = {m.id: m for m in self.mandates}
        for m in self.mandates:
            if m.open and m.derives_from is not None:
                assert by_id[m.derives_from].open

    @invariant()
    def no_delegation_sits_more_than_its_seats(self) -> None:
        for delegation, seats in self.seats.items():
            sitting = [
                m for m in delegation_of(self.mandates, delegation) if m.role is Role.DELEGATE
            ]
            assert len(sitting) <= seats

    @invariant()
    def no_mandate_is_held_through_itself(self) -> None:
        assert find_cycle(self.mandates) is None

    @invariant()
    def a_higher_seat_is_held_only_through_the_holders_own_sitting_seat(self) -> None:
        by_id = {m.id: m for m in self.mandates}
        for m in self.mandates:
            if m.open and m.derives_from is not None:
                through = by_id[m.derives_from]
                assert through.holder == m.holder
                assert (through.council, through.role, through.office) == (
                    m.constituency,
                    Role.DELEGATE,
                    "",
                )

    @invariant()
    def a_base_body_seats_only_its_members(self) -> None:
        for m in self.mandates:
            if m.open and m.constituency in self.members:
                assert m.holder in self.members[m.constituency]
                assert m.derives_from is None


Machine.TestCase.settings = settings(max_examples=50, stateful_step_count=30)
TestMachine = Machine.TestCase
