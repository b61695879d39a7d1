"""The mandate graph: who sits where, through which seat, and what ends when a seat ends.

A mandate is a seat held by one person (its *holder*) in a council or committee (its *council*),
given by a *constituency*: a base body electing its delegates to a district council, a district
council electing from its seated delegates to the city council, a council electing its
committee, a body electing its officers (then constituency and council are the body itself and
``office`` names the office). A delegation is the open mandates of one constituency in one
council for one office (``""`` for a seat): its *delegates* (who sit, ranks 1, 2… in order of
merit) and its *substitutes* (who wait, rank 1 first).

A mandate *derives from* the seat that made its holder eligible for it: a city delegate elected
by the district council derives from her seat in the district council; a committee member
elected by a council from its delegates derives from that delegate seat; an office held in a
council by one of its delegates derives from that delegate seat. A mandate given by a base body
derives from nothing (the holder's membership made them eligible). The graph is a forest, and
ending a mandate ends, at the same instant, every open mandate derived from it (the cascade):
DESIGN.md, "Recall at any time": "the mandate ends the moment the result is final, and so does
every seat held through it in higher councils".

Pure functions over plain values: the services read the open mandates of the delegations they
touch, ask here what changes, and apply exactly that, one ledger entry per change. The invariants
(:func:`violations`) are what the property tests and the state machine hold every change to.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum


class Role(StrEnum):
    """A mandate's place in its delegation."""

    DELEGATE = "delegate"  # sits: votes in the council, counts for its quorum
    SUBSTITUTE = "substitute"  # waits, in order, to take a seat that empties


class Reason(StrEnum):
    """Why a mandate ends; the ledger entry records it."""

    REPLACED = "replaced"  # its constituency elected the delegation again
    DERIVED = "derived"  # the seat it was held through ended (the cascade)
    LEFT = "left"  # its holder's membership of the constituency ended
    SEATS_LOWERED = "seats_lowered"  # a reapportionment left its delegate without a seat
    SEATED = "seated"  # a substitute took a delegate's seat (a new mandate starts)
    UNLINKED = "unlinked"  # its constituency stopped sending delegates to the council
    RECALLED = "recalled"  # its constituency recalled it (the recall capability)


#: A delegation: (constituency, council, office).
Delegation = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Mandate:
    """One mandate as the rules see it. ``open`` is whether it is in force at the instant the
    services ask about; ``derives_from`` is the mandate it is held through, or None."""

    id: int
    holder: int
    constituency: int
    council: int
    role: Role
    rank: int
    derives_from: int | None = None
    office: str = ""
    open: bool = True

    @property
    def delegation(self) -> Delegation:
        return (self.constituency, self.council, self.office)


@dataclass(frozen=True, slots=True)
class End:
    """End ``mandate``; ``cause`` is the mandate whose end brought this one down, if any."""

    mandate: int
    reason: Reason
    cause: int | None = None


@dataclass(frozen=True, slots=True)
class Start:
    """Start a mandate for ``holder`` in the delegation the change is about. ``derives_from`` is
    an existing mandate; ``replaces`` names the mandate this one continues (a substitute taking a
    seat, a delegate demoted to substitute), so that the ledger tells one person's story."""

    holder: int
    role: Role
    rank: int
    derives_from: int | None = None
    replaces: int | None = None


@dataclass(frozen=True, slots=True)
class Rerank:
    """Give an open substitute a new rank (substitutes only: a delegate's seat never changes in
    place, so that who sat at an instant stays a plain query)."""

    mandate: int
    rank: int


@dataclass(frozen=True, slots=True)
class Rebase:
    """Hold ``mandate`` through ``onto`` from now on: the *n*-th :class:`Start` of the same
    change (a person re-elected keeps the seats held through their previous mandate)."""

    mandate: int
    onto: int


@dataclass(frozen=True, slots=True)
class Change:
    """What a service applies, in this order: ends, then starts, then reranks and rebases."""

    ends: tuple[End, ...] = ()
    starts: tuple[Start, ...] = ()
    reranks: tuple[Rerank, ...] = ()
    rebases: tuple[Rebase, ...] = ()


