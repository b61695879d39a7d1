"""Reading a command's input and reporting its mistakes: one line, exit status 2, never a
traceback. Shared by the commands that need no Django (``consejo.offline``, ``consejo.trustee``)
and the management commands (``consejo.common.commands``); it imports nothing from Django.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

USAGE_ERROR = 2
#: The largest input file a command reads (a BLT file of ten million ungrouped ballots is about
#: 150 MB): a mistaken path such as /dev/zero is refused instead of filling the memory.
MAX_INPUT_BYTES = 256 * 2**20
#: The longest error line a command prints; the readers already quote at most a few dozen
#: characters of the input, this bounds whatever else a message carries.
MAX_MESSAGE = 500


class UsageError(Exception):
    """A mistake the user can fix, reported in one line (``consejo <command>: error: …``)."""


def one_line(message: object) -> str:
    """``message`` as the one line a command prints: its whitespace (newlines included) collapsed
    to single spaces, cut to MAX_MESSAGE characters."""
    text = " ".join(str(message).split())
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE] + "…"


def read_input(path: str) -> str:
    """Read a UTF-8 input file (``-`` is stdin) of at most MAX_INPUT_BYTES; every OS error
    becomes one UsageError line."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with Path(path).open("rb") as file:
                # A regular file says its size: one too large is refused before it is read.
                if os.fstat(file.fileno()).st_size > MAX_INPUT_BYTES:
                    raise UsageError(_too_large(name))
                data = file.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied") from None
    except OSError as error:
        raise UsageError(f"{name}: {error.strerror or error}") from None
    if len(data) > MAX_INPUT_BYTES:  # a pipe or a device, which say no size
        raise UsageError(_too_large(name))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{name}: not UTF-8 text (byte {error.start})") from None


def _too_large(name: str) -> str:
    return f"{name}: larger than {MAX_INPUT_BYTES // 2**20} MB, the most a command reads"


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one line, like every other error of a command:
    ``consejo <command>: error: <what> (consejo <command> --help lists the options)``."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            USAGE_ERROR,
            f"{self.prog}: error: {one_line(message)} ({self.prog} --help lists the options)\n",
        )


__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_MESSAGE",
    "USAGE_ERROR",
    "OneLineParser",
    "UsageError",
    "one_line",
    "read_input",
]
