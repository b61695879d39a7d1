"""Reading the CSV files people save from spreadsheets: one strict reader for every input file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from consejo.core.errors import InvalidInput


def csv_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for each non-blank line of CSV ``text``.

    Rules (RFC 4180 quoting): a UTF-8 byte order mark is dropped, spaces around fields are
    stripped, blank lines are skipped, and malformed quoting is an error naming its line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    try:
        for row in reader:
            fields = [field.strip() for field in row]
            if any(fields):
                yield reader.line_num, fields
    except csv.Error as error:
        raise InvalidInput(f"line {reader.line_num}: not valid CSV ({error})") from None
