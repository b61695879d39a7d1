"""Seat apportionment: how many delegates each constituent body sends to a council.

A council's seats are divided among its constituencies (base bodies, unions, neighborhood
assemblies...) in proportion to their members, by one of four classical methods:

* **D'Hondt** (Jefferson's method): divisors 1, 2, 3, ...
* **Sainte-Laguë** (Webster's method): divisors 1, 3, 5, ...
* **Hamilton** (largest remainders, Hare-Niemeyer, Vinton's method): the Hare quota rounded down,
  the seats left over to the largest remainders.
* **Huntington-Hill** (the method of equal proportions, used for the US House since 1941):
  divisors sqrt(n(n+1)).

or by a fixed ratio ("one delegate per N members, at least K").

Everything is exact: members and seats are integers, quotients and remainders are compared by
cross-multiplication (and, for Huntington-Hill, by squaring), never as floats. Ties for the last
seats are broken by a fixed, documented rule and every tie that decided a seat is reported in
:attr:`Apportionment.ties`, so that a council can see that nothing was decided by hidden chance.

Tie rule (all methods): when constituencies tie for the last seat(s), the one with more members
wins; then the one whose name sorts first (by Unicode code point, as Python compares strings);
then the one earlier in the input. Names are unique, so the input order is never reached and the
result never depends on it.

Sources: M. L. Balinski & H. P. Young, *Fair Representation: Meeting the Ideal of One Man, One
Vote*, 2nd ed., Brookings Institution Press, 2001; F. Pukelsheim, *Proportional Representation:
Apportionment Methods and Their Applications*, 2nd ed., Springer, 2017; 2 U.S.C. §2a (the method
of equal proportions for the US House).
"""

from __future__ import annotations

import csv
import heapq
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from consejo.core.csvtext import csv_lines
from consejo.core.errors import InvalidInput, NotFound
from consejo.core.limits import MAX_DIGITS, digits_error, shown

__all__ = [
    "Apportionment",
    "Constituency",
    "Method",
    "Share",
    "apportion",
    "apportion_by_ratio",
    "quota_text",
    "read_csv",
    "to_json",
    "write_csv",
]


class Method(StrEnum):
    """An apportionment method, named as on the command line."""

    DHONDT = "dhondt"
    SAINTE_LAGUE = "sainte-lague"
    HAMILTON = "hamilton"
    HUNTINGTON_HILL = "huntington-hill"


@dataclass(frozen=True, slots=True)
class Constituency:
    """A body that sends delegates to the council: its unique name and its number of members."""

    name: str
    members: int


@dataclass(frozen=True, slots=True)
class Share:
    """One constituency's result.

    ``quota`` is the exact Hare quota ``members * seats / total_members`` (``Fraction(0)`` when no
    constituency has members): the number of seats it would get if seats could be divided.
    """

    name: str
    members: int
    seats: int
    quota: Fraction


@dataclass(frozen=True, slots=True)
class Apportionment:
    """The result of an apportionment.

    ``method`` is ``None`` and ``members_per_seat`` is set in the ratio mode
    (:func:`apportion_by_ratio`); ``shares`` are in the order of the input; ``ties`` holds one
    human-readable note for every tie that decided a seat, saying how it was broken.
    """

    method: Method | None
    seats: int
    min_seats: int
    members_per_seat: int | None
    shares: tuple[Share, ...]
    ties: tuple[str, ...]

    def seats_of(self, name: str) -> int:
        """The seats apportioned to the constituency called ``name``."""
        for share in self.shares:
            if share.name == name:
                return share.seats
        raise NotFound(f"no constituency named {name!r} in this apportionment")


