"""Races, with real transactions, real threads and a barrier, on PostgreSQL.

Each test was seen failing once with its guard removed: without the head-row lock the concurrent
appends fork or collide on the chain; without the partial unique constraint on open memberships two
concurrent requests both register the same member in the same body.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from consejo.bodies import services
from consejo.bodies.models import Body, Membership
from consejo.core.errors import Conflict
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

THREADS = 8


def race(work: Callable[[int], object]) -> list[object]:
    """Run ``work(i)`` in THREADS threads released at once; return each result or exception."""
    barrier = threading.Barrier(THREADS)
    results: list[object] = [None] * THREADS

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as error:  # the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def plant(operator: Any) -> Body:
    council = services.body_create(actor=operator, name="Council", slug="council", kind="council")
    return services.body_create(
        actor=operator, name="Plant", slug="plant", kind="workplace", parent=council
    )


def test_concurrent_writes_append_one_unbroken_chain(operator: Any, plant: Body) -> None:
    before = LedgerEntry.objects.count()
    results = race(
        lambda i: services.member_add(actor=operator, body=plant, name=f"W{i}", sector="worker")
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert LedgerEntry.objects.count() == before + THREADS
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_concurrent_requests_register_a_member_in_a_body_only_once(
    operator: Any, plant: Body
) -> None:
    other = services.body_create(actor=operator, name="Mine", slug="mine", kind="mine")
    member = services.member_add(actor=operator, body=other, name="Juana", sector="miner").member
    results = race(
        lambda i: services.membership_start(
            actor=operator, member=member, body=plant, sector="worker"
        )
    )
    successes = [r for r in results if isinstance(r, Membership)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(successes) == 1
    assert len(conflicts) == THREADS - 1
    assert Membership.objects.filter(member=member, body=plant, end__isnull=True).count() == 1
    assert ledger_verify().ok
