"""Short names (slugs): how a body, a depot, an item or a recipient is named in an address.

One rule for every short name, in the pages, the services and the API's schema: lowercase ASCII
letters and digits, single dashes between them (``planta-senkata``), at most :data:`MAX_SLUG`
characters. Anything else (a capital, an accent, a NUL, a lone surrogate, ten kilobytes) is no
short name: it is refused on writing and matches nothing on reading, before any query.
"""

from __future__ import annotations

import re

#: The longest short name.
MAX_SLUG = 80

#: The rule as a regular expression, also published in the API's schema.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str, *, max_length: int = MAX_SLUG) -> bool:
    """Whether ``text`` is a short name of at most ``max_length`` characters. Callers: the
    services that name things (consejo.bodies.services, consejo.supply.services), the access
    functions that look them up (consejo.bodies.access, consejo.supply.access), the API's schema
    (consejo.api.schemas, by :data:`SLUG_PATTERN`)."""
    return len(text) <= max_length and _SLUG.fullmatch(text) is not None
