"""``consejo backup``: the database and the uploaded files in one file sealed with a passphrase."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.utils import timezone

from consejo.common.commands import ConsejoCommand, fail
from consejo.common.passphrase import passphrase_read
from consejo.site.backup import backup_create, backup_destination, backup_prune


class Command(ConsejoCommand):
    help = (
        "Write a backup (a consistent copy of the database, and uploaded files) sealed with a "
        "passphrase from CONSEJO_BACKUP_PASSPHRASE_FILE, CONSEJO_BACKUP_PASSPHRASE or a prompt."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "path", help="a new file, or a folder in which a file named by the instant is made"
        )
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="in a folder, remove all but the N newest backups afterwards",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        keep = options["keep"]
        if keep is not None and (keep < 1 or not path.is_dir()):
            raise fail("--keep needs a folder as PATH and a number of at least 1")
        destination = backup_destination(path, at=timezone.localtime())
        manifest = backup_create(destination=destination, passphrase=passphrase_read(confirm=True))
        self.stdout.write(f"backup written to {destination}: {manifest.describe()}")
        if keep is not None:
            for removed in backup_prune(path, keep=keep):
                self.stdout.write(f"removed the older backup {removed}")
