"""The federation of councils as a graph: a body sends delegates to one or more parent councils.

The graph must stay acyclic: a council cannot, through any chain of links, send delegates to itself,
or its delegates would sit in the council that seats them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def creates_cycle(parents: Mapping[int, Iterable[int]], *, body: int, parent: int) -> bool:
    """Whether linking ``body`` → ``parent`` closes a cycle in the graph ``parents``.

    Rule: the link closes a cycle exactly when ``body`` is already reachable upward from
    ``parent`` (or they are the same body). Depth-first search, linear in the links.
    """
    if body == parent:
        return True
    seen: set[int] = set()
    stack = [parent]
    while stack:
        current = stack.pop()
        if current == body:
            return True
        if current in seen:
            continue
        seen.add(current)
        stack.extend(parents.get(current, ()))
    return False


def reachable(links: Mapping[int, Iterable[int]], body: int) -> set[int]:
    """Every body reached from ``body`` by following ``links`` (not counting ``body`` itself).

    With child → parents links these are its ancestors (every council its delegates' delegates sit
    in); with parent → children links, its descendants (every body it represents).
    """
    found: set[int] = set()
    stack = list(links.get(body, ()))
    while stack:
        current = stack.pop()
        if current not in found:
            found.add(current)
            stack.extend(links.get(current, ()))
    return found


def may_create_under(*, kind: str, operator: bool, secretary_of_council: bool) -> bool:
    """Whether someone may create a body of ``kind`` that joins a council at once.

    Rule: an operator may create any body there. The council's own secretary may create only a
    committee of the council (its organ, which holds no seats in it). Any other body would send
    delegates: a secretary who could create them could pack the council with bodies of their own
    choosing, so a new constituent needs an operator (later, the council's recorded decision).
    Source: the seat-packing finding of issue 8; DESIGN.md, "Delegates, apportioned".
    """
    if operator:
        return True
    return secretary_of_council and kind == "committee"
