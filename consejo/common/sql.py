"""Pieces of the few statements written in SQL rather than through the ORM (under the ledger's
lock, where compiling a query costs more than running it)."""

from __future__ import annotations

from django.db import connection, models

#: Rows a statement inserts or names at most: 500 rows of up to 6 values stay well under
#: SQLite's 32,766 parameters and PostgreSQL's 65,535.
ROWS_PER_STATEMENT = 500


def quoted_table(model: type[models.Model]) -> str:
    """The table of ``model``, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)
