"""Exact values as text: the quota, and the notes on the ties that decided a seat."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def quota_text(value: Fraction) -> str:
    """An exact quota as a decimal with 4 places, rounded half up (what reports and JSON show)."""
    return decimal_text(value)


def decimal_text(value: Fraction, places: int = 4) -> str:
    """``value`` (≥ 0) as a decimal with ``places`` places, rounded half up, exactly."""
    scale = 10**places
    scaled = math.floor(value * scale + Fraction(1, 2))
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def sqrt_decimal_text(square: Fraction, places: int = 4) -> str:
    """sqrt(``square``) as a decimal with ``places`` places, rounded half up, without floats."""
    scale = 10**places
    # round(sqrt(x)) == (isqrt(floor(4x)) + 1) // 2 for x ≥ 0, with x = square * scale²
    scaled = (math.isqrt(math.floor(4 * square * scale * scale)) + 1) // 2
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def names_text(names: Sequence[str]) -> str:
    """The names quoted (as Python writes a string) and separated by commas, for the notes."""
    return ", ".join(repr(name) for name in names)


def tie_note(
    *,
    label: str,
    at: str,
    winners: Sequence[tuple[int, str]],
    losers: Sequence[tuple[int, str]],
) -> str:
    """One line saying who tied for how many seats, who got them and by which rule.

    ``winners`` and ``losers`` are ``(members, name)`` pairs in tie-break order.
    """
    if min(m for m, _ in winners) > max(m for m, _ in losers):
        reason = "more members"
    elif len({m for m, _ in winners} | {m for m, _ in losers}) == 1:
        reason = "equal members; the name that sorts first"
    else:
        reason = "more members, then the name that sorts first"
    tied = sorted([*winners, *losers], key=lambda pair: pair[1])
    count = len(winners)
    seats = "the last seat" if count == 1 else f"the last {count} seats"
    went = "the seat went" if count == 1 else "the seats went"
    return (
        f"{label}: tie for {seats} {at} between {names_text([n for _, n in tied])}; "
        f"{went} to {names_text([n for _, n in winners])} ({reason})"
    )
