"""The divisor methods: D'Hondt, Sainte-Laguë and Huntington-Hill (the package's docstring)."""

from __future__ import annotations

import heapq
from fractions import Fraction

from consejo.core.apportion.model import Constituency, Method
from consejo.core.apportion.text import decimal_text, sqrt_decimal_text, tie_note


class _Candidate:
    """A constituency waiting for its next seat in a divisor method.

    Its priority for the next seat is ``num / den`` (for Huntington-Hill, the *square* of the
    priority, so that no square root is ever taken); ``den == 0`` means an unbounded priority
    (Huntington-Hill's first seat). ``a < b`` means "a comes before b" in the heap: higher
    priority, then more members, then the name that sorts first, then the input order.
    """

    __slots__ = ("den", "held", "index", "members", "name", "num")

    def __init__(self, *, index: int, name: str, members: int, held: int, method: Method) -> None:
        self.index = index
        self.name = name
        self.members = members
        self.held = held
        self.num = 0
        self.den = 0
        self.set_priority(method)

    def set_priority(self, method: Method) -> None:
        held = self.held
        if method is Method.DHONDT:
            self.num, self.den = self.members, held + 1
        elif method is Method.SAINTE_LAGUE:
            self.num, self.den = self.members, 2 * held + 1
        else:  # Huntington-Hill: priority² = members² / (n(n+1))
            self.num, self.den = self.members * self.members, held * (held + 1)

    def __lt__(self, other: _Candidate) -> bool:
        left = self.num * other.den
        right = other.num * self.den
        if left != right:
            return left > right
        if self.members != other.members:
            return self.members > other.members
        if self.name != other.name:
            return self.name < other.name
        return self.index < other.index


def _priority_text(method: Method, num: int, den: int) -> str:
    if method is Method.HUNTINGTON_HILL:
        if den == 0:
            return "with no seat yet (unbounded priority)"
        return f"at priority {sqrt_decimal_text(Fraction(num, den))}"
    return f"at quotient {decimal_text(Fraction(num, den))}"


def by_divisors(
    items: tuple[Constituency, ...], *, method: Method, remaining: int, min_seats: int
) -> tuple[list[int], list[str]]:
    """Give ``remaining`` seats, one at a time, to the highest priority ``members / d(held)``.

    Every constituency starts from ``min_seats``; constituencies without members never get more.
    """
    seats = [min_seats] * len(items)
    heap = [
        _Candidate(index=i, name=c.name, members=c.members, held=min_seats, method=method)
        for i, c in enumerate(items)
        if c.members > 0
    ]
    if remaining == 0 or not heap:
        return seats, []
    heapq.heapify(heap)
    # The winners at the priority of the latest seat: (members, name, num, den).
    run: list[tuple[int, str, int, int]] = []
    for _ in range(remaining):
        top = heap[0]
        if run and top.num * run[-1][3] != run[-1][2] * top.den:
            run.clear()
        run.append((top.members, top.name, top.num, top.den))
        seats[top.index] += 1
        top.held += 1
        top.set_priority(method)
        heapq.heapreplace(heap, top)
    _, _, num, den = run[-1]
    losers: list[tuple[int, str]] = []
    while heap and heap[0].num * den == num * heap[0].den:
        loser = heapq.heappop(heap)
        losers.append((loser.members, loser.name))
    if not losers:
        return seats, []
    note = tie_note(
        label=method.value,
        at=_priority_text(method, num, den),
        winners=[(m, n) for m, n, _, _ in run],
        losers=losers,
    )
    return seats, [note]
