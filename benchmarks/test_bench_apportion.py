"""Apportionment speed: consejo's exact methods against the ``apportionment`` package (PyPI 1.0), in
the same run, on the same inputs. Run: ``make bench``. Figures: docs/benchmarks.md."""

from __future__ import annotations

import random

import apportionment.methods as peer
import pytest

from consejo.core.apportion import Constituency, Method, apportion

PEER_NAME = {
    Method.DHONDT: "dhondt",
    Method.SAINTE_LAGUE: "saintelague",
    Method.HAMILTON: "largest_remainder",
    Method.HUNTINGTON_HILL: "huntington",
}

SIZES = {
    "city-60x200": (60, 200),  # a city council: 60 organizations, 200 seats
    "national-1000x5000": (1000, 5000),  # a national congress of every local
}


def names(bodies: int) -> list[str]:
    return [f"b{i:04d}" for i in range(bodies)]


def instance(bodies: int) -> list[int]:
    rng = random.Random(2005)
    return [rng.randint(50, 20_000) for _ in range(bodies)]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("method", list(Method), ids=str)
def test_consejo(benchmark, method: Method, size: str) -> None:  # type: ignore[no-untyped-def]
    bodies, seats = SIZES[size]
    members = instance(bodies)
    constituencies = [Constituency(name=f"b{i:04d}", members=m) for i, m in enumerate(members)]
    benchmark.group = f"{method}-{size}"
    result = benchmark(apportion, constituencies, method=method, seats=seats)
    assert sum(s.seats for s in result.shares) == seats


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "float"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("method", list(Method), ids=str)
def test_peer(benchmark, method: Method, size: str, exact: bool) -> None:  # type: ignore[no-untyped-def]
    bodies, seats = SIZES[size]
    members = instance(bodies)
    benchmark.group = f"{method}-{size}"
    result = benchmark.pedantic(
        peer.compute,
        args=(PEER_NAME[method], members, seats),
        kwargs={"fractions": exact, "verbose": False, "parties": names(bodies)},
        rounds=3,
        iterations=1,
    )
    assert sum(result) == seats
