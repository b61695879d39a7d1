"""The commands that read a file and need no database: ``consejo apportion``, ``consejo count``,
``consejo allocate`` (and ``consejo trustee``, in consejo.trustee).

They are Django management commands like the others (so ``consejo help`` lists them), but
``consejo`` runs them without starting Django when called from the shell: the count of a
million ballots should not wait a third of a second for apps it never uses. This module imports
nothing from Django; the management commands are thin wrappers around it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from types import ModuleType

from consejo.common.inputs import (
    USAGE_ERROR,
    OneLineParser,
    UsageError,
    one_line,
    read_input,
)
from consejo.core.errors import ConsejoError

# --- consejo apportion -------------------------------------------------------------------------

APPORTION_HELP = (
    "Apportion SEATS among the constituencies of FILE.csv (columns name,members) and print "
    "name,members,seats as CSV (or JSON with --json)."
)


def add_apportion_arguments(parser: argparse.ArgumentParser) -> None:
    from consejo.core.apportion import Method

    parser.add_argument("--method", required=True, choices=[m.value for m in Method])
    parser.add_argument("--seats", required=True, type=int, help="total seats to apportion")
    parser.add_argument(
        "--min-seats", type=int, default=0, help="seats every constituency gets at least"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of CSV")
    parser.add_argument(
        "file", metavar="FILE.csv", help="CSV with columns name,members (- for stdin)"
    )


def apportion_output(*, file: str, method: str, seats: int, min_seats: int, as_json: bool) -> str:
    """The CSV (or, ``as_json``, the JSON) that ``consejo apportion`` prints, without its last
    newline, or a UsageError: a wrong ``--seats`` or ``--min-seats`` is blamed on the option
    before the file is read, a bad file names the file and its line (docs/apportionment.md)."""
    from consejo.core import apportion

    for option, value in (("--seats", seats), ("--min-seats", min_seats)):
        if not 0 <= value <= apportion.MAX_SEATS:
            raise UsageError(
                f"{option} must be a whole number from 0 to {apportion.MAX_SEATS}, got {value}"
            )
    text = read_input(file)
    try:
        constituencies = apportion.read_csv(text)
    except ConsejoError as error:
        raise UsageError(f"{file}: {error}") from None
    try:
        result = apportion.apportion(
            constituencies, method=apportion.Method(method), seats=seats, min_seats=min_seats
        )
    except ConsejoError as error:  # the options and the file disagree (minimums > seats)
        raise UsageError(str(error)) from None
    if as_json:
        return json.dumps(apportion.to_json(result), ensure_ascii=False, indent=2)
    return apportion.write_csv(result).removesuffix("\n")


# --- consejo count ------------------------------------------------------------------------------

COUNT_HELP = (
    "Count the ballots of FILE.blt (the BLT format of OpenSTV, Droop and eSTV) and print the "
    "result as JSON: method, seats, elected in order of election, every round, valid ballots."
)


def add_count_arguments(parser: argparse.ArgumentParser) -> None:
    from consejo.core.counting.methods import METHODS

    parser.add_argument("--method", required=True, choices=sorted(METHODS))
    parser.add_argument("--seats", type=int, help="seats to fill (default: the file's)")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the lot for ties no rule decides"
    )
    parser.add_argument("file", metavar="FILE.blt", help="the ballots (- for stdin)")


def count_output(*, file: str, method: str, seats: int | None, seed: int) -> str:
    """The JSON that ``consejo count`` prints, or a UsageError naming the file (and line)."""
    from consejo.core.counting.blt import read_blt
    from consejo.core.counting.methods import count

    text = read_input(file)
    try:
        election = read_blt(text)
        if seats is not None:
            if not 1 <= seats <= len(election.candidates):
                raise UsageError(
                    f"--seats must be from 1 to {len(election.candidates)}, got {seats}"
                )
            election = replace(election, seats=seats)
        result = count(method, election, seed=seed)
    except ConsejoError as error:
        raise UsageError(f"{file}: {error}") from None
    return json.dumps(result.to_json(), ensure_ascii=False, indent=1)


# --- consejo allocate ---------------------------------------------------------------------------

ALLOCATE_HELP = (
    "Allocate scarce supplies from FILE.json (depots with stock, recipients with needs, "
    "priority tiers and routes) and print the plan as JSON: higher tiers first, fair fill "
    "within a tier, least transport cost, whole units, nothing left where it is needed."
)


def add_allocate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.json", help="the problem (- for stdin)")


def allocate_output(*, file: str) -> str:
    """The JSON that ``consejo allocate`` prints, or a UsageError naming the file and place."""
    from consejo.core.allocation import allocate_json

    text = read_input(file)
    try:
        return allocate_json(text)
    except ConsejoError as error:
        raise UsageError(f"{file}: {error}") from None


# --- consejo trustee (consejo/trustee.py) -------------------------------------------------------

TRUSTEE_HELP = (
    "A trustee's steps in a sealed vote, on the trustee's own computer, without a server or a "
    "database: 'card' makes the card and the commitment (step 1), 'shares' seals the shares "
    "(step 2), 'confirm' checks them and confirms (step 3), 'decrypt' decrypts the mix at the "
    "count, 'check' says whether a card is this box's. Reads the box's file (from the box's "
    "page or GET /api/v1/boxes/{reference}) and the card; prints the step's file to bring back."
)


# --- running them from the shell ----------------------------------------------------------------

_Runner = Callable[[argparse.Namespace], str]

COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], _Runner]] = {
    "apportion": (
        APPORTION_HELP,
        add_apportion_arguments,
        lambda o: apportion_output(
            file=o.file, method=o.method, seats=o.seats, min_seats=o.min_seats, as_json=o.json
        ),
    ),
    "count": (
        COUNT_HELP,
        add_count_arguments,
        lambda o: count_output(file=o.file, method=o.method, seats=o.seats, seed=o.seed),
    ),
    "allocate": (ALLOCATE_HELP, add_allocate_arguments, lambda o: allocate_output(file=o.file)),
    "trustee": (
        TRUSTEE_HELP,
        lambda parser: _trustee().add_arguments(parser),
        lambda o: _trustee().run(o),
    ),
}


def _trustee() -> ModuleType:
    from consejo import trustee  # it imports this module: loaded when first used

    return trustee


def main(command: str, args: list[str]) -> int:
    """Run ``consejo <command> <args>`` without Django; the exit status (0, or 2 for a mistake)."""
    description, add_arguments, run = COMMANDS[command]
    parser = OneLineParser(prog=f"consejo {command}", description=description)
    add_arguments(parser)
    options = parser.parse_args(args)  # a usage mistake: one line and exit 2 (OneLineParser)
    try:
        output = run(options)
    except UsageError as error:
        sys.stderr.write(f"consejo {command}: error: {one_line(error)}\n")
        return USAGE_ERROR
    sys.stdout.write(output + "\n")
    return 0
