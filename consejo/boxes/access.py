"""Fetching a box by the reference in an address: public (a box's file and its trackers are
published), so the only refusal is that there is no such box."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consejo.boxes.models import Box
from consejo.core.errors import NotFound


def lookup_box(*, reference: str) -> Box:
    box = Box.objects.filter(reference=str(reference)[:32]).select_related("body").first()
    if box is None:
        raise NotFound(_("no such box"))
    return box
