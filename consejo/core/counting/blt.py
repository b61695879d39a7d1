"""The BLT ballot file format, as OpenSTV, Droop and eSTV read and write it.

A file holds, in order: a line ``<candidates> <seats>``; optionally the withdrawn candidates as
negative numbers (``-2 -4``) and Droop's options ``[withdrawn 2 4]`` and ``[tie 3 2 1]`` (an order
for breaking ties); one line per ballot, ``<weight> <c1> <c2> … 0`` with candidates
numbered from 1 in order of preference (an optional ``(id)`` may precede the weight); a line
``0`` that ends the ballots; one quoted name per candidate; and the quoted title (anything after
it is ignored, as Droop ignores it). Source: the
format description of OpenSTV (J. O'Neill) and Droop (J. Lundell, ``droop/profile.py`` docs).
Every error names the line of the file where it was found.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import replace
from itertools import repeat
from operator import itemgetter

import numpy as np

from consejo.core.counting.ballots import Election, Ranking, make_election
from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.limits import MAX_DIGITS, digits_error, shown
from consejo.core.memory import without_cycle_collection

_LINES = re.compile(r"\r\n|\r|\n")
#: What str.splitlines takes for a line break besides CR and LF (BLT does not).
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
#: A ballot line in the common form, "<weight> <candidates…> 0" in ASCII digits: parsed fast.
_PLAIN_BALLOT = re.compile(
    rf"[0-9]{{1,{MAX_DIGITS}}}(?:[ \t]+[0-9]{{1,{MAX_DIGITS}}})*[ \t]+0\Z", re.ASCII
)
#: The byte that ends a ballot in the fast path's stream (candidates are bytes 0..254).
_END = 255
_END_BYTE = bytes([_END])
_CANDIDATES = bytes(range(_END))
#: Anything but digits and blanks in the ballot lines: not for the fast path.
_NOT_PLAIN = re.compile(r"[^0-9 \t\n]")
#: Candidates in one BLT file: far more than any ballot paper, and few enough that an option
#: listing every candidate ("[tie …]") is checked at once.
MAX_CANDIDATES = 10_000
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')


def read_blt(text: str) -> Election:
    """Parse BLT ``text`` into an :class:`Election` (identical ballots grouped).

    Rules: ballots name candidates 1..n, each at most once, and end with ``0``; weights are whole
    numbers ≥ 0; no number has more than ``MAX_DIGITS`` digits and there are at most
    ``MAX_CANDIDATES`` candidates (consejo.core.limits; docs/limits.md); after the ``0`` line
    come exactly n quoted names and a quoted title (blank lines and ``#`` comment lines are
    skipped everywhere).
    """
    with without_cycle_collection():
        return _read(text, fast=True)


def _read(text: str, *, fast: bool) -> Election:
    """:func:`read_blt`; ``fast=False`` reads every ballot line the plain way (the reference that
    the fast path is tested against: both give the same election, or the same error)."""
    lines = _split_lines(text)
    position = _next_content(lines, 0)
    if position is None:
        raise InvalidInput(
            "line 1: the file is empty; a BLT file starts with '<candidates> <seats>'"
        )
    header = lines[position].strip()
    fields = header.split()
    if len(fields) != 2 or not all(_is_int(f) for f in fields):
        raise InvalidInput(
            f"line {position + 1}: expected '<candidates> <seats>', got {shown(header)}"
        )
    n_candidates, seats = (_number(field, position + 1) for field in fields)
    if n_candidates < 1:
        raise InvalidInput(f"line {position + 1}: there must be at least one candidate")
    if n_candidates > MAX_CANDIDATES:
        raise InvalidInput.of(
            gettext_noop("line %(line)d: a BLT file holds at most %(max)d candidates, not %(n)d"),
            line=position + 1,
            max=MAX_CANDIDATES,
            n=n_candidates,
        )
    if not 1 <= seats <= n_candidates:
        raise InvalidInput(
            f"line {position + 1}: seats must be from 1 to {n_candidates}, got {seats}"
        )

    withdrawn: set[int] = set()
    tie_order: list[int] = []
    # Withdrawn candidates and options come before the ballots.
    start = position + 1
    while (start := _next_content(lines, start) or len(lines)) < len(lines) and lines[
        start
    ].strip()[:1] in {"-", "["}:
        line, number = lines[start].strip(), start + 1
        if line.startswith("["):
            name, numbers = _option(line, number, n_candidates)
            if name == "withdrawn":
                withdrawn.update(numbers)
            else:
                tie_order = numbers
        else:
            withdrawn.update(_withdrawn(line, number, n_candidates))
        start += 1
    totals: Counter[Ranking] = Counter()
    grouped = _plain_ballots(lines, start, n_candidates) if fast else None
    if grouped is None:
        end, totals = _ballots(lines, start, n_candidates)
    else:
        end = lines.index("0", start)

    strings: list[tuple[int, str]] = []
    for number, raw in enumerate(lines[end + 1 :], start=end + 2):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if len(strings) == n_candidates + 1:
            break  # after the title: free text (Wichmann's files carry notes there), ignored
        match = _QUOTED.match(line)
        if match is None:
            raise InvalidInput(f"line {number}: expected a quoted name or title, got {shown(line)}")
        strings.append((number, match.group(1).replace('\\"', '"').replace("\\\\", "\\")))
    if len(strings) < n_candidates:
        last = strings[-1][0] if strings else end + 1
        raise InvalidInput(
            f"line {last}: {n_candidates} candidate names expected, found {len(strings)}"
        )
    names = [name for _number, name in strings[:n_candidates]]
    title = strings[n_candidates][1] if len(strings) > n_candidates else ""
    try:
        election = make_election(
            candidates=names,
            seats=seats,
            ballots=totals.items(),
            title=title,
            withdrawn=withdrawn,
            tie_order=tie_order,
            checked=True,
        )
    except InvalidInput as error:
        raise InvalidInput(f"line {strings[0][0]}: {error}") from None
    # The fast path's ballots are already grouped and sorted as group_ballots sorts them.
    return election if grouped is None else replace(election, ballots=grouped)


def _split_lines(text: str) -> list[str]:
    """The lines of ``text``: only CR and LF end lines (str.splitlines would also split on \\v,
    \\f, \\x1c-\\x1e, \\x85, U+2028 and U+2029, and drops a last empty line)."""
    if any(char in text for char in _OTHER_BREAKS):
        return _LINES.split(text)
    lines = text.splitlines()  # the same lines, faster than the regular expression
    if not text or text[-1] in "\r\n":
        lines.append("")
    return lines


def _ballots(lines: list[str], start: int, n_candidates: int) -> tuple[int, Counter[Ranking]]:
    """The index of the line ``0`` that ends the ballots, and the weight of each ranking.

    Every ballot line is checked (:func:`_ballot` gives the error and its line number).
    """
    texts = [line.strip() for line in lines]
    try:
        end = texts.index("0", start)
    except ValueError:
        quoted = next((i for i in range(start, len(texts)) if texts[i].startswith('"')), None)
        where = quoted + 1 if quoted is not None else len(texts)
        raise InvalidInput(
            f"line {where}: the ballots never end with a line '0' before the names"
        ) from None
    # Identical lines are parsed once (in C, by Counter): elections repeat the same rankings.
    raw = Counter(texts[start:end])
    raw.pop("", None)
    totals: Counter[Ranking] = Counter()
    for line, repeats in raw.items():
        if _PLAIN_BALLOT.match(line):
            numbers = [int(token) for token in line.split()]  # at most MAX_DIGITS digits each
            ranking = tuple(c - 1 for c in numbers[1:-1])
            if len(set(ranking)) == len(ranking) and (
                not ranking or (min(ranking) >= 0 and max(ranking) < n_candidates)
            ):
                totals[ranking] += numbers[0] * repeats
                continue
        if line.startswith("#"):
            continue
        number = texts.index(line, start) + 1
        if line.startswith('"'):
            raise InvalidInput(
                f"line {number}: the ballots never end with a line '0' before the names"
            )
        ranking, weight = _ballot(line, number, n_candidates)  # the checks, and their message
        totals[ranking] += weight * repeats
    return end, totals


def _plain_ballots(
    lines: list[str], start: int, n_candidates: int
) -> tuple[tuple[Ranking, int], ...] | None:
    """The common case of :func:`_ballots`, fast; or None, and :func:`_ballots` reads the lines.

    It takes only ballots ``<weight> <c1> <c2> … 0``, each ending in a space and ``0``, with the
    weight from 1 to 255, candidates written 1..n (no ballot ids, no leading zeros, no comments,
    nothing malformed) and at most 255 candidates, ended by a line exactly ``0`` (the index of
    that line is then ``lines.index("0", start)``). Identical lines are counted in C (Counter);
    the distinct lines are then read together, in C: each token becomes one byte (a candidate
    1..n its index, ``0`` the end of a ballot, 255), so that a ranking is a bytes object; bytes
    sort exactly as tuples of their values do, a shorter prefix first, and much faster. The result
    is the ballots grouped and sorted as :func:`~consejo.core.counting.ballots.group_ballots`
    gives them (the test suite checks that both paths agree).
    """
    if n_candidates > 255:
        return None
    try:
        end = lines.index("0", start)
    except ValueError:
        return None
    counted = Counter(lines[start:end])
    counted.pop("", None)
    texts = list(counted)
    if not all(map(str.endswith, texts, repeat(" 0"))):
        return None
    joined = "\n".join(texts)
    if _NOT_PLAIN.search(joined):
        return None  # a ballot id, a sign, a comment, or an error: _ballots tells which
    # All the numbers at once, in C; each one is then a byte: candidates 1..255 as 0..254
    # (weights go up to 255), and "0" (the end of a ballot) as 255.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            numbers = np.fromstring(joined, dtype=np.int64, sep=" ")
        except (ValueError, DeprecationWarning):
            return None
    if numbers.size and (numbers.min() < 0 or numbers.max() > _END):
        return None  # a number beyond 255 (a large weight, many candidates): the plain way
    stream = np.where(numbers == 0, _END, numbers - 1).astype(np.uint8).tobytes()
    if stream.count(_END) != len(texts):
        return None  # a "0" inside a ballot, or a weight 0
    ballots = stream.split(_END_BYTE)
    ballots.pop()  # empty: what follows the last end
    if not all(ballots):
        return None  # a ballot without its weight
    rankings = list(map(itemgetter(slice(1, None)), ballots))
    ranked = b"".join(rankings)
    if ranked.translate(None, _CANDIDATES[:n_candidates]):
        return None  # a candidate who does not exist
    if sum(map(len, map(set, rankings))) != len(ranked):
        return None  # a candidate ranked twice
    weights = bytes(map(itemgetter(0), ballots))  # each weight less one
    totals: dict[bytes, int] = {}
    if weights.count(0) == len(weights):  # every weight 1, the common case
        totals = dict(zip(rankings, counted.values(), strict=True))
    if len(totals) != len(rankings):  # weights, or one ranking on lines that differ
        totals = {}
        for ranking, weight, repeats in zip(rankings, weights, counted.values(), strict=True):
            totals[ranking] = totals.get(ranking, 0) + (weight + 1) * repeats
    order = sorted(totals)
    return tuple(zip(map(tuple, order), map(totals.__getitem__, order), strict=True))


def write_blt(election: Election) -> str:
    """``election`` as BLT text: grouped ballots one per line with their weight, names quoted.

    ``read_blt(write_blt(e)) == e`` for every election (the round trip is tested).
    """
    out = [f"{len(election.candidates)} {election.seats}"]
    if election.withdrawn:
        out.append(" ".join(f"-{c + 1}" for c in sorted(election.withdrawn)))
    if election.tie_order:
        out.append("[tie " + " ".join(str(c + 1) for c in election.tie_order) + "]")
    for ranking, weight in election.ballots:
        out.append(" ".join([str(weight), *(str(c + 1) for c in ranking), "0"]))
    out.append("0")
    out.extend(_quote(name) for name in election.candidates)
    out.append(_quote(election.title))
    return "\n".join(out) + "\n"


def _next_content(lines: list[str], start: int) -> int | None:
    """The index of the first line from ``start`` that is neither blank nor a ``#`` comment."""
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if line and not line.startswith("#"):
            return index
    return None


