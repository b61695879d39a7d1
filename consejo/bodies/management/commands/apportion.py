"""``consejo apportion``: seats among the constituencies of a CSV file (no database needed)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from consejo.common.commands import ConsejoCommand, fail, read_text
from consejo.core import apportion
from consejo.core.errors import ConsejoError


class Command(ConsejoCommand):
    summary = "Apportion seats among the constituencies of a CSV file (no database)"
    help = (
        "Apportion SEATS among the constituencies of FILE.csv (columns name,members) and print "
        "name,members,seats as CSV (or JSON with --json)."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--method", required=True, choices=[m.value for m in apportion.Method])
        parser.add_argument("--seats", required=True, type=int, help="total seats to apportion")
        parser.add_argument(
            "--min-seats", type=int, default=0, help="seats every constituency gets at least"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of CSV")
        parser.add_argument(
            "file", metavar="FILE.csv", help="CSV with columns name,members (- for stdin)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The options first: a wrong --seats is blamed on --seats, not on the file.
        for option, value in (("--seats", options["seats"]), ("--min-seats", options["min_seats"])):
            if not 0 <= value <= apportion.MAX_SEATS:
                raise fail(
                    f"{option} must be a whole number from 0 to {apportion.MAX_SEATS}, got {value}"
                )
        text = read_text(options["file"])
        try:
            constituencies = apportion.read_csv(text)
        except ConsejoError as error:
            raise fail(f"{options['file']}: {error}") from None
        try:
            result = apportion.apportion(
                constituencies,
                method=apportion.Method(options["method"]),
                seats=options["seats"],
                min_seats=options["min_seats"],
            )
        except ConsejoError as error:  # the options and the file disagree (minimums > seats)
            raise fail(error) from None
        if options["json"]:
            self.stdout.write(json.dumps(apportion.to_json(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(apportion.write_csv(result), ending="")
