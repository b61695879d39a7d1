"""How our management commands fail: one line on stderr, exit status 2, never a traceback."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from consejo.core.errors import ConsejoError
from consejo.offline import UsageError, read_input

USAGE_ERROR = 2


def fail(message: object) -> CommandError:
    """A CommandError that Django prints as one line and turns into exit status 2."""
    text = " ".join(str(message).split())
    return CommandError(text, returncode=USAGE_ERROR)


def read_text(path: str) -> str:
    """Read a UTF-8 input file (``-`` is stdin), turning every OS error into a one-line failure."""
    try:
        return read_input(path)
    except UsageError as error:
        raise fail(error) from None


class ConsejoCommand(BaseCommand):
    """A management command whose failures read ``consejo <command>: error: <message>``.

    Django prints ``CommandError: <message>``; we print the same line argparse prints for a usage
    error, so that every failure of the ``consejo`` command looks alike, and keep the exit status.
    """

    def execute(self, *args: object, **options: object) -> str | None:
        import sys

        try:
            return super().execute(*args, **options)
        except DatabaseError as error:
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
            sys.stderr.write(
                f"consejo {self._command_name()}: error: the database cannot be read "
                f"({first_line}); is DATABASE_URL right, and has 'consejo migrate' been run?\n"
            )
            sys.exit(USAGE_ERROR)
        except (CommandError, ConsejoError) as error:
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            status = error.returncode if isinstance(error, CommandError) else USAGE_ERROR
            sys.stderr.write(f"consejo {self._command_name()}: error: {error}\n")
            sys.exit(status)

    def _command_name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]


__all__ = ["ConsejoCommand", "fail", "read_text"]