# --------------------------------------------------------------------------------------------
# Validation


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked(constituencies: Sequence[Constituency]) -> tuple[Constituency, ...]:
    """The constituencies as a tuple, or :class:`InvalidInput` naming the first problem."""
    if isinstance(constituencies, str | bytes):
        raise InvalidInput("constituencies must be a list of (name, members), not text")
    items = tuple(constituencies)
    if not items:
        raise InvalidInput("no constituencies given: at least one is needed")
    seen: set[str] = set()
    for position, item in enumerate(items, start=1):
        if not isinstance(item, Constituency):
            raise InvalidInput(f"constituency {position} is not a Constituency(name, members)")
        if not isinstance(item.name, str) or not item.name.strip():
            raise InvalidInput(f"constituency {position} has an empty name")
        if not _is_whole(item.members) or item.members < 0:
            raise InvalidInput(
                f"members of {item.name!r} must be a whole number ≥ 0, got {item.members!r}"
            )
        if item.name in seen:
            raise InvalidInput(f"duplicate name {item.name!r}: each constituency needs its own")
        seen.add(item.name)
    return items


#: No assembly has more seats: the bound keeps a typo (twenty extra zeros) from running for hours.
MAX_SEATS = 1_000_000


def _checked_count(value: object, label: str, *, at_least: int, at_most: int = MAX_SEATS) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and at_least <= value <= at_most:
        return value
    raise InvalidInput(
        f"{label} must be a whole number from {at_least} to {at_most}, got {value!r}"
    )


def _checked_method(method: object) -> Method:
    try:
        return Method(str(method))
    except ValueError:
        choices = ", ".join(m.value for m in Method)
        raise InvalidInput(f"unknown method {method!r}; use one of {choices}") from None


# --------------------------------------------------------------------------------------------
# Formatting of exact values (for the notes on ties and for JSON)


def quota_text(value: Fraction) -> str:
    """An exact quota as a decimal with 4 places, rounded half up (what reports and JSON show)."""
    return _decimal(value)


def _decimal(value: Fraction, places: int = 4) -> str:
    """``value`` (≥ 0) as a decimal with ``places`` places, rounded half up, exactly."""
    scale = 10**places
    scaled = math.floor(value * scale + Fraction(1, 2))
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def _sqrt_decimal(square: Fraction, places: int = 4) -> str:
    """sqrt(``square``) as a decimal with ``places`` places, rounded half up, without floats."""
    scale = 10**places
    # round(sqrt(x)) == (isqrt(floor(4x)) + 1) // 2 for x ≥ 0, with x = square * scale²
    scaled = (math.isqrt(math.floor(4 * square * scale * scale)) + 1) // 2
    whole, part = divmod(scaled, scale)
    return f"{whole}.{part:0{places}d}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _tie_note(
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
        f"{label}: tie for {seats} {at} between {_names([n for _, n in tied])}; "
        f"{went} to {_names([n for _, n in winners])} ({reason})"
    )


# --------------------------------------------------------------------------------------------
# Divisor methods


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
        return f"at priority {_sqrt_decimal(Fraction(num, den))}"
    return f"at quotient {_decimal(Fraction(num, den))}"


