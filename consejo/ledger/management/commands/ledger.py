"""``consejo ledger verify``: check the whole hash chain against the recorded head.
``consejo ledger audit``: rebuild the tables from the ledger and name every difference."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import CommandError

from consejo.common.commands import ConsejoCommand
from consejo.ledger.audit import audit
from consejo.ledger.selectors import ledger_verify


class Command(ConsejoCommand):
    summary = "Verify the tamper-evident ledger (ledger verify), audit the tables (ledger audit)"
    help = "Work with the tamper-evident ledger (verify, audit)."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser(
            "verify",
            help="Verify every entry: exit 0 with 'ok N entries, head <hash>', "
            "otherwise exit 1 naming the first entry that fails.",
        )
        sub.add_parser(
            "audit",
            help="Rebuild the tables from the ledger alone and compare: exit 0 with 'ok N "
            "entries, M rows agree', otherwise exit 1 naming every difference (table, row, "
            "field, the entry that should have produced it). Needs the ledger key "
            "(CONSEJO_LEDGER_KEY or var/ledger_key).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "audit":
            report = audit()
            for difference in report.differences:
                self.stderr.write(str(difference))
            if not report.ok:
                raise CommandError(f"ledger audit: {report}", returncode=1)
            self.stdout.write(str(report))
            return
        verdict = ledger_verify()
        if not verdict.ok:
            raise CommandError(f"ledger broken: {verdict}", returncode=1)
        self.stdout.write(str(verdict))