def children_of(mandates: Iterable[Mandate]) -> dict[int, list[int]]:
    """The graph as a map mandate → the mandates held through it, in order of id."""
    children: dict[int, list[int]] = defaultdict(list)
    for m in sorted(mandates, key=lambda m: m.id):
        if m.derives_from is not None:
            children[m.derives_from].append(m.id)
    return dict(children)


def derived(mandates: Iterable[Mandate], root: int) -> tuple[int, ...]:
    """Every mandate held through ``root``, transitively, nearest first (breadth first), each
    once, ``root`` itself not included. Safe on a graph with a cycle (each mandate is visited
    once), though :func:`violations` reports one."""
    children = children_of(mandates)
    seen = {root}
    out: list[int] = []
    queue = deque(children.get(root, ()))
    while queue:
        m = queue.popleft()
        if m in seen:
            continue
        seen.add(m)
        out.append(m)
        queue.extend(children.get(m, ()))
    return tuple(out)


def find_cycle(mandates: Iterable[Mandate]) -> tuple[int, ...] | None:
    """A cycle of ``derives_from`` (the mandates on it, in order), or None: a mandate can never be
    held, however indirectly, through itself."""
    parent = {m.id: m.derives_from for m in mandates}
    done: set[int] = set()
    for start in parent:
        path: list[int] = []
        on_path: set[int] = set()
        node: int | None = start
        while node is not None and node in parent and node not in done:
            if node in on_path:
                return tuple(path[path.index(node) :])
            on_path.add(node)
            path.append(node)
            node = parent[node]
        done.update(path)
    return None


def cascade(mandates: Iterable[Mandate], ends: Sequence[End]) -> tuple[End, ...]:
    """The ends ``ends`` bring about: each of them, then every open mandate held through one of
    them, transitively, with reason :attr:`Reason.DERIVED` and the mandate it was held through as
    cause. Each mandate ends once (the first reason wins); mandates already ended are left alone.

    Rule: DESIGN.md, "Recall at any time": when a mandate ends, "so does every seat held through
    it in higher councils". A seat held through an ended mandate has lost what made its holder
    eligible; it ends at the same instant, never later.
    """
    by_id = {m.id: m for m in mandates}
    children = children_of(by_id.values())
    out: list[End] = []
    ending: set[int] = set()
    queue = deque(end for end in ends if _is_open(by_id, end.mandate))
    while queue:
        end = queue.popleft()
        if end.mandate in ending:
            continue
        ending.add(end.mandate)
        out.append(end)
        for child in children.get(end.mandate, ()):
            if _is_open(by_id, child) and child not in ending:
                queue.append(End(child, Reason.DERIVED, end.mandate))
    return tuple(out)


def _is_open(by_id: Mapping[int, Mandate], mandate: int) -> bool:
    found = by_id.get(mandate)
    return found is not None and found.open


def delegation_of(mandates: Iterable[Mandate], delegation: Delegation) -> list[Mandate]:
    """The open mandates of ``delegation``: delegates by rank, then substitutes by rank."""
    return sorted(
        (m for m in mandates if m.open and m.delegation == delegation),
        key=lambda m: (m.role != Role.DELEGATE, m.rank, m.id),
    )


