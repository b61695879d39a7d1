"""How our management commands fail: one line on stderr, exit status 2, never a traceback."""

from __future__ import annotations

import textwrap
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from consejo.common.inputs import UsageError, one_line, read_input
from consejo.core.errors import ConsejoError

USAGE_ERROR = 2


def fail(message: object) -> CommandError:
    """A CommandError that Django prints as one line and turns into exit status 2."""
    return CommandError(one_line(message), returncode=USAGE_ERROR)


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

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Django's parser, whose mistakes (a missing option, a word for a number) are one line
        from the shell, as offline.OneLineParser's are; called from code they stay CommandErrors."""
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message: str) -> NoReturn:
            if not parser.called_from_command_line:
                raise CommandError(f"Error: {message}")
            parser.exit(
                USAGE_ERROR,
                f"{parser.prog}: error: {one_line(message)} "
                f"({parser.prog} --help lists the options)\n",
            )

        parser.error = error  # type: ignore[method-assign]
        return parser

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
            sys.stderr.write(f"consejo {self._command_name()}: error: {one_line(error)}\n")
            sys.exit(status)

    def _command_name(self) -> str:
        return self.__class__.__module__.rsplit(".", 1)[-1]


__all__ = ["ConsejoCommand", "fail", "read_text"]


#: The order in which ``consejo help`` lists our commands: the everyday ones first; any other
#: command of ours follows in alphabetical order.
OWN_FIRST = ("apportion", "count", "allocate", "ledger", "demo")


def main_help(prog: str = "consejo") -> str:
    """What ``consejo``, ``consejo help`` and ``consejo --help`` print: consejo's own commands
    first, one line each, then Django's, by application, as Django lists them."""
    from collections import defaultdict

    from django.core.management import get_commands, load_command_class

    ours: dict[str, str] = {}
    django: dict[str, list[str]] = defaultdict(list)
    for name, app in get_commands().items():
        if app == "consejo" or app.startswith("consejo."):
            command = load_command_class(app, name)
            ours[name] = getattr(command, "summary", "") or _first_sentence(command.help)
        else:
            django["django" if app == "django.core" else app.rpartition(".")[-1]].append(name)
    order = [n for n in OWN_FIRST if n in ours] + sorted(n for n in ours if n not in OWN_FIRST)
    width = max(map(len, ours), default=0)
    lines = [
        f"Usage: {prog} <command> [options]; '{prog} help <command>' for a command's options.",
        "",
        "consejo's commands:",
        *(f"  {name:<{width}}  {ours[name]}" for name in order),
        "",
        "Django's commands (as in any Django project):",
    ]
    for app in sorted(django):
        lines += textwrap.wrap(
            f"[{app}] {' '.join(sorted(django[app]))}",
            width=79,
            initial_indent="  ",
            subsequent_indent="    ",
        )
    return "\n".join(lines) + "\n"


def _first_sentence(text: str) -> str:
    sentence = " ".join(text.split()).split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= 72 else sentence[:71] + "…"
