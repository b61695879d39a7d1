"""Where a backup's passphrase comes from: a file, the environment, or a prompt; never an argument
(a command line is visible to every user of the machine, and kept in shell histories)."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from consejo.core.errors import InvalidInput

FILE_VARIABLE = "CONSEJO_BACKUP_PASSPHRASE_FILE"
VARIABLE = "CONSEJO_BACKUP_PASSPHRASE"


def passphrase_read(*, confirm: bool) -> str:
    """The passphrase from ``CONSEJO_BACKUP_PASSPHRASE_FILE`` (its first line), else from
    ``CONSEJO_BACKUP_PASSPHRASE``, else asked on the terminal (twice when ``confirm``)."""
    if path := os.environ.get("CONSEJO_BACKUP_PASSPHRASE_FILE"):
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInput(f"cannot read {FILE_VARIABLE} ({path}): {error}") from None
        if not lines or not lines[0]:
            raise InvalidInput(f"the passphrase file {path} is empty")
        return lines[0]
    if value := os.environ.get("CONSEJO_BACKUP_PASSPHRASE"):
        return value
    if not sys.stdin.isatty():
        raise InvalidInput(
            f"no passphrase: set {FILE_VARIABLE} or {VARIABLE}, or run this on a terminal"
        )
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise InvalidInput("the two passphrases differ")
    return first
