"""Calling the apportionment core (consejo.core.apportion) in the tests, and reading its results:
``C`` for a constituency, ``solve`` for a drawn problem (tests/core/strategies_apportion.py), and
the seats by position or by name."""

from __future__ import annotations

from consejo.core.apportion import Apportionment, Constituency, apportion
from tests.core.strategies_apportion import Problem

C = Constituency


def seats(result: Apportionment) -> list[int]:
    return [share.seats for share in result.shares]


def by_name(result: Apportionment) -> dict[str, int]:
    return {share.name: share.seats for share in result.shares}


def solve(problem: Problem, **changes: object) -> Apportionment:
    arguments: dict[str, object] = {
        "method": problem.method,
        "seats": problem.seats,
        "min_seats": problem.min_seats,
    }
    arguments.update(changes)
    return apportion(problem.constituencies, **arguments)  # type: ignore[arg-type]
