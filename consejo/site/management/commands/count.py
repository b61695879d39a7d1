"""``consejo count``: count the ballots of a BLT file and print the result as JSON (no database).

The work is in consejo.offline, which ``consejo`` also runs without starting Django.
"""

from __future__ import annotations

import argparse
from typing import Any

from consejo import offline
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "Count the ballots of a BLT file: plurality, approval, IRV, STV, Schulze"
    help = offline.COUNT_HELP
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        offline.add_count_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = offline.count_output(
                file=options["file"],
                method=options["method"],
                seats=options["seats"],
                seed=options["seed"],
            )
        except offline.UsageError as error:
            raise fail(error) from None
        self.stdout.write(output)
