"""No acknowledged write is lost (DESIGN.md): the settings that promise rests on are asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.utils import ConnectionHandler

from consejo.common.database import SQLITE_PRAGMAS


def test_a_new_sqlite_connection_runs_in_wal_mode_with_full_sync(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "durable.sqlite3"),
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            }
        }
    )
    db = handler["default"]
    try:
        with django_db_blocker.unblock(), db.cursor() as cursor:
            found = {}
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(f"PRAGMA {pragma}")
                found[pragma] = str(cursor.fetchone()[0]).lower()
    finally:
        db.close()
    assert found == {
        "journal_mode": "wal",
        "synchronous": "2",
        "foreign_keys": "1",
        "busy_timeout": "20000",
    }


def test_the_default_settings_take_the_sqlite_write_lock_at_begin(tmp_path: Path) -> None:
    # Read consejo's own settings in a clean process (tests/settings.py overrides DATABASES).
    script = (
        "import json; from consejo import settings as s; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS']]))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    done = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        env={**env, "CONSEJO_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    engine, options = json.loads(done.stdout)
    assert engine == "django.db.backends.sqlite3"
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_consejo_refuses_a_sqlite_file_where_wal_cannot_be_enabled(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    # A read-only database cannot switch to WAL: the connection must refuse to be used.
    path = tmp_path / "ro.sqlite3"
    import sqlite3

    sqlite3.connect(path).close()
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": f"file:{path}?mode=ro",
                "OPTIONS": {"uri": True},
            }
        }
    )
    db = handler["default"]
    try:
        with (
            django_db_blocker.unblock(),
            pytest.raises(ImproperlyConfigured, match=r"journal_mode=wal"),
            db.cursor() as cursor,
        ):
            cursor.execute("SELECT 1")
    finally:
        db.close()


@pytest.mark.django_db
@pytest.mark.postgres_only
def test_postgresql_acknowledges_only_synchronous_commits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"
