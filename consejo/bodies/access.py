"""The fetches views and the API get bodies and members through.

``access_*`` decide whether the actor may see what it asks for (a roster, a member) and refuse
anyone else; ``lookup_*`` fetch public rows (bodies, their links and memberships) by what an
address carries, and refuse only what does not exist. Who may *act* is decided by the services.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from consejo.bodies.authority import current, is_operator, may_see_roster, security_log
from consejo.bodies.models import Body, Federation, Member, Membership
from consejo.common.actors import Actor
from consejo.core.errors import NotFound, PermissionDenied
from consejo.core.slugs import is_slug


def access_roster(*, actor: Actor, body: Body) -> Body:
    """``body``, if ``actor`` may see its members now (``authority.may_see_roster``)."""
    if not may_see_roster(actor, body, timezone.now()):
        who = getattr(actor, "username", "") or "anonymous"
        security_log.warning("denied: %s tried to see the roster of %s", who, body)
        raise PermissionDenied(_("only members may see who the members are"))
    return body


def lookup_body(*, slug: str) -> Body:
    """Any body by its short name; bodies are public (their rosters are not)."""
    # Anything that is not a short name (a NUL, a lone surrogate, 10 KB of text) matches no body,
    # and is not sent to the database at all.
    valid = is_slug(slug)
    body = Body.objects.filter(slug=slug).first() if valid else None
    if body is None:
        raise NotFound(
            _("no body called %(slug)s") % {"slug": slug[:80].encode("utf-8", "replace").decode()}
        )
    return body


def access_member(*, actor: Actor, member_id: int) -> Member:
    """A member's page: for those who may see the roster of a body the member belongs to now
    (``authority.may_see_roster``); an unknown id and a hidden one look the same."""
    at = timezone.now()
    member = Member.objects.filter(pk=member_id).first()
    bodies = (
        Body.objects.filter(memberships__in=Membership.objects.filter(current(at), member=member))
        if member is not None
        else Body.objects.none()
    )
    if member is None or not (
        is_operator(actor) or any(may_see_roster(actor, body, at) for body in bodies)
    ):
        who = getattr(actor, "username", "") or "anonymous"
        security_log.warning("denied: %s tried to see member %s", who, member_id)
        raise NotFound(_("no member %(id)s") % {"id": member_id})
    return member


def lookup_link(*, council: Body, link_id: int) -> Federation:
    """A link into ``council`` by its id; a link into another council is "not found" here."""
    link = Federation.objects.select_related("body", "parent").filter(pk=link_id).first()
    if link is None or link.parent_id != council.pk:
        raise NotFound(_("%(council)s has no link %(id)s") % {"council": council, "id": link_id})
    return link


def lookup_membership(*, body: Body, membership_id: int) -> Membership:
    """A membership of ``body`` by its id; one of another body is "not found" here."""
    membership = Membership.objects.filter(pk=membership_id, body=body).first()
    if membership is None:
        raise NotFound(_("%(body)s has no membership %(id)s") % {"body": body, "id": membership_id})
    return membership
