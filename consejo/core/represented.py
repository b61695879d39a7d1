"""Whom each body represents: the counts a council's seats are apportioned by.

Rule: a base body represents its current members. A council (or committee) represents every
person holding a current membership in a base body beneath it, through current federation links,
each person counted once however many of those bodies they belong to. Memberships *in* councils
are not counted anywhere: the people holding them (delegates, secretaries) are already counted in
their base bodies. Source: DESIGN.md, "Delegates, apportioned"; docs/apportionment.md.

The database keeps these counts as memberships start and end (``consejo.bodies.counts``): per
council and person, the number of base bodies beneath the council the person belongs to
(:func:`represented_rows`), and per body its total (:func:`represented_totals`). A person is
counted by a council while that number is at least one, so a join adds one to the council's
total only when the number goes from zero to one, and a leave takes one away only when it goes
back to zero: each write touches one row per council above, whatever the federation's size.
These functions recompute both from scratch; the tests hold the kept counts against them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Set as AbstractSet

from consejo.core.federation import reachable

#: A current membership: (member, body).
Membership = tuple[int, int]
#: A current federation link: (body, parent council).
Link = tuple[int, int]


def children_of(links: Iterable[Link]) -> dict[int, list[int]]:
    """The links as a map parent → the bodies that send delegates to it."""
    children: dict[int, list[int]] = defaultdict(list)
    for body, parent in links:
        children[parent].append(body)
    return dict(children)


def bases_below(
    children: Mapping[int, Iterable[int]], councils: AbstractSet[int], council: int
) -> frozenset[int]:
    """The base bodies beneath ``council`` through any chain of links (each once, however many
    chains reach it); ``councils`` are the ids of councils and committees, every other body is a
    base body."""
    return frozenset(b for b in reachable(children, council) if b not in councils)


def represented_rows(
    memberships: Iterable[Membership], links: Iterable[Link], councils: AbstractSet[int]
) -> dict[tuple[int, int], int]:
    """For each (council, member) represented, in how many base bodies beneath the council the
    member holds a current membership (always at least one; absent pairs are zero)."""
    children = children_of(links)
    bodies_of: dict[int, set[int]] = defaultdict(set)
    for member, body in memberships:
        if body not in councils:
            bodies_of[member].add(body)
    rows: dict[tuple[int, int], int] = {}
    for council in councils:
        below = bases_below(children, councils, council)
        for member, bodies in bodies_of.items():
            if n := len(bodies & below):
                rows[(council, member)] = n
    return rows


def represented_totals(
    memberships: Iterable[Membership], links: Iterable[Link], councils: AbstractSet[int]
) -> dict[int, int]:
    """The number of people each body represents (the module's rule), for every body that
    represents anyone: a base body its members, a council the distinct people beneath it."""
    memberships = list(memberships)
    totals: Counter[int] = Counter(
        body for member, body in set(memberships) if body not in councils
    )
    for council, _member in represented_rows(memberships, links, councils):
        totals[council] += 1
    return dict(totals)
