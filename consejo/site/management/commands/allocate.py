"""``consejo allocate``: solve an allocation problem from a JSON file and print the plan (no
database). The formats are in docs/allocation.md; the work is in consejo.offline, which
``consejo`` also runs without starting Django."""

from __future__ import annotations

import argparse
from typing import Any

from consejo import offline
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "Allocate scarce supplies from a JSON file and print the plan"
    help = offline.ALLOCATE_HELP
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        offline.add_allocate_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = offline.allocate_output(file=options["file"])
        except offline.UsageError as error:
            raise fail(error) from None
        self.stdout.write(output)