def seat_the_elected(
    merit: Sequence[int], *, elected: int, eligible: Iterable[int], seats: int | None = None
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Who sits and who waits when a count's result is seated: (delegates, substitutes).

    ``merit`` are the holders in order of merit (the elected, then the substitutes), ``elected``
    how many of them the count elected; ``eligible`` who may still sit at the instant of the
    count (the constituency's members, or a council's sitting delegates); ``seats`` the seats the
    delegation holds at that instant, where apportioned.

    Rule: the vacancy rule, applied at the count (:func:`seating`): a person elected who is no
    longer eligible (left the body, stopped sitting in the council between the vote and the
    count) is passed over and the next in order of merit takes her place; at most ``seats`` sit
    (seats lowered since the election was called), the others wait as the first substitutes.
    Source: issue 11 ("open seats never exceed apportioned seats").
    """
    allowed = set(eligible)
    kept = tuple(holder for holder in merit if holder in allowed)
    sitting = min(elected, len(kept), elected if seats is None else seats)
    return kept[:sitting], kept[sitting:]


def reelection(
    mandates: Iterable[Mandate],
    delegation: Delegation,
    *,
    delegates: Sequence[int],
    substitutes: Sequence[int],
    through: Mapping[int, int] | None = None,
) -> Change:
    """Seat a newly elected delegation in place of the one before it.

    ``delegates`` and ``substitutes`` are holders in order of election; ``through`` maps a holder
    to the mandate that made them eligible (their seat in the electing council), for a council's
    election; a base body's delegation derives from nothing.

    Rule: an election replaces the whole delegation it elects; the previous delegates and
    substitutes end at the instant the new ones start (:attr:`Reason.REPLACED`), so that the
    council never counts two delegations, or none, for one constituency; what was held through
    them ends too (:func:`cascade`), except for a person elected delegate again: the seats held
    through their previous delegate seat carry over to the new one (:class:`Rebase`), since what
    made them eligible never lapsed. Source: issue 11 ("the mandate graph").
    """
    pool = list(mandates)
    people = list(delegates) + list(substitutes)
    if len(set(people)) != len(people):
        raise ValueError("a person is elected to one delegation once")
    links = dict(through or {})
    before = delegation_of(pool, delegation)
    starts = tuple(
        Start(holder, Role.DELEGATE, rank, links.get(holder))
        for rank, holder in enumerate(delegates, start=1)
    ) + tuple(
        Start(holder, Role.SUBSTITUTE, rank, links.get(holder))
        for rank, holder in enumerate(substitutes, start=1)
    )
    new_seat = {holder: index for index, holder in enumerate(delegates)}
    children = children_of(pool)
    by_id = {m.id: m for m in pool}
    rebases: list[Rebase] = []
    kept: set[int] = set()
    for old in before:
        if old.role is Role.DELEGATE and old.holder in new_seat:
            for child in children.get(old.id, ()):
                if _is_open(by_id, child):
                    rebases.append(Rebase(child, new_seat[old.holder]))
                    kept.add(child)
    # The carried-over seats are moved before the old seat ends, so they do not fall with it.
    remaining = [replace(m, derives_from=None) if m.id in kept else m for m in pool]
    ends = cascade(remaining, [End(m.id, Reason.REPLACED) for m in before])
    return Change(ends=ends, starts=starts, rebases=tuple(rebases))


def seating(
    mandates: Iterable[Mandate],
    delegation: Delegation,
    *,
    seats: int,
    eligible: Iterable[int] | None = None,
    leaving: Iterable[int] = (),
    reason: Reason = Reason.LEFT,
) -> Change:
    """Bring a delegation to ``seats`` sitting delegates after some of its people go.

    ``leaving`` are holders whose mandates in the delegation end for ``reason`` (their membership
    of the constituency ended; the recall capability passes the recalled). ``eligible``, if
    given, are the holders who may still sit (the constituency's members, or its seated
    delegates for a council): a substitute who is no longer eligible is passed over and ends,
    with reason :attr:`Reason.LEFT`.

    Rule (the vacancy rule): the delegation keeps its order of merit, its delegates by rank and
    then its substitutes by rank; the first ``seats`` of that order sit and the rest wait.
    Hence an empty seat goes to the first substitute, who starts a delegate's mandate ranked
    after the delegates still sitting (the old substitute mandate ends, :attr:`Reason.SEATED`),
    and when a reapportionment lowers the seats, the last delegates in order of merit become the
    first substitutes (:attr:`Reason.SEATS_LOWERED`), and what was held through their seats ends
    (:func:`cascade`). When there are fewer people than seats, the seats stay empty: a
    by-election fills them. Source: issue 11; docs/apportionment.md, "When seats change".
    """
    if seats < 0:
        raise ValueError("seats cannot be negative")
    pool = list(mandates)
    gone = set(leaving)
    allowed = None if eligible is None else set(eligible)
    ends: list[End] = []
    stay: list[Mandate] = []
    for m in delegation_of(pool, delegation):
        if m.holder in gone:
            ends.append(End(m.id, reason))
        elif allowed is not None and m.holder not in allowed:
            ends.append(End(m.id, Reason.LEFT))
        else:
            stay.append(m)
    sitting = [m for m in stay if m.role is Role.DELEGATE]
    waiting = [m for m in stay if m.role is Role.SUBSTITUTE]
    starts: list[Start] = []
    reranks: list[Rerank] = []
    if len(sitting) > seats:
        demoted, sitting = sitting[seats:], sitting[:seats]
        for rank, m in enumerate(demoted, start=1):
            ends.append(End(m.id, Reason.SEATS_LOWERED))
            starts.append(Start(m.holder, Role.SUBSTITUTE, rank, m.derives_from, replaces=m.id))
        offset = len(demoted)
    else:
        next_rank = max((m.rank for m in sitting), default=0) + 1
        promoted, waiting = waiting[: seats - len(sitting)], waiting[seats - len(sitting) :]
        for rank, m in enumerate(promoted, start=next_rank):
            ends.append(End(m.id, Reason.SEATED))
            starts.append(Start(m.holder, Role.DELEGATE, rank, m.derives_from, replaces=m.id))
        offset = 0
    for rank, m in enumerate(waiting, start=offset + 1):
        if m.rank != rank:
            reranks.append(Rerank(m.id, rank))
    return Change(ends=cascade(pool, ends), starts=tuple(starts), reranks=tuple(reranks))


def vacancies(
    mandates: Iterable[Mandate],
    ends: Sequence[End],
    *,
    seats: Mapping[Delegation, int] | None = None,
    also: Iterable[Delegation] = (),
) -> tuple[Change, list[tuple[Delegation, Change]]]:
    """End ``ends`` with their cascade, then bring every delegation concerned to its seats: the
    change that ends, and then, per delegation, the change that seats (or unseats) its people.

    Rule: the vacancy rule of :func:`seating`, for every delegation that lost a sitting delegate
    and for those of ``also`` (a council whose seats were apportioned again in the same act),
    with its ``seats`` (the apportioned seats; where none is given, as many as sat before, as
    for an office or a committee). A delegation seating fewer people ends what was held through
    their seats, and the delegations that empties are seated in turn; each delegation is seated
    once, so that no mandate starts and ends at one instant. Source: issue 11; the recall
    capability ends mandates through here.
    """
    pool = list(mandates)
    limits = dict(seats or {})
    first = Change(ends=cascade(pool, ends))
    ended = {end.mandate for end in first.ends}
    by_id = {m.id: m for m in pool}
    before = {
        d: sum(1 for m in pool if m.open and m.delegation == d and m.role is Role.DELEGATE)
        for d in {m.delegation for m in pool}
    }
    # The delegations each one's seats are held through, however indirectly: a delegation is
    # seated after those below it still to be seated, so that a seat filled above is never
    # emptied again (nor its new mandate ended) by an unseating below in the same act.
    under: dict[Delegation, set[Delegation]] = defaultdict(set)
    for m in pool:
        node, seen = m.derives_from if m.open else None, set()
        while node is not None and node in by_id and node not in seen:
            seen.add(node)
            under[m.delegation].add(by_id[node].delegation)
            node = by_id[node].derives_from
    todo = {
        by_id[m].delegation for m in ended if by_id[m].role is Role.DELEGATE and by_id[m].open
    } | set(also)
    out: list[tuple[Delegation, Change]] = []
    done: set[Delegation] = set()
    after = [replace(m, open=False) if m.id in ended else m for m in pool]
    while todo:
        delegation = min([d for d in todo if not (under[d] - {d}) & todo] or todo)
        todo.discard(delegation)
        done.add(delegation)
        limit = limits.get(delegation, before.get(delegation, 0))
        change = seating(after, delegation, seats=limit)
        if change.ends or change.starts or change.reranks:
            now = {m.id: m for m in after}
            out.append((delegation, change))
            after = apply(after, change, delegation)
            for end in change.ends:
                lost = now[end.mandate]
                if lost.role is Role.DELEGATE and lost.delegation not in done:
                    todo.add(lost.delegation)
    return first, out


def apply(mandates: Iterable[Mandate], change: Change, delegation: Delegation) -> list[Mandate]:
    """The mandates after ``change`` (to ``delegation``), with new ids after the largest: what
    the services do to the rows, for the tests and the CLI to check a change against
    :func:`violations` before anything is written."""
    pool = {m.id: m for m in mandates}
    for end in change.ends:
        pool[end.mandate] = replace(pool[end.mandate], open=False)
    next_id = max(pool, default=0) + 1
    new_ids: list[int] = []
    constituency, council, office = delegation
    for start in change.starts:
        pool[next_id] = Mandate(
            id=next_id,
            holder=start.holder,
            constituency=constituency,
            council=council,
            role=start.role,
            rank=start.rank,
            derives_from=start.derives_from,
            office=office,
        )
        new_ids.append(next_id)
        next_id += 1
    for rerank in change.reranks:
        pool[rerank.mandate] = replace(pool[rerank.mandate], rank=rerank.rank)
    for rebase in change.rebases:
        pool[rebase.mandate] = replace(pool[rebase.mandate], derives_from=new_ids[rebase.onto])
    return sorted(pool.values(), key=lambda m: m.id)


class Violation(StrEnum):
    """An invariant of the graph that a set of mandates breaks."""

    DERIVES_FROM_ENDED = "derives_from_ended"  # an open mandate held through one not open
    SEAT_HELD_TWICE = "seat_held_twice"  # two open mandates of one delegation, role and rank
    PERSON_TWICE = "person_twice"  # one person twice in one open delegation
    OVER_SEATS = "over_seats"  # more sitting delegates than the seats apportioned
    CYCLE = "cycle"  # a mandate held, however indirectly, through itself


def violations(
    mandates: Iterable[Mandate], seats: Mapping[Delegation, int] | None = None
) -> list[tuple[Violation, tuple[int, ...]]]:
    """The invariants ``mandates`` break, each with the mandates concerned; none when sound.

    Invariants: no open mandate derives from an ended one (or from one that does not exist); no
    seat (delegation, role, rank) is held twice; nobody holds two open mandates in one
    delegation; a delegation's sitting delegates never exceed its ``seats``, where given; no
    mandate is held through itself. Source: issue 11, "the mandate graph".
    """
    pool = list(mandates)
    by_id = {m.id: m for m in pool}
    found: list[tuple[Violation, tuple[int, ...]]] = []
    for m in pool:
        if m.open and m.derives_from is not None and not _is_open(by_id, m.derives_from):
            found.append((Violation.DERIVES_FROM_ENDED, (m.id, m.derives_from)))
    by_seat: dict[tuple[Delegation, Role, int], list[int]] = defaultdict(list)
    by_person: dict[tuple[Delegation, int], list[int]] = defaultdict(list)
    sitting: dict[Delegation, list[int]] = defaultdict(list)
    for m in pool:
        if m.open:
            by_seat[(m.delegation, m.role, m.rank)].append(m.id)
            by_person[(m.delegation, m.holder)].append(m.id)
            if m.role is Role.DELEGATE:
                sitting[m.delegation].append(m.id)
    found += [(Violation.SEAT_HELD_TWICE, tuple(ids)) for ids in by_seat.values() if len(ids) > 1]
    found += [(Violation.PERSON_TWICE, tuple(ids)) for ids in by_person.values() if len(ids) > 1]
    for delegation, limit in (seats or {}).items():
        if len(sitting.get(delegation, ())) > limit:
            found.append((Violation.OVER_SEATS, tuple(sitting[delegation])))
    cycle = find_cycle(pool)
    if cycle is not None:
        found.append((Violation.CYCLE, cycle))
    return found


def electorate(mandates: Iterable[Mandate], council: int) -> frozenset[int]:
    """Who votes in ``council``: the holders of its open delegate seats (its offices and waiting
    substitutes apart). Rule: issue 11, "a council's electorate is its seated delegates";
    substitutes vote only once seated in a delegate's place (:func:`seating`)."""
    return frozenset(
        m.holder
        for m in mandates
        if m.open and m.council == council and m.role is Role.DELEGATE and not m.office
    )


def elects_by_seat(*, council: bool) -> bool:
    """Whether a body's electorate is its sitting delegates (a council or a committee) rather
    than its members (a base body).

    Rule: a council is made of delegates, not of members: it elects (its delegates to the council
    above, its committees, its officers) by the votes of the delegates sitting in it at that
    instant, substitutes only once seated in a delegate's place (:func:`electorate`). A base
    body elects by its members. Source: DESIGN.md ("base assemblies elect delegates to district
    councils, district councils elect from among their delegates to the city council"); issue 11.
    """
    return council
