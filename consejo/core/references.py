"""References from one app's records to another's, as text: ``<kind>:<number>``.

An app lower in the order (docs/architecture.md) cannot hold a foreign key to a table above it
without depending on it: a sealed box does not know elections, a mandate does not know the
elections, recalls or meetings that create and end mandates. So the lower record names its
origin as a reference (``election:12``, later ``recall:3``), which the app above writes and
reads; the lower app stores it, indexes it and never interprets it. One format for every such
reference, so that a reader of the ledger or of the tables recognises them all alike.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: The longest reference: a kind of at most 30 characters, a colon, at most 18 digits.
MAX_REFERENCE = 49

_KIND = re.compile(r"[a-z][a-z_.]{0,29}")
_REFERENCE = re.compile(r"([a-z][a-z_.]{0,29}):([1-9][0-9]{0,17})")


class Reference(NamedTuple):
    """What a reference points at: the kind of record and its number."""

    kind: str
    number: int


def reference(kind: str, number: int) -> str:
    """The reference to record ``number`` of ``kind``: ``election:12``.

    Rule: a kind is lower-case ASCII letters, ``_`` and ``.`` (1 to 30, starting with a letter);
    a number is positive and at most 18 digits, so that every reference fits MAX_REFERENCE and
    reads back as itself (:func:`parse_reference`).
    """
    if not _KIND.fullmatch(kind):
        raise ValueError(f"not a kind of reference: {kind!r}")
    if not 1 <= number < 10**18:
        raise ValueError(f"not the number of a record: {number}")
    return f"{kind}:{number}"


def parse_reference(text: str) -> Reference | None:
    """The kind and number ``text`` refers to, or None if it is not a reference (empty, or not
    written by :func:`reference`: leading zeros, other characters, too long)."""
    match = _REFERENCE.fullmatch(text)
    if match is None:
        return None
    return Reference(match.group(1), int(match.group(2)))


def number_of(text: str, kind: str) -> int | None:
    """The number of the record of ``kind`` that ``text`` refers to; None for an empty text, a
    reference to another kind, or anything that is not a reference."""
    found = parse_reference(text)
    return found.number if found is not None and found.kind == kind else None
