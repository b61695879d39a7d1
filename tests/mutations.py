"""Hypothesis strategies that spoil a valid input file the ways files get spoilt, by accident or on
purpose: cut short, bytes flipped, numbers of thousands of digits, nesting 100,000 deep, another
encoding, NUL bytes, a lone surrogate, a line repeated, a line of 200,000 characters.

``mutated(data)`` applies one to three of them; every reader and every command of consejo must
answer what comes out with a result or one clear line, never a traceback, a 500 or a partial
write (tests/cli/test_mutated_inputs.py, tests/reliability/test_mutated_uploads.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import strategies as st

_Mutation = Callable[[st.DrawFn, bytes], bytes]
_DIGITS = re.compile(rb"[0-9]+")


def _position(draw: st.DrawFn, data: bytes) -> int:
    return draw(st.integers(0, len(data)))


def _truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: _position(draw, data)]


def _flip(draw: st.DrawFn, data: bytes) -> bytes:
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]


def _huge_number(draw: st.DrawFn, data: bytes) -> bytes:
    digits = b"9" * draw(st.sampled_from([16, 20, 4300, 4301, 6000]))
    numbers = list(_DIGITS.finditer(data))
    if numbers and draw(st.booleans()):  # in place of a number of the file
        match = draw(st.sampled_from(numbers))
        return data[: match.start()] + digits + data[match.end() :]
    at = _position(draw, data)
    return data[:at] + digits + data[at:]


def _negative(draw: st.DrawFn, data: bytes) -> bytes:
    numbers = list(_DIGITS.finditer(data))
    if not numbers:
        return data
    match = draw(st.sampled_from(numbers))
    return data[: match.start()] + b"-" + data[match.start() :]


def _deep(draw: st.DrawFn, data: bytes) -> bytes:
    depth = draw(st.sampled_from([33, 1_000, 100_000]))
    opening, closing = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
    at = _position(draw, data)
    return data[:at] + opening * depth + b"1" + closing * depth + data[at:]


def _encoding(draw: st.DrawFn, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    return text.encode(
        draw(st.sampled_from(["utf-16", "utf-16-le", "cp1252", "latin-1"])), "replace"
    )


def _nul(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + b"\x00" * draw(st.integers(1, 3)) + data[at:]


def _surrogate(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return (
        data[:at] + draw(st.sampled_from([b"\\ud800", b'"\\udfff"', b"\xed\xa0\x80"])) + data[at:]
    )


def _repeat_line(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    at = draw(st.integers(0, len(lines) - 1))
    # A file of one long line (a JSON file) repeated 300 times, three mutations over, would be
    # gigabytes: the long repetition only for lines that stay under a megabyte together.
    times = draw(st.sampled_from([2, 300])) if len(lines[at]) * 300 <= 2**20 else 2
    return b"".join([*lines[:at], lines[at] * times, *lines[at + 1 :]])


def _long_line(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + draw(st.sampled_from([b"x", b"\xc3\xb1", b" ", b","])) * 200_000 + data[at:]


def _garbage(draw: st.DrawFn, data: bytes) -> bytes:
    at = _position(draw, data)
    return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]


#: Each a way of spoiling a file; the two the report found tracebacks with (huge numbers, deep
#: nesting) are listed twice, so that they are drawn more often, and survive the others more.
MUTATIONS: tuple[_Mutation, ...] = (
    _huge_number,
    _deep,
    _truncate,
    _flip,
    _huge_number,
    _negative,
    _deep,
    _encoding,
    _nul,
    _surrogate,
    _repeat_line,
    _long_line,
    _garbage,
)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` spoilt by one to three of MUTATIONS, in turn."""
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    return data
