"""Races, with real transactions, real threads and a barrier, on PostgreSQL.

Each test was seen failing once with its guard removed: without the head-row lock the concurrent
appends fork or collide on the chain; without the partial unique constraint on open memberships two
concurrent requests both register the same member in the same body; with the lock taken at the
end of each service instead of its start (as first written), two councils linked to each other at
once made a cycle, concurrent login grants left orphan users, the first writes of an installation
collided on the head row, and a secretary wrote after a concurrent end of their membership.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from consejo.bodies import services
from consejo.bodies.models import Body, Federation, Membership
from consejo.bodies.services import api_token_issue
from consejo.core.errors import Conflict, PermissionDenied
from consejo.ledger.models import LedgerEntry, LedgerHead
from consejo.ledger.selectors import ledger_verify
from tests.builders import appoint_secretary, grant_login
from tests.reliability.threads import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

THREADS = 8


def wait_for_lock_waiters(expected: int, timeout: float = 10.0) -> None:
    """Return once ``expected`` other sessions of this database wait for a lock (PostgreSQL's
    pg_stat_activity, wait_event_type 'Lock'), polling; fail after ``timeout`` seconds.

    A test that needs its threads to queue on a lock in a given order waits for each to be seen
    queued, rather than sleeping and hoping that a loaded machine kept up.
    """
    deadline = time.monotonic() + timeout
    seen = -1
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            (seen,) = cursor.fetchone()
        if seen >= expected:
            return
        time.sleep(0.01)
    raise AssertionError(f"{expected} sessions should wait for a lock; {seen} did in {timeout} s")


@pytest.fixture
def plant(operator: Any) -> Body:
    council = services.body_create(actor=operator, name="Council", slug="council", kind="council")
    return services.body_create(
        actor=operator, name="Plant", slug="plant", kind="workplace", parent_id=council.pk
    )


def test_concurrent_writes_append_one_unbroken_chain(operator: Any, plant: Body) -> None:
    before = LedgerEntry.objects.count()
    results = race(
        lambda i: services.member_add(
            actor=operator, body_id=plant.pk, name=f"W{i}", sector="worker"
        )
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert LedgerEntry.objects.count() == before + THREADS
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_concurrent_requests_register_a_member_in_a_body_only_once(
    operator: Any, plant: Body
) -> None:
    other = services.body_create(actor=operator, name="Mine", slug="mine", kind="mine")
    member = services.member_add(
        actor=operator, body_id=other.pk, name="Juana", sector="miner"
    ).member
    results = race(
        lambda i: services.membership_start(
            actor=operator, member_id=member.pk, body_id=plant.pk, sector="worker"
        )
    )
    successes = [r for r in results if isinstance(r, Membership)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(successes) == 1
    assert len(conflicts) == THREADS - 1
    assert Membership.objects.filter(member=member, body=plant, end__isnull=True).count() == 1
    assert ledger_verify().ok


def race_pair(first: Callable[[], object], second: Callable[[], object]) -> list[object]:
    """Run two actions released at the same instant; return each result or exception."""
    actions = [first, second]
    return race(lambda index: actions[index](), threads=2)


def test_two_councils_linking_to_each_other_at_once_never_make_a_cycle(operator: Any) -> None:
    for n in range(10):
        a = services.body_create(actor=operator, name=f"A{n}", slug=f"a{n}", kind="council")
        b = services.body_create(actor=operator, name=f"B{n}", slug=f"b{n}", kind="council")
        results = race_pair(
            lambda a=a, b=b: services.federation_link(actor=operator, body_id=a.pk, parent_id=b.pk),
            lambda a=a, b=b: services.federation_link(actor=operator, body_id=b.pk, parent_id=a.pk),
        )
        linked = [r for r in results if isinstance(r, Federation)]
        assert len(linked) == 1, results
        assert any(isinstance(r, Conflict) for r in results)


def test_two_logins_granted_at_once_leave_one_login_and_no_orphan(
    operator: Any, plant: Body, django_user_model: Any
) -> None:
    member = services.member_add(
        actor=operator, body_id=plant.pk, name="Juana", sector="worker"
    ).member
    before = django_user_model.objects.count()
    results = race(
        lambda i: services.member_login_grant(
            actor=operator, member_id=member.pk, username=f"juana{i}"
        )
    )
    granted = [r for r in results if not isinstance(r, Exception)]
    assert len(granted) == 1, results
    assert all(isinstance(r, Conflict) for r in results if isinstance(r, Exception))
    assert django_user_model.objects.count() == before + 1


def test_the_first_writes_of_a_new_installation_do_not_collide(django_user_model: Any) -> None:
    users = [django_user_model.objects.create_user(f"u{i}", password="x") for i in range(THREADS)]
    results = race(lambda i: api_token_issue(user=users[i], name="first"))
    assert [r for r in results if isinstance(r, Exception)] == []
    assert ledger_verify().ok


def test_a_secretary_cannot_write_once_a_concurrent_end_of_their_membership_commits(
    operator: Any, plant: Body
) -> None:
    membership = appoint_secretary(
        actor=operator,
        membership=services.member_add(
            actor=operator, body_id=plant.pk, name="Sec", sector="worker"
        ),
    )
    secretary = grant_login(
        actor=operator, member=membership.member, username="sec", password="wawa-llajta-2005"
    )
    # A body's last secretary cannot leave: a second one lets the first go.
    appoint_secretary(
        actor=operator,
        membership=services.member_add(
            actor=operator, body_id=plant.pk, name="Sec 2", sector="worker"
        ),
    )
    holding, release = threading.Event(), threading.Event()
    results: dict[str, object] = {}

    def hold_the_ledger() -> None:
        with transaction.atomic():
            LedgerHead.objects.select_for_update().get(id=1)
            holding.set()
            release.wait(10)
        connection.close()

    def end() -> None:
        try:
            results["end"] = services.membership_end(actor=operator, membership_id=membership.pk)
        finally:
            connection.close()

    def add() -> None:
        try:
            results["add"] = services.member_add(
                actor=secretary, body_id=plant.pk, name="Late", sector="worker"
            )
        except PermissionDenied as error:
            results["add"] = error
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_ledger)
    holder.start()
    holding.wait(10)
    ender = threading.Thread(target=end)
    ender.start()
    wait_for_lock_waiters(1)  # the end queues first on the lock...
    adder = threading.Thread(target=add)
    adder.start()
    wait_for_lock_waiters(2)  # ...then the secretary's write
    release.set()
    for thread in (holder, ender, adder):
        thread.join(timeout=30)
    assert isinstance(results["end"], Membership)
    assert isinstance(results["add"], PermissionDenied)


def test_verifying_while_others_write_never_reports_a_false_break(
    operator: Any, plant: Body
) -> None:
    stop = threading.Event()
    verdicts: list[object] = []

    def write(writer: int) -> None:
        try:
            n = 0
            while not stop.is_set():
                n += 1
                services.member_add(
                    actor=operator, body_id=plant.pk, name=f"W{writer}-{n}", sector="worker"
                )
        finally:
            connection.close()

    def verify() -> None:
        try:
            for _ in range(15):
                verdicts.append(ledger_verify())
        finally:
            connection.close()

    writers = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in writers:
        thread.start()
    verifier = threading.Thread(target=verify)
    verifier.start()
    verifier.join(timeout=60)
    stop.set()
    for thread in writers:
        thread.join(timeout=30)
    assert [str(v) for v in verdicts if not getattr(v, "ok", False)] == []
