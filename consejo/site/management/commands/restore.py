"""``consejo restore``: a backup into a new, empty database, done only once its ledger verifies."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from consejo.common.commands import ConsejoCommand
from consejo.common.passphrase import passphrase_read
from consejo.core.errors import LedgerBroken
from consejo.site.backup import backup_restore


class Command(ConsejoCommand):
    help = (
        "Restore a backup made by 'consejo backup' into the configured database, which must be "
        "new and empty; then migrate, and verify the ledger before saying done."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("archive", help="the file written by 'consejo backup'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            verdict = backup_restore(
                archive=Path(options["archive"]), passphrase=passphrase_read(confirm=False)
            )
        except LedgerBroken as error:
            # Like `consejo ledger verify`: a ledger that fails is exit status 1, not a usage error.
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(f"restored {options['archive']}: {verdict}")
