"""``consejo operator add USERNAME``: make an operator, recorded in the ledger.

Django's ``createsuperuser`` writes no ledger entry, so ``consejo ledger audit`` names an
operator made with it as a row no entry made; this command goes through the service instead.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from consejo.bodies.services import operator_create
from consejo.common.commands import ConsejoCommand, fail


class Command(ConsejoCommand):
    summary = "Make an operator (operator add)"
    help = (
        "Make an operator: a login with every power and no member behind it. The password is "
        "asked twice, or read from the first line of standard input when it is not a terminal."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        add = sub.add_parser("add", help="make an operator: USERNAME")
        add.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if sys.stdin.isatty():
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise fail("the two passwords differ")
        else:
            password = sys.stdin.readline().rstrip("\n")
        user = operator_create(username=options["username"], password=password)
        self.stdout.write(f"operator {user.username} made")
