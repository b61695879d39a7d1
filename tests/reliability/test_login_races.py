"""The login limit under concurrent guessing, with real threads and a barrier, on PostgreSQL.

Seen failing with the guard removed: with the count read, compared and written back in Python (as
Django's cache and database cache do), 30 concurrent wrong passwords for one name were all checked
against the password; counted by one atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` before
the password is checked, no more than the limit are.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.common import ratelimit
from consejo.common.models import RateCounter
from consejo.site.auth_views import LOGIN_LIMIT
from tests.reliability.threads import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

THREADS = 30


def test_thirty_concurrent_wrong_passwords_let_at_most_the_limit_through(operator: Any) -> None:
    def guess(index: int) -> int:
        client = Client(REMOTE_ADDR="203.0.113.9")
        return client.post(
            "/login/", {"username": "operator", "password": f"guess{index}"}
        ).status_code

    answers = race(guess, THREADS)
    assert sorted(set(map(str, answers))) == ["200", "429"], answers
    assert answers.count(200) == LOGIN_LIMIT  # checked against the password: the limit, no more
    assert answers.count(429) == THREADS - LOGIN_LIMIT
    assert sum(RateCounter.objects.filter(scope="login").values_list("n", flat=True)) == THREADS


def test_concurrent_attempts_are_each_counted_once(operator: Any) -> None:
    counts = race(lambda index: ratelimit.hit("vote", "member-1", window_seconds=600), THREADS)
    assert sorted(counts) == list(range(1, THREADS + 1))  # type: ignore[type-var]
