"""Reading the CSV files people save from spreadsheets: one strict reader for every input file."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator

from consejo.core.errors import InvalidInput, gettext_noop

#: The separators a spreadsheet writes: a comma, or a semicolon where the comma is the decimal
#: mark (Excel in Bolivia, Spain, most of Latin America), or a tab ("Unicode text").
DELIMITERS = (",", ";", "\t")
#: A well-formed UTF-8 sequence of two to four bytes: text that holds one is meant as UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode_text(data: bytes) -> str:
    """The text of a file as a spreadsheet saved it, in whichever encoding that was.

    Rules, in order: a byte order mark decides (UTF-8, UTF-16 LE or BE: Excel's "CSV UTF-8" and
    "Unicode text"); then UTF-8, if the whole file is valid UTF-8; then Windows-1252 (Excel's
    "CSV" on a Spanish Windows; it is Latin-1 with letters in place of the C1 controls), or
    Latin-1 for the five bytes Windows-1252 leaves undefined. A file that is not valid UTF-8 but
    holds UTF-8 sequences (ñ as the two bytes C3 B1) mixes encodings: guessing would turn its
    accented names into nonsense, so it is refused, naming the line of the first bad byte.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[len(codecs.BOM_UTF8) :], "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _UTF8_SEQUENCE.search(data):
            raise InvalidInput.of(
                gettext_noop(
                    "line %(line)d: the file mixes encodings (it is partly UTF-8); save it "
                    "again as 'CSV UTF-8' from the spreadsheet"
                ),
                line=data[: error.start].count(b"\n") + 1,
            ) from None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InvalidInput.of(
            gettext_noop("the file says it is %(encoding)s text but is not (byte %(byte)d)"),
            encoding=encoding.upper(),
            byte=error.start,
        ) from None


def delimiter_of(text: str) -> str:
    """The separator of CSV ``text``: whichever of DELIMITERS its first non-blank line (the
    header) holds most often, a comma on a tie or when it holds none."""
    first = next((line for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first.count)


def csv_lines(text: str, *, delimiter: str = ",") -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line number, fields)`` for each non-blank line of CSV ``text``.

    Rules (RFC 4180 quoting): a UTF-8 byte order mark is dropped, spaces around fields are
    stripped, blank lines are skipped, and malformed quoting is an error naming its line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True, strict=True
    )
    try:
        for row in reader:
            fields = [field.strip() for field in row]
            if any(fields):
                yield reader.line_num, fields
    except csv.Error as error:
        raise InvalidInput.of(
            gettext_noop("line %(line)d: not valid CSV (%(error)s)"),
            line=reader.line_num,
            error=str(error),
        ) from None
