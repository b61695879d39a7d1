"""``consejo serve``: the production server (gunicorn with ``consejo.gunicorn_conf``)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    help = (
        "Serve consejo in production: gunicorn with worker processes, behind a proxy that "
        "terminates TLS (docs/deploy.md). Refuses a database that is not migrated."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--bind", help="address to listen on (default CONSEJO_BIND or 127.0.0.1:8000)"
        )
        parser.add_argument(
            "--workers", type=int, help="worker processes (default CONSEJO_WORKERS or 2*cores+1)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise fail(
                f"the database lacks {len(pending)} migration(s): run 'consejo migrate' first"
            )
        if options["workers"] is not None and options["workers"] < 1:
            raise fail("--workers must be at least 1")
        # The workers open their own connections; none may be inherited across exec.
        connections.close_all()
        argv = [sys.executable, "-m", "gunicorn", "--config", "python:consejo.gunicorn_conf"]
        if options["bind"]:
            argv += ["--bind", options["bind"]]
        if options["workers"] is not None:
            argv += ["--workers", str(options["workers"])]
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - gunicorn from our own interpreter