def _withdrawn(line: str, number: int, n_candidates: int) -> list[int]:
    found = []
    for token in line.split():
        if not (token.startswith("-") and _is_int(token[1:])):
            raise InvalidInput(f"line {number}: not a withdrawn candidate: {shown(token)}")
        candidate = _number(token[1:], number)
        if not 1 <= candidate <= n_candidates:
            raise InvalidInput(f"line {number}: no candidate {candidate} to withdraw")
        found.append(candidate - 1)
    return found


def _option(line: str, number: int, n_candidates: int) -> tuple[str, list[int]]:
    if not line.endswith("]"):
        raise InvalidInput(f"line {number}: an option is '[name …]', got {shown(line)}")
    tokens = line[1:-1].split()
    if not tokens or tokens[0] not in {"tie", "withdrawn"}:
        raise InvalidInput(f"line {number}: unknown option {shown(line)} (known: tie, withdrawn)")
    numbers: list[int] = []
    for token in tokens[1:]:
        if not _is_int(token) or not 1 <= _number(token, number) <= n_candidates:
            raise InvalidInput(f"line {number}: not a candidate number: {shown(token)}")
        numbers.append(int(token) - 1)
    if tokens[0] == "tie" and sorted(numbers) != list(range(n_candidates)):
        raise InvalidInput(f"line {number}: the tie order must list every candidate once")
    return tokens[0], numbers


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _is_int(token: str) -> bool:
    return token.isascii() and token.isdigit()


