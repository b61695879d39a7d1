"""The CSV file of constituencies, and an apportionment as CSV and as JSON."""

from __future__ import annotations

import csv
import io

from consejo.core.apportion.model import Apportionment, Constituency
from consejo.core.apportion.text import decimal_text
from consejo.core.csvtext import csv_lines
from consejo.core.errors import InvalidInput
from consejo.core.limits import MAX_DIGITS, digits_error, shown

_HEADER = ("name", "members")


def _members_error(line: int, raw: str) -> InvalidInput:
    return InvalidInput(f"line {line}: members must be a whole number ≥ 0, got {shown(raw)}")


def read_csv(text: str) -> list[Constituency]:
    """Read constituencies from CSV text with the header ``name,members``.

    Rules: the first non-blank line is the header; it must name exactly the two columns ``name``
    and ``members`` (in either order, any letter case). Extra columns are *rejected*, not ignored,
    so that a file meant for something else is never silently apportioned. Spaces around fields
    are ignored, blank lines are skipped, a UTF-8 byte order mark is dropped, and fields may be
    quoted as in RFC 4180 (a name with a comma). Members are whole numbers written with the digits
    0-9 only (no signs, decimals or thousands separators), at most ``MAX_DIGITS`` of them
    (consejo.core.limits). Names must be unique and non-empty.

    Every error is one line that names the line of the file, e.g.
    ``line 3: members must be a whole number ≥ 0, got 'abc'``.
    """
    columns: dict[str, int] | None = None
    result: list[Constituency] = []
    first_line: dict[str, int] = {}
    for line, fields in csv_lines(text):
        if columns is None:
            lowered = [field.lower() for field in fields]
            if sorted(lowered) != sorted(_HEADER):
                raise InvalidInput(
                    f"line {line}: the header must be name,members, got {shown(','.join(fields))}"
                )
            columns = {name: lowered.index(name) for name in _HEADER}
            continue
        if len(fields) != len(_HEADER):
            raise InvalidInput(f"line {line}: expected 2 fields (name,members), got {len(fields)}")
        name = fields[columns["name"]]
        raw = fields[columns["members"]]
        if not name:
            raise InvalidInput(f"line {line}: the name is empty")
        if not (raw.isascii() and raw.isdigit()):
            raise _members_error(line, raw)
        if len(raw) > MAX_DIGITS:
            raise digits_error(len(raw), line=line)
        members = int(raw)
        if name in first_line:
            raise InvalidInput(
                f"line {line}: duplicate name {shown(name)} (first on line {first_line[name]})"
            )
        first_line[name] = line
        result.append(Constituency(name=name, members=members))
    if columns is None:
        raise InvalidInput("the file is empty: expected a header line name,members")
    if not result:
        raise InvalidInput("the file has a header but no constituencies")
    return result


def write_csv(result: Apportionment) -> str:
    """The result as CSV with the header ``name,members,seats``, one row per constituency in
    the input order, lines ending in ``\\n``, fields quoted only when needed (RFC 4180)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "members", "seats"])
    for share in result.shares:
        writer.writerow([share.name, share.members, share.seats])
    return out.getvalue()


def to_json(result: Apportionment) -> dict[str, object]:
    """The result as a JSON-ready dict.

    Shape: ``{"method": "dhondt" | ... | null (ratio mode), "seats": N, "min_seats": K,
    "members_per_seat": M | null, "shares": [{"name", "members", "seats", "quota"}, ...],
    "ties": [...]}``
    where ``quota`` is the exact Hare quota as a decimal string with 4 places, rounded half up
    (``"7.6460"``), so that no float rounding reaches the output.
    """
    return {
        "method": None if result.method is None else result.method.value,
        "seats": result.seats,
        "min_seats": result.min_seats,
        "members_per_seat": result.members_per_seat,
        "shares": [
            {
                "name": share.name,
                "members": share.members,
                "seats": share.seats,
                "quota": decimal_text(share.quota),
            }
            for share in result.shares
        ],
        "ties": list(result.ties),
    }
