"""Public lookups for supply: views and the API get supply committees, items, depots, recipients
and plans only through these (``lookup_*``: no actor, the only refusal is "not found").

The figures of a distribution are public, like bodies: what a depot holds, what a clinic needs,
what a plan gives whom. Who may act is decided by the services at the instant of the action; who
may see *names* (who counted, who registered, who voted) by ``bodies.authority.may_see_roster``.
Anything that is not a short name (a NUL, a lone surrogate, 10 KB of text) matches nothing and is
not sent to the database at all.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from consejo.bodies.access import lookup_body
from consejo.bodies.models import Body, BodyKind
from consejo.core.errors import NotFound
from consejo.core.slugs import is_slug
from consejo.supply.models import Depot, Item, Plan, Recipient


def _shown(slug: str) -> str:
    """``slug`` as an error message may quote it: bounded, and valid text."""
    return slug[:80].encode("utf-8", "replace").decode()


def lookup_supply_committee(*, slug: str) -> Body:
    """A committee (``kind`` committee) by its short name; any other body is "not found" here."""
    body = lookup_body(slug=slug)
    if body.kind != BodyKind.COMMITTEE:
        raise NotFound(_("no committee called %(slug)s") % {"slug": _shown(slug)})
    return body


def lookup_item(*, slug: str) -> Item:
    """An item by its short name."""
    item = Item.objects.filter(slug=slug).first() if is_slug(slug, max_length=60) else None
    if item is None:
        raise NotFound(_("no item called %(slug)s") % {"slug": _shown(slug)})
    return item


def lookup_depot(*, slug: str) -> Depot:
    """A depot by its short name, with its supply committee and control commission."""
    found = (
        Depot.objects.select_related("committee", "commission").filter(slug=slug).first()
        if is_slug(slug)
        else None
    )
    if found is None:
        raise NotFound(_("no depot called %(slug)s") % {"slug": _shown(slug)})
    return found


def lookup_recipient(*, slug: str) -> Recipient:
    """A recipient by its short name, with its own body and its supply committee."""
    found = (
        Recipient.objects.select_related("body", "committee").filter(slug=slug).first()
        if is_slug(slug)
        else None
    )
    if found is None:
        raise NotFound(_("no recipient called %(slug)s") % {"slug": _shown(slug)})
    return found


def lookup_plan(*, plan_id: int) -> Plan:
    """An allocation plan by its number, with its committee and who proposed it."""
    plan = (
        Plan.objects.select_related("committee", "proposed_by__member").filter(pk=plan_id).first()
    )
    if plan is None:
        raise NotFound(_("no allocation plan %(id)s") % {"id": plan_id})
    return plan