def _number(token: str, line: int) -> int:
    """A token of ASCII digits (:func:`_is_int`) as a number, refused beyond MAX_DIGITS digits."""
    if len(token) > MAX_DIGITS:
        raise digits_error(len(token), line=line)
    return int(token)


def _ballot(line: str, number: int, n_candidates: int) -> tuple[Ranking, int]:
    tokens = line.split()
    if tokens[0].startswith("("):
        # An optional ballot id, "(17) 1 2 3 0": kept by some programs, not needed to count.
        closing = next((i for i, t in enumerate(tokens) if t.endswith(")")), None)
        if closing is None:
            raise InvalidInput(f"line {number}: the ballot id is not closed with ')'")
        tokens = tokens[closing + 1 :]
    if len(tokens) < 2 or tokens[-1] != "0":
        raise InvalidInput(
            f"line {number}: a ballot is '<weight> <candidates…> 0', got {shown(line)}"
        )
    if not _is_int(tokens[0]):
        raise InvalidInput(
            f"line {number}: the weight must be a whole number, got {shown(tokens[0])}"
        )
    weight = _number(tokens[0], number)
    ranking: list[int] = []
    seen: set[int] = set()
    for token in tokens[1:-1]:
        if not _is_int(token):
            what = "equal rankings ('=') are not supported" if "=" in token else "not a candidate"
            raise InvalidInput(f"line {number}: {what}: {shown(token)}")
        candidate = _number(token, number)
        if not 1 <= candidate <= n_candidates:
            raise InvalidInput(
                f"line {number}: candidate {candidate} does not exist (1 to {n_candidates})"
            )
        if candidate in seen:
            raise InvalidInput(f"line {number}: candidate {candidate} is ranked twice")
        seen.add(candidate)
        ranking.append(candidate - 1)
    return tuple(ranking), weight
