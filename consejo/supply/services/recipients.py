"""Recipients, their priority tiers, the routes that reach them and their needs."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    require_secretary_or_operator,
)
from consejo.bodies.models import Body
from consejo.common.actors import Actor
from consejo.common.rows import row_created, row_of
from consejo.common.text import clean_text
from consejo.core.allocation.limits import NAME_LENGTH, RECIPIENT_ID_LENGTH
from consejo.core.errors import InvalidInput
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.supply.models import (
    MAX_COST,
    MAX_UNITS,
    Depot,
    Item,
    Need,
    Recipient,
    RecipientKind,
    Route,
)
from consejo.supply.services._checks import (
    Place,
    _check_location,
    _check_tier,
    _check_units,
    _committee,
    _is_whole,
    _location,
    _slug,
)


def recipient_register(
    *,
    actor: Actor,
    committee_id: int,
    body_id: int,
    slug: str,
    name: str,
    kind: str,
    tier: int,
    households: int | None = None,
    location: Place | None = None,
    at: datetime | None = None,
) -> Recipient:
    """Register a recipient served by a supply committee, with its priority ``tier`` (1 is
    highest).

    ``body_id`` is the recipient's own body (the junta of a neighborhood, the workers of a
    hospital): its secretary registers the needs.
    """
    slug = _slug(slug, max_length=RECIPIENT_ID_LENGTH)
    name = clean_text(name, label=_("name"), max_length=NAME_LENGTH, required=True)
    if kind not in RecipientKind.values:
        raise InvalidInput(_("unknown kind of recipient: %(kind)s") % {"kind": kind})
    _check_tier(tier)
    if households is not None and not _is_whole(households, 0, MAX_UNITS):
        raise InvalidInput(_("households must be a whole number from 0"))
    _check_location(location)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        committee = _committee(committee_id)
        body = row_of(Body, body_id, _("no such body"))
        require_secretary_or_operator(actor, committee, at, gettext_noop("register a recipient"))
        recipient = row_created(
            Recipient,
            _("a recipient called %(slug)s exists") % {"slug": slug},
            slug=slug,
            name=name,
            kind=kind,
            body=body,
            committee=committee,
            tier=tier,
            households=households,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            created_at=at,
        )
        ledger_append(
            Kind.RECIPIENT_REGISTERED,
            {
                "recipient": slug,
                "id": recipient.pk,
                "name": name,
                "kind": kind,
                "body": body.slug,
                "committee": committee.slug,
                "tier": tier,
                "households": households,
                **_location(recipient),
                "by": actor_ref(actor),
            },
            at=at,
        )
    return recipient


def recipient_tier_set(
    *, actor: Actor, recipient_id: int, tier: int, at: datetime | None = None
) -> Recipient:
    """Change a recipient's priority tier (its committee's secretary)."""
    _check_tier(tier)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        recipient = row_of(
            Recipient.objects.select_related("committee"), recipient_id, _("no such recipient")
        )
        require_secretary_or_operator(
            actor, recipient.committee, at, gettext_noop("set a recipient's priority")
        )
        recipient.tier = tier
        recipient.save(update_fields=["tier"])
        ledger_append(
            Kind.RECIPIENT_TIER_CHANGED,
            {"recipient": recipient.slug, "tier": tier, "by": actor_ref(actor)},
            at=at,
        )
    return recipient


def route_set(
    *, actor: Actor, depot_id: int, recipient_id: int, cost: int, at: datetime | None = None
) -> Route:
    """Say that a depot reaches a recipient, at ``cost`` per unit (or change the cost)."""
    if not _is_whole(cost, 0, MAX_COST):
        raise InvalidInput(_("a cost is a whole number from 0 to %(max)d") % {"max": MAX_COST})
    with transaction.atomic(durable=True):
        at = service_instant(at)
        depot = row_of(Depot.objects.select_related("committee"), depot_id, _("no such depot"))
        recipient = row_of(Recipient.objects.all(), recipient_id, _("no such recipient"))
        # Authority first: a refusal must not tell a stranger which committee serves whom.
        require_secretary_or_operator(actor, depot.committee, at, gettext_noop("set a route"))
        if recipient.committee_id != depot.committee_id:
            raise InvalidInput(
                _("%(depot)s and %(recipient)s are served by different committees")
                % {"depot": depot, "recipient": recipient}
            )
        route, _created = Route.objects.update_or_create(
            depot=depot, recipient=recipient, defaults={"cost": cost}
        )
        ledger_append(
            Kind.ROUTE_SET,
            {
                "depot": depot.slug,
                "recipient": recipient.slug,
                "cost": cost,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return route


def need_register(
    *, actor: Actor, recipient_id: int, item_id: int, units: int, at: datetime | None = None
) -> Need:
    """Register how many units of ``item`` a recipient needs: its own body's secretary.

    The newest registration is the need (0 when it has none); older ones stay on record.
    """
    _check_units(units)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        recipient = row_of(
            Recipient.objects.select_related("body"), recipient_id, _("no such recipient")
        )
        item = row_of(Item.objects.all(), item_id, _("no such item"))
        require_secretary_or_operator(
            actor, recipient.body, at, gettext_noop("register a recipient's needs")
        )
        need = Need.objects.create(
            recipient=recipient,
            item=item,
            units=units,
            registered_at=at,
            registered_by=actor_member(actor),
        )
        ledger_append(
            Kind.NEED_REGISTERED,
            {
                "need": need.pk,
                "recipient": recipient.slug,
                "item": item.slug,
                "units": units,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return need
