"""``consejo ledger verify``: check the whole hash chain against the recorded head."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError

from consejo.common.commands import ConsejoCommand
from consejo.ledger.selectors import ledger_verify


class Command(ConsejoCommand):
    summary = "Verify the tamper-evident ledger (ledger verify)"
    help = "Work with the tamper-evident ledger (verify)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser(
            "verify",
            help="Verify every entry: exit 0 with 'ok N entries, head <hash>', "
            "otherwise exit 1 naming the first entry that fails.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = ledger_verify()
        if not verdict.ok:
            raise CommandError(f"ledger broken: {verdict}", returncode=1)
        self.stdout.write(str(verdict))
