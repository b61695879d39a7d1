"""Permission-checked fetches: views and the API get bodies and members only through these."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from consejo.bodies.authority import security_log
from consejo.bodies.models import Body, Member
from consejo.core.errors import NotFound, PermissionDenied


def access_body(*, actor: Any, slug: str) -> Body:
    """Any body by its short name; bodies are public (their rosters are not)."""
    body = Body.objects.filter(slug=slug).first()
    if body is None:
        raise NotFound(_("no body called %(slug)s") % {"slug": slug})
    return body


def access_member(*, actor: Any, member_id: int) -> Member:
    """A member's page: for logged-in people only, since a roster in the wrong hands is a list
    of people to arrest."""
    if not getattr(actor, "is_authenticated", False):
        security_log.warning("denied: anonymous tried to see member %s", member_id)
        raise PermissionDenied(_("log in to see members"))
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("no member %(id)s") % {"id": member_id})
    return member
