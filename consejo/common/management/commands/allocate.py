"""``consejo allocate``: solve an allocation problem from a JSON file and print the plan (no
database). The formats are in docs/allocation.md; the rules in consejo/core/allocation.py."""

from __future__ import annotations

import argparse
import json
from typing import Any

from consejo.common.commands import ConsejoCommand, fail, read_text
from consejo.core.allocation import allocate, read_json, to_json
from consejo.core.errors import ConsejoError


class Command(ConsejoCommand):
    help = (
        "Allocate scarce supplies from FILE.json (depots with stock, recipients with needs, "
        "priority tiers and routes) and print the plan as JSON: higher tiers first, fair fill "
        "within a tier, least transport cost, whole units, nothing left where it is needed."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE.json", help="the problem (- for stdin)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = read_text(options["file"])
        try:
            plan = to_json(allocate(read_json(text)))
        except ConsejoError as error:
            raise fail(f"{options['file']}: {error}") from None
        self.stdout.write(json.dumps(plan, ensure_ascii=False, indent=1))
