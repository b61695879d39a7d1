"""The rows a bodies service reads after the ledger lock."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consejo.bodies.models import (
    Body,
)
from consejo.common.rows import row_of
from consejo.core.errors import InvalidInput


def _body(body_id: int) -> Body:
    """The body a service acts on, read after the ledger lock."""
    return row_of(Body, body_id, _("no such body"))


def _council(body_id: int) -> Body:
    """The body a service acts on, which must be a council (or a committee)."""
    council = _body(body_id)
    if not council.is_council:
        raise InvalidInput(_("%(body)s is not a council") % {"body": council})
    return council
