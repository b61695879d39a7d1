"""The ``consejo`` command: Django's management with consejo's settings preset.

Our own commands (``apportion``, ``ledger``, ``demo``) are management commands of the apps, so
``consejo --help`` lists them beside ``migrate`` and ``runserver``. Errors the user can fix end in
one line on stderr and exit status 2 (see :mod:`consejo.common.commands`).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, ``consejo <command> [options]``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consejo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["consejo", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