def _by_divisors(
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
    note = _tie_note(
        label=method.value,
        at=_priority_text(method, num, den),
        winners=[(m, n) for m, n, _, _ in run],
        losers=losers,
    )
    return seats, [note]


# --------------------------------------------------------------------------------------------
# Hamilton


def _by_largest_remainders(
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
    note = _tie_note(
        label=Method.HAMILTON.value,
        at=f"at remainder {_decimal(Fraction(last, total))}",
        winners=winners,
        losers=losers,
    )
    return result, [note]


# --------------------------------------------------------------------------------------------
# Public functions


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
    items = _checked(constituencies)
    chosen = _checked_method(method)
    total_seats = _checked_count(seats, "seats", at_least=0)
    minimum = _checked_count(min_seats, "min_seats", at_least=0)
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
        result, ties = _by_largest_remainders(items, seats=total_seats, min_seats=minimum)
    else:
        result, ties = _by_divisors(items, method=chosen, remaining=remaining, min_seats=minimum)
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
    items = _checked(constituencies)
    ratio = _checked_count(members_per_seat, "members_per_seat", at_least=1, at_most=10**12)
    minimum = _checked_count(min_seats, "min_seats", at_least=0)
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
    items = _checked(constituencies)
    peopled = [c for c in items if c.members > 0]
    if not peopled:
        return Apportionment(
            method=None if method is None else _checked_method(method),
            seats=0,
            min_seats=_checked_count(min_seats, "min_seats", at_least=0),
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


# --------------------------------------------------------------------------------------------
# CSV and JSON

_HEADER = ("name", "members")


def _members_error(line: int, raw: str) -> InvalidInput:
    return InvalidInput(f"line {line}: members must be a whole number ≥ 0, got {shown(raw)}")


def read_csv(text: str) -> list[Constituency]:
    """Read constituencies from CSV text with the header ``name,members``.

    Rules: the first non-blank line is the header; it must name exactly the two columns ``name``
    and ``members`` (in either order, any letter case). Extra columns are *rejected*, not ignored,
    so that a file meant for something else is never silently apportioned. Spaces around fields
    are ignored, blank lines are skipped, a UTF-8 byte order mark is dropped, and fields may be
    quoted as in RFC 4180 (a name with a comma). Members are whole numbers written with the digits
    0-9 only (no signs, decimals or thousands separators), at most ``MAX_DIGITS`` of them
    (consejo.core.limits). Names must be unique and non-empty.

    Every error is one line that names the line of the file, e.g.
    ``line 3: members must be a whole number ≥ 0, got 'abc'``.
    """
    columns: dict[str, int] | None = None
    result: list[Constituency] = []
    first_line: dict[str, int] = {}
    for line, fields in csv_lines(text):
        if columns is None:
            lowered = [field.lower() for field in fields]
            if sorted(lowered) != sorted(_HEADER):
                raise InvalidInput(
                    f"line {line}: the header must be name,members, got {shown(','.join(fields))}"
                )
            columns = {name: lowered.index(name) for name in _HEADER}
            continue
        if len(fields) != len(_HEADER):
            raise InvalidInput(f"line {line}: expected 2 fields (name,members), got {len(fields)}")
        name = fields[columns["name"]]
        raw = fields[columns["members"]]
        if not name:
            raise InvalidInput(f"line {line}: the name is empty")
        if not (raw.isascii() and raw.isdigit()):
            raise _members_error(line, raw)
        if len(raw) > MAX_DIGITS:
            raise digits_error(len(raw), line=line)
        members = int(raw)
        if name in first_line:
            raise InvalidInput(
                f"line {line}: duplicate name {shown(name)} (first on line {first_line[name]})"
            )
        first_line[name] = line
        result.append(Constituency(name=name, members=members))
    if columns is None:
        raise InvalidInput("the file is empty: expected a header line name,members")
    if not result:
        raise InvalidInput("the file has a header but no constituencies")
    return result


def write_csv(result: Apportionment) -> str:
    """The result as CSV with the header ``name,members,seats``, one row per constituency in
    the input order, lines ending in ``\\n``, fields quoted only when needed (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "members", "seats"])
    for share in result.shares:
        writer.writerow([share.name, share.members, share.seats])
    return out.getvalue()


def to_json(result: Apportionment) -> dict[str, object]:
    """The result as a JSON-ready dict.

    Shape: ``{"method": "dhondt" | ... | null (ratio mode), "seats": N, "min_seats": K,
    "members_per_seat": M | null, "shares": [{"name", "members", "seats", "quota"}, ...],
    "ties": [...]}``
    where ``quota`` is the exact Hare quota as a decimal string with 4 places, rounded half up
    (``"7.6460"``), so that no float rounding reaches the output.
    """
    return {
        "method": None if result.method is None else result.method.value,
        "seats": result.seats,
        "min_seats": result.min_seats,
        "members_per_seat": result.members_per_seat,
        "shares": [
            {
                "name": share.name,
                "members": share.members,
                "seats": share.seats,
                "quota": _decimal(share.quota),
            }
            for share in result.shares
        ],
        "ties": list(result.ties),
    }
