"""Ledger speed: building and verifying the hash chain in the core (no database).
Run: ``make bench``. Figures: docs/benchmarks.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from consejo.core import ledger

T0 = datetime(2005, 6, 1, tzinfo=UTC)
N = 100_000


def build(n: int) -> list[ledger.Entry]:
    entries = []
    prev = ledger.GENESIS
    for seq in range(1, n + 1):
        entry = ledger.make_entry(
            seq=seq,
            kind="membership.started",
            at=T0 + timedelta(seconds=seq),
            payload={
                "membership": seq,
                "member": seq,
                "body": "villa-ingenio",
                "sector": "resident",
            },
            prev=prev,
        )
        entries.append(entry)
        prev = entry.hash
    return entries


@pytest.fixture(scope="module")
def chain() -> list[ledger.Entry]:
    return build(N)


def test_build_100k_entries(benchmark) -> None:  # type: ignore[no-untyped-def]
    entries = benchmark.pedantic(build, args=(N,), rounds=3, iterations=1)
    assert len(entries) == N


def test_verify_100k_entries(benchmark, chain: list[ledger.Entry]) -> None:  # type: ignore[no-untyped-def]
    head = (N, chain[-1].hash)
    verdict = benchmark.pedantic(
        ledger.verify_chain, args=(chain,), kwargs={"expected_head": head}, rounds=3, iterations=1
    )
    assert verdict.ok
