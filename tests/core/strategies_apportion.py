"""Hypothesis strategies for the apportionment core (consejo.core.apportion).

Members are drawn mostly small so that equal members, equal quotients and equal remainders (the
ties) come up often; some constituencies have no members at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from consejo.core.apportion import Constituency, Method

#: Letters from the places this tool is for, plus a space, a comma and a quote inside names.
_NAME_ALPHABET = "abcdefghijklmnñopqrstuvwxyzABCDEFGHIJKLMNÑOPQRSTUVWXYZáéíóú0123456789 ,'\"-"

DIVISOR_METHODS = (Method.DHONDT, Method.SAINTE_LAGUE, Method.HUNTINGTON_HILL)


def names() -> st.SearchStrategy[str]:
    """A constituency name: non-empty, without spaces at either end (as ``read_csv`` gives)."""
    return st.text(_NAME_ALPHABET, min_size=1, max_size=12).map(str.strip).filter(bool)


def members() -> st.SearchStrategy[int]:
    """Members of one constituency: often tiny (ties), sometimes zero, sometimes large."""
    return st.one_of(st.integers(1, 12), st.integers(1, 2_000), st.integers(1, 10**7), st.just(0))


@st.composite
def constituencies(draw: st.DrawFn, *, min_size: int = 1, max_size: int = 10) -> list[Constituency]:
    """A list of constituencies with unique names; members often repeat, so that ties happen."""
    common = draw(st.lists(members(), min_size=1, max_size=3))
    some_members = st.one_of(st.sampled_from(common), st.sampled_from(common), members())
    return draw(
        st.lists(
            st.builds(Constituency, name=names(), members=some_members),
            min_size=min_size,
            max_size=max_size,
            unique_by=lambda c: c.name,
        )
    )


@dataclass(frozen=True)
class Problem:
    """A valid call of ``apportion``: every argument it takes."""

    constituencies: list[Constituency]
    method: Method
    seats: int
    min_seats: int


@st.composite
def problems(
    draw: st.DrawFn,
    *,
    methods: tuple[Method, ...] = tuple(Method),
    min_seats: st.SearchStrategy[int] | None = None,
    max_extra_seats: int = 40,
) -> Problem:
    """A valid apportionment problem: minimums that fit and, without members, no seats to spare."""
    chosen = draw(st.one_of(constituencies(max_size=3), constituencies(min_size=3, max_size=10)))
    minimum = draw(st.integers(0, 3) if min_seats is None else min_seats)
    extra = draw(
        st.one_of(st.integers(1, len(chosen) + 1), st.integers(1, max_extra_seats), st.just(0))
    )
    if not any(c.members for c in chosen):
        extra = 0
    return Problem(
        constituencies=chosen,
        method=draw(st.sampled_from(methods)),
        seats=minimum * len(chosen) + extra,
        min_seats=minimum,
    )
