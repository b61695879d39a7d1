"""``consejo count``: count the ballots of a BLT file and print the result as JSON (no database)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from consejo.common.commands import ConsejoCommand, fail, read_text
from consejo.core.counting.ballots import Election
from consejo.core.counting.blt import read_blt
from consejo.core.counting.methods import METHODS, count
from consejo.core.errors import ConsejoError


class Command(ConsejoCommand):
    help = (
        "Count the ballots of FILE.blt (the BLT format of OpenSTV, Droop and eSTV) and print the "
        "result as JSON: method, seats, elected in order of election, every round, valid ballots."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--method", required=True, choices=sorted(METHODS))
        parser.add_argument("--seats", type=int, help="seats to fill (default: the file's)")
        parser.add_argument(
            "--seed", type=int, default=0, help="seed of the lot for ties no rule decides"
        )
        parser.add_argument("file", metavar="FILE.blt", help="the ballots (- for stdin)")

    def handle(self, *args: Any, **options: Any) -> None:
        text = read_text(options["file"])
        try:
            election = read_blt(text)
            election = _with_seats(election, options["seats"])
            result = count(options["method"], election, seed=options["seed"])
        except ConsejoError as error:
            raise fail(f"{options['file']}: {error}") from None
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1))


def _with_seats(election: Election, seats: int | None) -> Election:
    if seats is None:
        return election
    if not 1 <= seats <= len(election.candidates):
        raise fail(f"--seats must be from 1 to {len(election.candidates)}, got {seats}")
    from dataclasses import replace

    return replace(election, seats=seats)
