"""``consejo trustee``: a trustee's steps in a sealed vote (no database; consejo.trustee)."""

from __future__ import annotations

import argparse
from typing import Any

from consejo import offline, trustee
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "A trustee's steps in a sealed vote: card, shares, confirm, decrypt (no database)"
    help = offline.TRUSTEE_HELP
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        trustee.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            output = trustee.run(argparse.Namespace(**options))
        except offline.UsageError as error:
            raise fail(error) from None
        self.stdout.write(output)
