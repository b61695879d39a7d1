"""The mandate graph (consejo.core.mandates): Hypothesis properties over random sound forests.

A forest is drawn as a federation is built: base bodies elect delegates and substitutes (ranks
1, 2… in order) to the councils above them, from their members; each council elects to the
council above from its sitting delegates, each mandate held through the holder's seat in the
electing council; a council may have a chair and a committee, held through a delegate seat;
a few ended mandates of earlier terms lie about; the ids of bodies and of mandates are shuffled
(a council may be registered before its base bodies). On such a forest:

- a cascade ends exactly its roots and their open descendants (derived()), nearest first, and
  leaves no open mandate held through an ended one (DESIGN.md, "Recall at any time": the mandate
  ends "and so does every seat held through it in higher councils");
- derived() and find_cycle() are safe on any graph, cycles included;
- a re-election, a seating and vacancies() (the seats a cascade empties, and the delegations
  apportioned again in the same act) keep violations() empty, keep the order of merit, rebase
  only onto the same holder's new delegate seat, and never end in one act a mandate the act
  started (issue 11 of the project, "the mandate graph").
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import given, settings, strategies as st

from consejo.core.mandates import (
    Change,
    Delegation,
    End,
    Mandate,
    Reason,
    Role,
    apply,
    cascade,
    delegation_of,
    derived,
    find_cycle,
    reelection,
    seat_the_elected,
    seating,
    vacancies,
    violations,
)

D, S = Role.DELEGATE, Role.SUBSTITUTE
PEOPLE = st.integers(1, 10)  # few people, so that one person often sits for two bodies
COMMITTEE = 900  # a council's committee is body COMMITTEE + its id
END_REASONS = st.sampled_from([Reason.RECALLED, Reason.LEFT, Reason.REPLACED])
ANY = (0, 0, "")  # the delegation passed to apply() for a change that only ends mandates


@dataclass(frozen=True)
class Forest:
    """A sound mandate graph and the federation it was drawn over."""

    mandates: list[Mandate]
    members: dict[int, frozenset[int]]  # base body → its members
    above: dict[int, int]  # body → the council it elects to
    seats: dict[Delegation, int]  # every delegation → its seats (at least who sits)

    @property
    def by_id(self) -> dict[int, Mandate]:
        return {m.id: m for m in self.mandates}

    @property
    def elections(self) -> list[Delegation]:
        """The delegations a body elects to the council above it."""
        return sorted((body, council, "") for body, council in self.above.items())

    def candidates(self, delegation: Delegation) -> dict[int, int | None]:
        """Who may be elected to ``delegation``, each with the mandate they would hold it
        through: a base body's members (through nothing), a council's sitting delegates (through
        their seat there)."""
        body = delegation[0]
        if body in self.members:
            return dict.fromkeys(sorted(self.members[body]))
        return sitting_seats(self.mandates, body)


def sitting_seats(mandates: list[Mandate], council: int) -> dict[int, int | None]:
    """Each sitting delegate of ``council`` with their (first) delegate seat there."""
    seats: dict[int, int | None] = {}
    for m in sorted(mandates, key=lambda m: m.id):
        if m.open and m.council == council and m.role is D and not m.office:
            seats.setdefault(m.holder, m.id)
    return seats


@st.composite
def forests(draw: st.DrawFn) -> Forest:
    sizes = [draw(st.integers(1, 4)), draw(st.integers(1, 2)), 1, *([1] * draw(st.integers(0, 1)))]
    # Bodies are numbered in any order: a council may be registered before its base bodies.
    ids = iter(draw(st.permutations(range(1, sum(sizes) + 1))))
    levels = [[next(ids) for _ in range(n)] for n in sizes]
    above = {
        body: draw(st.sampled_from(levels[level + 1]))
        for level in range(len(levels) - 1)
        for body in levels[level]
    }
    members = {body: draw(st.frozensets(PEOPLE, min_size=1, max_size=6)) for body in levels[0]}
    made: list[Mandate] = []
    seats: dict[Delegation, int] = {}

    def elect(delegation: Delegation, candidates: dict[int, int | None]) -> None:
        order = draw(st.permutations(sorted(candidates)))
        # Mostly everyone, mostly someone sitting: so that the graph grows deep.
        chosen = order[: draw(st.one_of(st.just(len(order)), st.integers(0, len(order))))]
        k = draw(st.one_of(st.integers(min(1, len(chosen)), len(chosen)), st.just(0)))
        seats[delegation] = k + draw(st.integers(0, 1))
        constituency, council, office = delegation
        for i, holder in enumerate(chosen):
            role, rank = (D, i + 1) if i < k else (S, i + 1 - k)
            made.append(
                Mandate(
                    len(made), holder, constituency, council, role, rank, candidates[holder], office
                )
            )

    for level, bodies in enumerate(levels):
        for body in bodies:
            if level > 0:  # a council: its chair and its committee, from its sitting delegates
                seated = sitting_seats(made, body)
                if draw(st.booleans()) and seated:
                    chair = draw(st.sampled_from(sorted(seated)))
                    elect((body, body, "chair"), {chair: seated[chair]})
                if draw(st.booleans()) and seated:
                    elect((body, COMMITTEE + body, ""), seated)
            if body in above:
                candidates: dict[int, int | None] = (
                    dict.fromkeys(sorted(members[body]))
                    if level == 0
                    else sitting_seats(made, body)
                )
                elect((body, above[body], ""), candidates)
    for _ in range(draw(st.integers(0, 4))):  # ended mandates of earlier terms
        if made:
            earlier = draw(st.sampled_from(made))
            through = draw(st.one_of(st.none(), st.integers(0, len(made) - 1)))
            made.append(replace(earlier, id=len(made), derives_from=through, open=False))
    new_id = [i + 1 for i in draw(st.permutations(range(len(made))))]
    mandates = [
        replace(
            m,
            id=new_id[m.id],
            derives_from=None if m.derives_from is None else new_id[m.derives_from],
        )
        for m in made
    ]
    return Forest(sorted(mandates, key=lambda m: m.id), members, above, seats)


@st.composite
def graphs(draw: st.DrawFn) -> list[Mandate]:
    """Any graph of ``derives_from``: cycles, mandates held through themselves or through
    mandates that do not exist."""
    n = draw(st.integers(1, 8))
    return [
        Mandate(i, 1, 1, 2, D, 1, draw(st.one_of(st.none(), st.integers(1, n + 1))))
        for i in range(1, n + 1)
    ]


def ends_in(forest: Forest) -> st.SearchStrategy[list[End]]:
    """Ends of any mandates of ``forest`` (ended ones and unknown ids too)."""
    ids = st.integers(1, len(forest.mandates) + 1)
    return st.lists(st.builds(End, ids, END_REASONS), max_size=4)


def holders(mandates: list[Mandate], delegation: Delegation) -> list[int]:
    return [m.holder for m in delegation_of(mandates, delegation)]


def sitting(mandates: list[Mandate], delegation: Delegation) -> list[int]:
    return [m.holder for m in delegation_of(mandates, delegation) if m.role is D]


def open_descendants(mandates: list[Mandate], roots: list[int]) -> set[int]:
    by_id = {m.id: m for m in mandates}
    return {d for root in roots for d in derived(mandates, root) if by_id[d].open}


# ------------------------------------------------------------------------------------------------
# The strategy


@settings(max_examples=200)
@given(forests())
def test_the_forests_drawn_are_sound(forest: Forest) -> None:
    by_id = forest.by_id

    assert violations(forest.mandates, forest.seats) == []
    for m in forest.mandates:
        if m.open and m.derives_from is not None:
            through = by_id[m.derives_from]
            assert (through.holder, through.council, through.role) == (m.holder, m.constituency, D)


# ------------------------------------------------------------------------------------------------
# The cascade


@settings(max_examples=200)
@given(forests(), st.data())
def test_after_a_cascade_no_open_mandate_is_held_through_an_ended_one(
    forest: Forest, data: st.DataObject
) -> None:
    ends = cascade(forest.mandates, data.draw(ends_in(forest)))

    after = apply(forest.mandates, Change(ends=ends), ANY)

    by_id = {m.id: m for m in after}
    for m in after:
        if m.open and m.derives_from is not None:
            assert by_id[m.derives_from].open
    assert violations(after, forest.seats) == []


@settings(max_examples=200)
@given(forests(), st.data())
def test_a_cascade_ends_exactly_its_roots_and_their_open_descendants(
    forest: Forest, data: st.DataObject
) -> None:
    given_ends = data.draw(ends_in(forest))
    by_id = forest.by_id
    roots = [e.mandate for e in given_ends if e.mandate in by_id and by_id[e.mandate].open]

    ends = cascade(forest.mandates, given_ends)

    ended = [e.mandate for e in ends]
    assert len(ended) == len(set(ended))
    assert set(ended) == set(roots) | open_descendants(forest.mandates, roots)
    first_reason: dict[int, End] = {}
    for e in reversed(given_ends):
        first_reason[e.mandate] = e
    for e in ends:
        if e.mandate in roots:
            assert e == first_reason[e.mandate]
        else:
            assert (e.reason, e.cause) == (Reason.DERIVED, by_id[e.mandate].derives_from)


@settings(max_examples=200)
@given(forests(), st.data())
def test_a_cascade_from_one_open_mandate_follows_derived_nearest_first(
    forest: Forest, data: st.DataObject
) -> None:
    open_ids = [m.id for m in forest.mandates if m.open]
    root = data.draw(st.sampled_from(open_ids)) if open_ids else 1
    by_id = forest.by_id

    ends = cascade(forest.mandates, [End(root, Reason.RECALLED)])

    if root in by_id and by_id[root].open:
        below = [d for d in derived(forest.mandates, root) if by_id[d].open]
        assert tuple(e.mandate for e in ends) == (root, *below)
        depth = {root: 0}
        for d in derived(forest.mandates, root):
            through = by_id[d].derives_from
            assert through is not None
            depth[d] = depth[through] + 1
        assert [depth[e.mandate] for e in ends] == sorted(depth[e.mandate] for e in ends)


def _reaches(parent: dict[int, int | None], start: int, target: int) -> bool:
    """Whether ``target`` is among the mandates ``start`` is held through, however indirectly."""
    seen: set[int] = set()
    node = parent.get(start)
    while node is not None and node not in seen:
        if node == target:
            return True
        seen.add(node)
        node = parent.get(node)
    return False


@settings(max_examples=200)
@given(graphs(), st.integers(1, 9))
def test_derived_is_cycle_safe_and_lists_each_descendant_once(
    mandates: list[Mandate], root: int
) -> None:
    parent = {m.id: m.derives_from for m in mandates}

    below = derived(mandates, root)

    assert len(below) == len(set(below))
    assert root not in below
    assert set(below) == {m for m in parent if m != root and _reaches(parent, m, root)}


@settings(max_examples=200)
@given(graphs())
def test_find_cycle_finds_a_cycle_exactly_when_there_is_one(mandates: list[Mandate]) -> None:
    parent = {m.id: m.derives_from for m in mandates}

    cycle = find_cycle(mandates)

    on_a_cycle = [m for m in parent if _reaches(parent, m, m)]
    assert (cycle is None) == (not on_a_cycle)
    if cycle is not None:
        assert len(cycle) == len(set(cycle))
        assert all(parent[a] == b for a, b in zip(cycle, cycle[1:] + cycle[:1], strict=True))


@settings(max_examples=200)
@given(forests())
def test_a_sound_forest_has_no_cycle(forest: Forest) -> None:
    assert find_cycle(forest.mandates) is None


# ------------------------------------------------------------------------------------------------
# Re-election


@settings(max_examples=200)
@given(forests(), st.data())
def test_a_reelection_keeps_the_graph_sound_and_rebases_onto_the_holders_new_seat(
    forest: Forest, data: st.DataObject
) -> None:
    delegation = data.draw(st.sampled_from(forest.elections))
    candidates = forest.candidates(delegation)
    order = data.draw(st.permutations(sorted(candidates)))
    chosen = order[: data.draw(st.integers(0, len(order)))]
    k = data.draw(st.integers(0, len(chosen)))
    delegates, substitutes = chosen[:k], chosen[k:]
    through = {h: m for h, m in candidates.items() if m is not None}
    seats = forest.seats | {delegation: max(k, forest.seats[delegation])}
    by_id = forest.by_id
    before = delegation_of(forest.mandates, delegation)

    change = reelection(
        forest.mandates, delegation, delegates=delegates, substitutes=substitutes, through=through
    )

    after = apply(forest.mandates, change, delegation)
    assert violations(after, seats) == []
    assert holders(after, delegation) == [*delegates, *substitutes]
    for start in change.starts:
        assert start.derives_from == through.get(start.holder)
    # Rebases: the open seats held through a re-elected delegate's previous delegate seat, onto
    # her new delegate seat.
    re_elected = {old.id for old in before if old.role is D and old.holder in delegates}
    kept = {m.id for m in forest.mandates if m.open and m.derives_from in re_elected}
    assert {rebase.mandate for rebase in change.rebases} == kept
    for rebase in change.rebases:
        start, moved = change.starts[rebase.onto], by_id[rebase.mandate]
        assert (start.role, start.holder) == (D, moved.holder)
        assert moved.derives_from in re_elected
    # Ends: the previous delegation and what was held through it, but what carried over.
    carried = kept | open_descendants(forest.mandates, sorted(kept))
    ended = {m.id for m in before} | open_descendants(forest.mandates, [m.id for m in before])
    assert {e.mandate for e in change.ends} == ended - carried


# ------------------------------------------------------------------------------------------------
# Seating


@settings(max_examples=200)
@given(forests(), st.data())
def test_seating_seats_the_first_of_the_order_of_merit_among_who_remains(
    forest: Forest, data: st.DataObject
) -> None:
    delegation = data.draw(st.sampled_from(sorted(forest.seats)))
    people = holders(forest.mandates, delegation)
    some = st.sets(st.sampled_from(people)) if people else st.just(set[int]())
    leaving = data.draw(some)
    eligible = data.draw(st.one_of(st.none(), some))
    seats = data.draw(st.integers(0, len(people) + 1))
    remaining = [h for h in people if h not in leaving and (eligible is None or h in eligible)]
    was_sitting = {
        m.holder: m.id for m in delegation_of(forest.mandates, delegation) if m.role is D
    }

    change = seating(forest.mandates, delegation, seats=seats, eligible=eligible, leaving=leaving)

    after = apply(forest.mandates, change, delegation)
    now = delegation_of(after, delegation)
    now_sitting = [m.holder for m in now if m.role is D]
    assert len(now_sitting) == min(seats, len(remaining))
    assert now_sitting == remaining[: len(now_sitting)]
    assert [m.holder for m in now] == remaining
    assert [m.rank for m in now if m.role is S] == list(range(1, len(now) - len(now_sitting) + 1))
    # A delegate who goes on sitting keeps her mandate: a seat never changes in place.
    for m in now:
        if m.role is D and m.holder in was_sitting:
            assert m.id == was_sitting[m.holder]
    assert violations(after, forest.seats | {delegation: seats}) == []


# ------------------------------------------------------------------------------------------------
# Vacancies


def is_subsequence(short: list[int], long: list[int]) -> bool:
    rest = iter(long)
    return all(x in rest for x in short)


@st.composite
def apportionments(
    draw: st.DrawFn, forest: Forest
) -> tuple[dict[Delegation, int] | None, set[Delegation]]:
    """The seats vacancies() is given (none; the forest's, at least who sits; some lowered) and
    the delegations apportioned again in the same act."""
    lowered = {d: draw(st.integers(0, n)) for d, n in forest.seats.items()}
    seats = draw(st.sampled_from([None, forest.seats, lowered]))
    also = draw(st.sets(st.sampled_from(sorted(forest.seats)))) if seats is lowered else set()
    return seats, also


@settings(max_examples=200)
@given(forests(), st.data())
def test_vacancies_bring_every_delegation_concerned_to_its_seats(
    forest: Forest, data: st.DataObject
) -> None:
    given_ends = data.draw(ends_in(forest))
    seats, also = data.draw(apportionments(forest))
    by_id = forest.by_id

    first, fills = vacancies(forest.mandates, given_ends, seats=seats, also=also)

    assert first == Change(ends=cascade(forest.mandates, given_ends))
    ended = apply(forest.mandates, first, ANY)
    after = ended
    for delegation, change in fills:
        # Only mandates in force before the act end, move or are held through: none starts
        # and ends at one instant, and each change can be written against the rows as read.
        for mandate in [e.mandate for e in change.ends] + [r.mandate for r in change.reranks]:
            assert by_id[mandate].open
        for start in change.starts:
            assert start.derives_from is None or by_id[start.derives_from].open
            assert start.replaces is None or by_id[start.replaces].open
        after = apply(after, change, delegation)
    # (Lowered seats hold only for the delegations concerned: checked below.)
    assert violations(after, forest.seats) == []
    seated = [delegation for delegation, _ in fills]
    assert len(seated) == len(set(seated))
    all_ends = [e for _, change in [(ANY, first), *fills] for e in change.ends]
    concerned = {by_id[e.mandate].delegation for e in all_ends if by_id[e.mandate].role is D}
    concerned |= also
    assert set(seated) <= concerned
    for delegation in forest.seats:
        # Who remains keeps the order of merit.
        assert is_subsequence(holders(after, delegation), holders(ended, delegation))
        if delegation in concerned:
            # The first of them sit: as many as the seats, or as sat before where none are given.
            previous = len(sitting(forest.mandates, delegation))
            limit = previous if seats is None else seats.get(delegation, previous)
            people = len(holders(after, delegation))
            assert len(sitting(after, delegation)) == min(limit, people)
        else:  # untouched, but for substitutes held through a seat unseated below
            still = {m.id for m in after if m.open}
            kept = [m for m in delegation_of(ended, delegation) if m.id in still]
            assert delegation_of(after, delegation) == kept


@given(
    st.lists(st.integers(1, 40), unique=True, max_size=15),
    st.integers(0, 15),
    st.sets(st.integers(1, 40)),
    st.one_of(st.none(), st.integers(0, 15)),
)
def test_seating_the_elected_passes_over_the_ineligible_and_never_exceeds_the_seats(
    merit: list[int], elected: int, eligible: set[int], seats: int | None
) -> None:
    elected = min(elected, len(merit))
    delegates, substitutes = seat_the_elected(
        merit, elected=elected, eligible=eligible, seats=seats
    )
    kept = [holder for holder in merit if holder in eligible]
    assert list(delegates + substitutes) == kept  # the order of merit, the ineligible passed over
    assert len(delegates) == min(elected, len(kept), elected if seats is None else seats)
