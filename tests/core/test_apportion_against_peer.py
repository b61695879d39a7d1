"""Differential test: our apportionment agrees with an independent implementation.

The peer is the ``apportionment`` package (M. Lackner, PyPI ``apportionment`` 1.0,
https://github.com/martinlackner/apportionment), run with exact fractions and ties refused, so that
every instance it answers has one right answer.
"""

from __future__ import annotations

import apportionment.methods as peer
from hypothesis import assume, given, strategies as st

from consejo.core.apportion import Constituency, Method, apportion

PEER_NAME = {
    Method.DHONDT: "dhondt",
    Method.SAINTE_LAGUE: "saintelague",
    Method.HAMILTON: "largest_remainder",
    Method.HUNTINGTON_HILL: "huntington",
}


@given(
    method=st.sampled_from(list(Method)),
    members=st.lists(st.integers(1, 100_000), min_size=1, max_size=12),
    seats=st.integers(1, 60),
)
def test_every_method_agrees_with_the_peer_where_no_tie_decides(
    method: Method, members: list[int], seats: int
) -> None:
    if method is Method.HUNTINGTON_HILL:
        assume(seats >= len(members))  # the peer does not define zero-seat Huntington-Hill ties
    try:
        expected = peer.compute(
            PEER_NAME[method], members, seats, fractions=True, tiesallowed=False, verbose=False
        )
    except peer.TiesException:
        assume(False)
    result = apportion(
        [Constituency(name=f"b{i:02d}", members=m) for i, m in enumerate(members)],
        method=method,
        seats=seats,
    )
    assert [share.seats for share in result.shares] == list(expected)
