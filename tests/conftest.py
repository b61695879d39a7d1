"""Suite-wide fixtures and the PostgreSQL pass.

``make test`` runs the suite on SQLite, then the database tests again with
``CONSEJO_TEST_DATABASE=postgres``. Without a reachable PostgreSQL that pass is skipped with a clear
message on a user's machine, and fails in CI (``CI=true``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

# On a developer's machine (`make test`) Hypothesis draws anew on every run, to find what no one
# thought of; each failure it finds becomes an explicit @example. CI (CI=true, .ci/run) draws the
# same examples on every run (derandomize: a seed from each test's name), so that a landing never
# fails by chance.
# Registered profiles start from Hypothesis' own defaults, which with CI set are derandomized:
# the developer's profile says it draws anew.
settings.register_profile("dev", max_examples=100, deadline=None, derandomize=False)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

POSTGRES_PASS = os.environ.get("CONSEJO_TEST_DATABASE") == "postgres"
_postgres_problem: str | None = None


def _postgres_reachable() -> str | None:
    import psycopg

    from tests.settings import POSTGRES_URL

    try:
        with psycopg.connect(POSTGRES_URL.rsplit("/", 1)[0] + "/postgres", connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL is not reachable at {POSTGRES_URL}: {str(error).strip()}"


def pytest_configure(config: pytest.Config) -> None:
    global _postgres_problem
    if not POSTGRES_PASS:
        return
    _postgres_problem = _postgres_reachable()
    if _postgres_problem and os.environ.get("CI") == "true":
        pytest.exit(f"{_postgres_problem} (CI requires PostgreSQL)", returncode=1)


def pytest_report_header(config: pytest.Config) -> str:
    if not POSTGRES_PASS:
        return "database: SQLite (in memory); the PostgreSQL pass follows in make test"
    return f"database: PostgreSQL{' (UNREACHABLE: skipping)' if _postgres_problem else ''}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if POSTGRES_PASS and _postgres_problem:
            item.add_marker(pytest.mark.skip(reason=f"{_postgres_problem}; start it to run these"))
        elif not POSTGRES_PASS and item.get_closest_marker("postgres_only"):
            item.add_marker(pytest.mark.skip(reason="runs in the PostgreSQL pass of make test"))


@pytest.fixture
def operator(django_user_model: Any) -> Any:
    """The installation's operator (a superuser), made as ``consejo operator add`` makes one."""
    from consejo.bodies.services import operator_create

    # Dated long before any test's clock, so that a test may set its clock after this fixture.
    return operator_create(username="operator", password="operator-pass-1", at=OPERATOR_MADE)


@pytest.fixture
def outsider(django_user_model: Any) -> Any:
    """A logged-in person with no membership anywhere."""
    return django_user_model.objects.create_user("outsider", password="outsider-pass-1")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Start every test with an empty cache (rate-limit counters are database rows, which each
    test's transaction or flush already takes away)."""
    from django.core.cache import cache

    cache.clear()


#: Where the tests' frozen clock starts: the morning of 9 June 2005, El Alto.
#: When the operator fixture's login was made: before every instant a test travels to.
OPERATOR_MADE = datetime(2000, 1, 1, tzinfo=UTC)
CLOCK_START = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock(time_machine: Any) -> Callable[[datetime | timedelta], datetime]:
    """Freeze the clock at CLOCK_START; ``clock(instant)`` moves it to an instant, ``clock(offset)``
    to CLOCK_START + offset; each returns the instant it moved to."""

    def move(to: datetime | timedelta) -> datetime:
        instant = CLOCK_START + to if isinstance(to, timedelta) else to
        time_machine.move_to(instant, tick=False)
        return instant

    move(CLOCK_START)
    return move
