"""What a voter or a secretary types into the ballot and tally pages, read into the terms of
``ballot_cast`` and ``paper_tally_enter``: candidate keys in order, and ballots with their counts.
Each refuses, with a message for the page, what it cannot read; the services decide the rest.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from consejo.core import elections as rules
from consejo.core.counting.blt import read_blt
from consejo.core.errors import InvalidInput
from consejo.elections.forms import MAX_TALLY_TEXT, TallyTextForm, parse_tally_lines
from consejo.elections.selectors import candidate_labels

PREFERENCE = re.compile(r"[0-9]{1,4}")


def marks_entered(values: list[str]) -> set[int]:
    """The candidates marked on an approval or plurality ballot (keys as the form sent them)."""
    if len(values) > 1000 or not all(re.fullmatch(r"[0-9]{1,18}", v) for v in values):
        raise InvalidInput(_("The ballot holds a mark that is not a candidate."))
    return {int(v) for v in values}


def ranking_entered(entered: dict[int, str]) -> tuple[int, ...]:
    """The order of preference a voter wrote as numbers beside the candidates (1, 2, 3…)."""
    for text in entered.values():
        if text.strip() and not PREFERENCE.fullmatch(text.strip()):
            raise InvalidInput(_("Write whole numbers only: 1, 2, 3…"))
    return rules.ranking_from_numbers(entered)


def marks_tally(counts: dict[int, str]) -> list[tuple[tuple[int, ...], int]]:
    """A paper tally of marks: each candidate's votes as the secretary typed them."""
    rows: list[tuple[tuple[int, ...], int]] = []
    for pk, text in counts.items():
        text = text.strip()
        if not text:
            continue
        if not re.fullmatch(r"[0-9]{1,9}", text):
            raise InvalidInput(_("“%(text)s” is not a number of votes") % {"text": text})
        if int(text):
            # One row per candidate, weighted by their votes: the marks add up the same.
            rows.append(((pk,), int(text)))
    if not rows:
        raise InvalidInput(_("Enter the votes of at least one candidate."))
    return rows


def ranked_tally(form: TallyTextForm, standing: list[Any]) -> list[tuple[tuple[int, ...], int]]:
    """A paper tally of ranked ballots: typed lines, or an uploaded BLT file."""
    if not form.is_valid():
        raise InvalidInput(_("The tally could not be read."))
    upload = form.cleaned_data.get("blt")
    if upload:
        if upload.size > MAX_TALLY_TEXT:
            raise InvalidInput(_("the file is larger than 2 MB"))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInput(_("the file is not UTF-8 text")) from error
        return blt_tally(text, standing)
    text = form.cleaned_data.get("lines") or ""
    if len(text) > MAX_TALLY_TEXT:
        raise InvalidInput(_("the tally is too long"))
    pairs = parse_tally_lines(text, len(standing))
    return [(tuple(standing[i].pk for i in order), n) for order, n in pairs]


def blt_tally(text: str, standing: list[Any]) -> list[tuple[tuple[int, ...], int]]:
    """A BLT file's ballots, its candidates matched by name to those standing here."""
    parsed = read_blt(text)
    by_label = dict(zip(candidate_labels(standing), standing, strict=True))
    keys = []
    for name in parsed.candidates:
        if name not in by_label:
            raise InvalidInput(
                _("the file names “%(name)s”, who does not stand here") % {"name": name[:80]}
            )
        keys.append(by_label[name].pk)
    rows = []
    for ranking, weight in parsed.ballots:
        order = tuple(keys[i] for i in ranking if i not in parsed.withdrawn)
        if order and weight:
            rows.append((order, weight))
    return rows
