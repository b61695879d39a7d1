"""The public rules: by a method, by a fixed ratio, and a council's rule (either, or none)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from consejo.core.apportion.divisors import by_divisors
from consejo.core.apportion.model import Apportionment, Constituency, Method, Share
from consejo.core.apportion.remainders import by_largest_remainders
from consejo.core.apportion.validation import checked, checked_count, checked_method
from consejo.core.errors import InvalidInput


def _shares(items: tuple[Constituency, ...], seats: Sequence[int]) -> tuple[Share, ...]:
    total_members = sum(c.members for c in items)
    total_seats = sum(seats)

    def quota(members: int) -> Fraction:
        return Fraction(members * total_seats, total_members) if total_members else Fraction(0)

    return tuple(
        Share(name=c.name, members=c.members, seats=s, quota=quota(c.members))
        for c, s in zip(items, seats, strict=True)
    )


def apportion(
    constituencies: Sequence[Constituency], *, method: Method, seats: int, min_seats: int = 0
) -> Apportionment:
    """Apportion ``seats`` among ``constituencies`` by their members, with ``method``.

    Rules (each constituency first gets ``min_seats``; the rest are given as follows):

    * D'Hondt (Jefferson): each remaining seat goes to the highest quotient ``members / (n + 1)``,
      where ``n`` is the seats the constituency already holds (minimum included).
    * Sainte-Laguë (Webster): the same with ``members / (2n + 1)``.
    * Huntington-Hill (equal proportions): the same with ``members / sqrt(n(n + 1))``; compared
      exactly by squaring. With ``min_seats=0`` the first divisor is 0, so every constituency with
      members gets a seat before any gets a second (as long as the seats last). With
      ``min_seats=1`` this is exactly the rule of 2 U.S.C. §2a for the US House.
    * Hamilton (largest remainders): each constituency's Hare quota ``members * S / total`` is
      rounded down and the seats left over go to the largest remainders. With a minimum: the
      constituencies whose quota falls below ``min_seats`` get exactly ``min_seats``; they and
      their seats are set aside, the quotas of the others are recomputed over the seats and members
      left, and so on until no quota falls below the minimum; then the others share the seats left
      by largest remainder (each of them gets at least its rounded-down quota, so at least the
      minimum). With ``min_seats=0`` every constituency gets its quota rounded down or up.

    Divisor methods continue the divisor sequence from the minimum (the seats already held), as the
    US House does from its one-seat minimum, which keeps them house-monotone: one more seat never
    takes a seat from anyone. Hamilton is not (the Alabama paradox).

    Ties for the last seat(s) go to the constituency with more members, then to the name that sorts
    first (by code point), then to the earlier one in the input; each such tie is noted in
    ``ties``. Constituencies with 0 members get only the minimum. If no constituency has members,
    only the minimums can be given: any seat left over is an error, not a lottery.

    Raises :class:`InvalidInput` for an empty list, an empty or duplicate name, members that are
    not a whole number ≥ 0, ``seats`` or ``min_seats`` below 0, minimums that exceed the seats, or
    an unknown method.

    Sources: Balinski & Young, *Fair Representation*, 2nd ed. 2001 (Jefferson, Webster, Hamilton,
    Huntington-Hill; Appendix A); Pukelsheim, *Proportional Representation*, 2nd ed. 2017 (divisor
    methods, quota methods, minimum restrictions); V. d'Hondt, *Système pratique et raisonné de
    représentation proportionnelle*, 1882; A. Sainte-Laguë, 1910; 2 U.S.C. §2a.
    """
    items = checked(constituencies)
    chosen = checked_method(method)
    total_seats = checked_count(seats, "seats", at_least=0)
    minimum = checked_count(min_seats, "min_seats", at_least=0)
    if minimum * len(items) > total_seats:
        raise InvalidInput(
            f"min_seats {minimum} for each of {len(items)} constituencies needs "
            f"{minimum * len(items)} seats, but only {total_seats} are to be apportioned"
        )
    remaining = total_seats - minimum * len(items)
    if remaining and not any(c.members for c in items):
        raise InvalidInput(
            f"no constituency has any members, so the {remaining} seats left after the minimums "
            f"cannot be apportioned; enter the members or set the seats to {minimum * len(items)}"
        )
    result: list[int]
    ties: list[str]
    if not any(c.members for c in items):
        result, ties = [minimum] * len(items), []
    elif chosen is Method.HAMILTON:
        result, ties = by_largest_remainders(items, seats=total_seats, min_seats=minimum)
    else:
        result, ties = by_divisors(items, method=chosen, remaining=remaining, min_seats=minimum)
    return Apportionment(
        method=chosen,
        seats=total_seats,
        min_seats=minimum,
        members_per_seat=None,
        shares=_shares(items, result),
        ties=tuple(ties),
    )


def apportion_by_ratio(
    constituencies: Sequence[Constituency], *, members_per_seat: int, min_seats: int = 1
) -> Apportionment:
    """One seat per ``members_per_seat`` full members, but at least ``min_seats``.

    Rule: ``seats = max(min_seats, members // members_per_seat)`` for each constituency; the size
    of the council is the sum. "One delegate per 500 members, at least 1" gives 1 seat to a body of
    999 and 2 to a body of 1000.

    The fraction is rounded *down*. Rounding up is not used: it would give a body of 501 members as
    many delegates as a body of 1000, and since ``ceil(a) + ceil(b) >= ceil(a + b)`` it rewards
    splitting a body into smaller ones to gain delegates; rounding down never does
    (``floor(a) + floor(b) <= floor(a + b)``), except through the minimum, which is explicit. This
    is the "one delegate for every N members" rule of union and soviet congresses, where only full
    units count (Balinski & Young 2001, ch. 1, on the fixed-ratio apportionments of the US House
    before 1842, which also dropped fractions).

    Raises :class:`InvalidInput` for an empty list, an empty or duplicate name, members that are
    not a whole number ≥ 0, ``members_per_seat`` below 1 or ``min_seats`` below 0.
    """
    items = checked(constituencies)
    ratio = checked_count(members_per_seat, "members_per_seat", at_least=1, at_most=10**12)
    minimum = checked_count(min_seats, "min_seats", at_least=0)
    result = [max(minimum, c.members // ratio) for c in items]
    return Apportionment(
        method=None,
        seats=sum(result),
        min_seats=minimum,
        members_per_seat=ratio,
        shares=_shares(items, result),
        ties=(),
    )


def apportion_council(
    constituencies: Sequence[Constituency],
    *,
    method: Method | None,
    seats: int = 0,
    members_per_seat: int | None = None,
    min_seats: int = 0,
) -> Apportionment:
    """A council's seats: :func:`apportion` (or :func:`apportion_by_ratio` when ``method`` is
    None), except that a constituency with no members holds no seat, not even the minimum.

    Rule: a seat is a delegate whom people elect; a body of nobody elects nobody. The minimum
    protects small bodies, not empty ones: if an empty body got it, whoever may create bodies
    under a council could pack its seats with empty bodies until the minimums ate them (the
    hardening review of issue 8 took 2 of the El Alto assembly's 41 seats this way). The seats
    are apportioned among the constituencies with members; the empty ones are listed with 0.
    If none has members, every constituency gets 0 and the council has no seats to fill yet.
    """
    items = checked(constituencies)
    peopled = [c for c in items if c.members > 0]
    if not peopled:
        return Apportionment(
            method=None if method is None else checked_method(method),
            seats=0,
            min_seats=checked_count(min_seats, "min_seats", at_least=0),
            members_per_seat=members_per_seat,
            shares=_shares(items, [0] * len(items)),
            ties=(),
        )
    if method is None:
        inner = apportion_by_ratio(
            peopled, members_per_seat=members_per_seat or 0, min_seats=min_seats
        )
    else:
        inner = apportion(peopled, method=method, seats=seats, min_seats=min_seats)
    held = {share.name: share.seats for share in inner.shares}
    return Apportionment(
        method=inner.method,
        seats=inner.seats,
        min_seats=inner.min_seats,
        members_per_seat=inner.members_per_seat,
        shares=_shares(items, [held.get(c.name, 0) for c in items]),
        ties=inner.ties,
    )
