"""A server-rendered page as the tests read it."""

from __future__ import annotations

import html
from typing import Any


def text(response: Any) -> str:
    """The page as text, HTML entities decoded (``D&#x27;Hondt`` reads ``D'Hondt``)."""
    return html.unescape(response.content.decode())
