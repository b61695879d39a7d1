"""Durability settings applied, then asserted, on every new database connection.

DESIGN.md's first promise, "no acknowledged write is lost", rests on these: SQLite in WAL mode with
``synchronous=FULL`` (a commit is on disk before it is acknowledged; WAL alone with NORMAL may lose
the last transactions on power loss, https://www.sqlite.org/pragma.html#pragma_synchronous), foreign
keys on and a busy timeout; PostgreSQL with ``synchronous_commit=on``. If a setting does not take (a
file system without WAL support, a server configured to acknowledge early), consejo refuses to run.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "synchronous": "2",  # FULL
    "foreign_keys": "1",
    "busy_timeout": "20000",
}


def configure_connection(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Apply and check the durability settings of a new connection (``connection_created``)."""
    if connection.vendor == "sqlite":
        _configure_sqlite(connection)
    elif connection.vendor == "postgresql":
        _check_postgresql(connection)


def _configure_sqlite(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.settings_dict["NAME"] == ":memory:" or "mode=memory" in str(
            connection.settings_dict["NAME"]
        ):
            # An in-memory test database has no journal on disk to put in WAL mode.
            cursor.execute("PRAGMA foreign_keys = ON")
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
        except DatabaseError as error:
            raise ImproperlyConfigured(
                f"SQLite refused PRAGMA journal_mode=wal ({error}); consejo will not run without it"
            ) from error
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 20000")
        for pragma, wanted in SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {pragma}")
            actual = str(cursor.fetchone()[0]).lower()
            if actual != wanted:
                raise ImproperlyConfigured(
                    f"SQLite refused PRAGMA {pragma}={wanted} (it reports {actual}); "
                    "consejo will not run without it"
                )


def _check_postgresql(connection: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        value = cursor.fetchone()[0]
    if value not in {"on", "remote_write", "remote_apply"}:
        raise ImproperlyConfigured(
            f"PostgreSQL has synchronous_commit={value}; consejo needs it on so that no "
            "acknowledged write is lost"
        )


def database_status() -> str:
    """``"ok"`` when the default database answers a trivial query, else a short reason."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not ok"; the reason is reported
        return f"error: {type(error).__name__}"
    return "ok"
