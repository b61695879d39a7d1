"""Casting one sealed ballot through the service, as a member's request does: the voter's
checks, the seal of 5 ciphertexts, the rows and the ledger entry, in one transaction (SQLite).

Run: ``make bench``. Figures: docs/elections.md ("How fast"). The whole count's pipeline is
``benchmarks/sealed_pipeline.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from consejo.elections import services
from tests.builders import build_running_election, build_small_federation, make_member

pytestmark = pytest.mark.django_db


def test_cast_one_sealed_ballot(benchmark, django_user_model: Any, time_machine: Any) -> None:  # type: ignore[no-untyped-def]
    operator = django_user_model.objects.create_superuser("operator", password="operator-pass-1")  # noqa: S106
    federation = build_small_federation(actor=operator)
    run = build_running_election(
        actor=operator, federation=federation, traveller=time_machine, candidates=5, voters=3
    )
    keys = [c.pk for c in run.candidates]
    made = iter(range(10_000))

    def voter() -> tuple[tuple[Any], dict[str, Any]]:
        n = next(made)
        user = make_member(
            actor=operator, body=federation.neighborhood, username=f"b-{n}", name=f"Banco {n:04d}"
        )
        return (user,), {}

    def cast(user: Any) -> str | None:
        return services.ballot_cast(actor=user, election_id=run.election.pk, choices=keys[:3])

    tracker = benchmark.pedantic(cast, setup=voter, rounds=100, iterations=1)
    assert tracker is not None
