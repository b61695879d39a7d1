"""``consejo apportion``: seats among the constituencies of a CSV file (no database).

The work is in consejo.offline, which ``consejo`` also runs without starting Django.
"""

from __future__ import annotations

import argparse
from typing import Any

from consejo import offline
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "Apportion seats among the constituencies of a CSV file (no database)"
    help = offline.APPORTION_HELP
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        offline.add_apportion_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = offline.apportion_output(
                file=options["file"],
                method=options["method"],
                seats=options["seats"],
                min_seats=options["min_seats"],
                as_json=options["json"],
            )
        except offline.UsageError as error:
            raise fail(error) from None
        self.stdout.write(output)
