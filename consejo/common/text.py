"""Text as services store it: trimmed, bounded, and free of characters that hide or break things."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

from consejo.core.errors import InvalidInput

#: Unicode categories no name holds: controls, format characters, separators of lines and
#: paragraphs, private use and unassigned code points.
HIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Co", "Cn"}


def clean_text(
    value: str, *, label: str, max_length: int, required: bool = False, lines: bool = False
) -> str:
    """Trim ``value`` and refuse what no name or place contains: control characters (a NUL
    breaks PostgreSQL), lone surrogates (not text), and more than ``max_length`` characters."""
    value = value.strip()
    if required and not value:
        raise InvalidInput(_("the %(label)s is empty") % {"label": label})
    if len(value) > max_length:
        raise InvalidInput(
            _("the %(label)s is longer than %(n)d characters") % {"label": label, "n": max_length}
        )
    allowed = "\n\r\t" if lines else ""
    # Control and format characters (C0, C1, bidirectional overrides, zero-width joiners,
    # line separators) have no place in a name, and some make one name look like another.
    if any(c not in allowed and unicodedata.category(c) in HIDDEN_CATEGORIES for c in value):
        raise InvalidInput(_("the %(label)s holds control characters") % {"label": label})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InvalidInput(_("the %(label)s is not valid text") % {"label": label}) from error
    return value
