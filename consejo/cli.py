"""The ``consejo`` command: Django's management with consejo's settings preset.

Our own commands (``apportion``, ``count``, ``allocate``, ``ledger``, ``demo``…) are management
commands of the apps; ``consejo --help`` lists them first, one line each, then Django's. Errors
the user can fix end in one line on stderr and exit status 2 (see :mod:`consejo.common.commands`).
"""

from __future__ import annotations

import os
import sys

from consejo import offline


def main(argv: list[str] | None = None) -> None:
    """Run a management command, ``consejo <command> [options]``.

    A configuration the settings cannot read (``DATABASE_URL=garbage``, ``DEBUG=maybe``) ends in
    one line on stderr and exit status 2, like every other mistake a user can fix.
    """
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in offline.COMMANDS and "--traceback" not in args:
        # Files in, JSON out, no database: no need to start Django (a third of a second).
        sys.exit(offline.main(args[0], args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consejo.settings")
    try:
        import django

        django.setup()
    except Exception as error:  # any failure to read the configuration is reported, not raised
        if "--traceback" in args:
            raise
        detail = " ".join(str(error).split()) or type(error).__name__
        sys.stderr.write(f"consejo: error: the configuration cannot be read: {detail}\n")
        sys.exit(2)
    if args in ([], ["help"], ["-h"], ["--help"]):
        # Our own commands first, one line each; Django's below them (its own list mixes them).
        from consejo.common.commands import main_help

        sys.stdout.write(main_help())
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["consejo", *args])


if __name__ == "__main__":
    main()
