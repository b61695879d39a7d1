"""The limits on what consejo reads from a file, each explicit and documented (docs/limits.md).

Without them a mistyped or hostile file ends in a traceback or exhausts the machine: Python's
``int()`` refuses a number of more than 4,300 digits (a guard against CVE-2020-10735), the JSON
reader recurses once per level of nesting until the stack runs out, and an error that quotes a
whole line of a file of a million characters is not one clear line. So every reader of consejo
refuses a number with more than :data:`MAX_DIGITS` digits and JSON nested more than
:data:`MAX_JSON_DEPTH` levels deep, naming what was too large, and quotes at most
:data:`MAX_SHOWN` characters of what it refuses. The interfaces add their own limits on the
size of a file (``consejo.common.inputs.MAX_INPUT_BYTES`` for the command line; each upload
form its own).
"""

from __future__ import annotations

import json
import re

import numpy as np

from consejo.core.errors import InvalidInput, gettext_noop

#: Digits of any whole number in an input file: up to 999,999,999,999,999, far beyond any count of
#: ballots, members or units, and well within what Python converts and numpy holds (int64).
MAX_DIGITS = 15
#: Levels of nesting of a JSON file (an allocation problem needs 5).
MAX_JSON_DEPTH = 32
#: Characters of the input that an error message quotes before it cuts with "…".
MAX_SHOWN = 60

__all__ = [
    "MAX_DIGITS",
    "MAX_JSON_DEPTH",
    "MAX_SHOWN",
    "check_json_depth",
    "digits_error",
    "shown",
]

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_OPENING = np.frombuffer(b"[{", dtype=np.uint8)
_CLOSING = np.frombuffer(b"]}", dtype=np.uint8)


def shown(text: str) -> str:
    """``text`` quoted as an error message shows it (``repr``), cut to :data:`MAX_SHOWN`
    characters with "…" so that a line of a million characters stays one readable line."""
    if len(text) <= MAX_SHOWN:
        return repr(text)
    return repr(text[:MAX_SHOWN]) + "…"


def digits_error(digits: int, *, line: int | None = None) -> InvalidInput:
    """The error for a number of ``digits`` digits, more than :data:`MAX_DIGITS` (with the line
    of the file, when there is one)."""
    if line is None:
        return InvalidInput.of(
            gettext_noop("a number of %(digits)d digits is too large (at most %(max)d digits)"),
            digits=digits,
            max=MAX_DIGITS,
        )
    return InvalidInput.of(
        gettext_noop(
            "line %(line)d: a number of %(digits)d digits is too large (at most %(max)d digits)"
        ),
        line=line,
        digits=digits,
        max=MAX_DIGITS,
    )


def check_json_depth(text: str) -> None:
    """Refuse JSON ``text`` nested more than :data:`MAX_JSON_DEPTH` levels deep, before parsing.

    Rule: brackets inside strings do not count; every ``[`` or ``{`` opens a level and every
    ``]`` or ``}`` closes one. Malformed JSON may be counted deeper than it is, and is refused
    either way; the count runs in numpy, so a file of many megabytes is checked in milliseconds.
    """
    skeleton = _JSON_STRING.sub("", text)
    if skeleton.count("[") + skeleton.count("{") <= MAX_JSON_DEPTH:
        return
    encoded = skeleton.encode("utf-8", "surrogatepass")
    raw = np.frombuffer(encoded, dtype=np.uint8)
    steps = np.isin(raw, _OPENING).astype(np.int64) - np.isin(raw, _CLOSING).astype(np.int64)
    depth = np.cumsum(steps)
    if int(depth.max()) > MAX_JSON_DEPTH:
        deepest = int(np.argmax(depth > MAX_JSON_DEPTH))
        line = encoded[:deepest].count(b"\n") + 1
        raise InvalidInput.of(
            gettext_noop("line %(line)d: the JSON is nested more than %(max)d levels deep"),
            line=line,
            max=MAX_JSON_DEPTH,
        )


def load_json(text: str) -> object:
    """Parse JSON ``text`` within the limits: nested at most :data:`MAX_JSON_DEPTH` levels, whole
    numbers of at most :data:`MAX_DIGITS` digits (Python refuses to read one of more than 4,300
    digits with a ValueError, not a JSON error).

    Rule: every refusal is one :class:`InvalidInput` naming the line, as for every other file.
    """
    check_json_depth(text)

    def whole(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_DIGITS:
            raise digits_error(len(digits.lstrip("-")), line=None)
        return int(digits)

    try:
        return json.loads(text, parse_int=whole)
    except json.JSONDecodeError as error:
        raise InvalidInput.of(
            gettext_noop("not JSON: %(error)s (line %(line)d)"), error=error.msg, line=error.lineno
        ) from None
