"""``consejo demo``: load the El Alto scenario (June 2005) into an empty database."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from consejo.common.commands import ConsejoCommand, fail
from consejo.core.errors import ConsejoError
from consejo.demo.elections import demo_trustee_cards
from consejo.demo.scenario import DEMO_LOGINS, WARNING, DemoLogin, demo_is_loaded, load_demo


class Command(ConsejoCommand):
    summary = "Load the demo scenario (El Alto, June 2005) into an empty database"
    help = (
        "Load the demo scenario (El Alto and La Paz, June 2005) into an empty database and print "
        "its logins. Refuses when the database already holds bodies, unless --if-empty."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty database; otherwise do nothing and exit 0 (printing the "
            "logins if the demo is already there)",
        )
        parser.add_argument(
            "--cards",
            metavar="DIR",
            help="also write the demo trustees' cards into DIR (tarjeta-N.txt for consejo trustee "
            "and the trustee page, tarjeta-N.html to print)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and demo_is_loaded():
            self.stdout.write("The demo is already loaded; nothing to do.")
            self._print_logins(DEMO_LOGINS)
            self._write_cards(options["cards"])
            return
        started = time.monotonic()
        try:
            result = load_demo(stdout=self.stdout)
        except ConsejoError as error:
            if options["if_empty"]:
                self.stdout.write(f"Demo not loaded: {error}.")
                return
            raise fail(f"{error}; use a new database (DATABASE_URL) for the demo") from None
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded in {seconds:.1f} s: {result.bodies} bodies ({result.councils} "
                f"councils), {result.federation_links} federation links, {result.members} "
                f"members, {result.memberships} memberships, {result.apportionments} "
                f"apportionments, {result.elections} elections, {result.mandates} mandates, "
                f"{result.ledger_entries} ledger entries."
            )
        )
        self._print_logins(result.logins)
        self._write_cards(options["cards"])

    def _write_cards(self, folder: str | None) -> None:
        """The demo trustees' cards, as ``consejo trustee card`` writes a real one."""
        if not folder:
            return
        from consejo.trustee import card_html, card_text

        out = Path(folder)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for index, reference, seed in demo_trustee_cards():
                (out / f"tarjeta-{index}.txt").write_text(
                    card_text(reference, index, seed, "spanish"), encoding="utf-8"
                )
                (out / f"tarjeta-{index}.html").write_text(
                    card_html(reference, index, seed, "spanish"), encoding="utf-8"
                )
        except OSError as error:
            raise fail(f"{folder}: {error.strerror or error}") from None
        self.stdout.write(f"The demo trustees' cards are in {out}/ (public: demo only).")

    def _print_logins(self, logins: tuple[DemoLogin, ...]) -> None:
        self.stdout.write("")
        self.stdout.write("Demo logins (username / password: what they can do):")
        width = max(len(login.username) for login in logins)
        pwidth = max(len(login.password) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.username:<{width}}  {login.password:<{pwidth}}  {login.can}"
            )
        self.stdout.write(self.style.WARNING(WARNING))
