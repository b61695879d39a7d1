"""Hamilton's method: the Hare quota rounded down, the seats left to the largest remainders."""

from __future__ import annotations

from fractions import Fraction

from consejo.core.apportion.model import Constituency, Method
from consejo.core.apportion.text import decimal_text, tie_note


def by_largest_remainders(
    items: tuple[Constituency, ...], *, seats: int, min_seats: int
) -> tuple[list[int], list[str]]:
    """Hamilton's method with a minimum per constituency (see :func:`apportion`)."""
    members = [c.members for c in items]
    result = [0] * len(items)
    active = list(range(len(items)))
    pool = seats
    while True:
        total = sum(members[i] for i in active)
        # quota_i = members_i * pool / total is below the minimum
        below = [i for i in active if members[i] * pool < min_seats * total]
        if not below:
            break
        for i in below:
            result[i] = min_seats
        pool -= min_seats * len(below)
        set_aside = set(below)
        active = [i for i in active if i not in set_aside]
    if total == 0:  # unreachable: apportion() settles the case of no members before
        return result, []
    remainders: dict[int, int] = {}
    for i in active:
        whole, remainders[i] = divmod(members[i] * pool, total)
        result[i] = whole
    leftover = pool - sum(result[i] for i in active)
    order = sorted(active, key=lambda i: (-remainders[i], -members[i], items[i].name, i))
    for i in order[:leftover]:
        result[i] += 1
    if leftover == 0 or leftover >= len(order):
        return result, []
    last = remainders[order[leftover - 1]]
    if remainders[order[leftover]] != last:
        return result, []
    tied = [i for i in order if remainders[i] == last]
    rounded_up = set(order[:leftover])
    winners = [(members[i], items[i].name) for i in tied if i in rounded_up]
    losers = [(members[i], items[i].name) for i in tied if i not in rounded_up]
    note = tie_note(
        label=Method.HAMILTON.value,
        at=f"at remainder {decimal_text(Fraction(last, total))}",
        winners=winners,
        losers=losers,
    )
    return result, [note]
