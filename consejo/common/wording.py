"""English texts the core writes into records, shown in the reader's language.

The core is pure and has no catalog: a round's note in a count, or a ledger verdict's reason, is
composed in English and stored or printed as such (the CLI and the API keep it). A page shows it
through a table of known phrasings: each a regular expression whose named groups become the
parameters of a translatable template. A part that matches none is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext

Phrasing = tuple[re.Pattern[str], str]


def phrasing(pattern: str, template: str) -> Phrasing:
    """A known phrasing: ``pattern`` must match a whole part; ``template`` is gettext_noop-ed."""
    return re.compile(pattern + r"\Z", re.DOTALL), template


def translated(text: str, table: Sequence[Phrasing], *, separator: str = "; ") -> str:
    """``text`` in the active language, part by part (parts are split on ``separator``)."""
    if not text:
        return text
    return separator.join(_part(part, table) for part in text.split(separator))


def _part(part: str, table: Sequence[Phrasing]) -> str:
    for pattern, template in table:
        found = pattern.match(part)
        if found:
            params = found.groupdict()
            return gettext(template) % params if params else gettext(template)
    return part
