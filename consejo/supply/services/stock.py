"""Items, depots and their stock counts."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_member,
    actor_ref,
    is_member,
    is_operator,
    office_bodies,
    require,
    require_secretary_or_operator,
)
from consejo.bodies.models import Body, BodyKind
from consejo.common.actors import Actor
from consejo.common.rows import row_created, row_of
from consejo.common.text import clean_text
from consejo.core.allocation.limits import (
    DEPOT_ID_LENGTH,
    ITEM_ID_LENGTH,
    NAME_LENGTH,
    UNIT_LENGTH,
)
from consejo.core.errors import InvalidInput
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.supply.models import (
    Depot,
    Item,
    StockCount,
)
from consejo.supply.services._checks import (
    Place,
    _check_location,
    _check_units,
    _committee,
    _location,
    _slug,
)


def item_create(
    *, actor: Actor, slug: str, name: str, unit: str, at: datetime | None = None
) -> Item:
    """Register an item distributed in whole units (an operator or a committee's secretary)."""
    slug = _slug(slug, max_length=ITEM_ID_LENGTH)
    name = clean_text(name, label=_("name"), max_length=NAME_LENGTH, required=True)
    unit = clean_text(unit, label=_("unit"), max_length=UNIT_LENGTH, required=True)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        require(
            is_operator(actor) or _secretary_of_a_committee(actor, at),
            actor=actor,
            action=gettext_noop("register an item"),
            target=name,
        )
        item = row_created(
            Item,
            _("an item called %(slug)s exists") % {"slug": slug},
            slug=slug,
            name=name,
            unit=unit,
            created_at=at,
        )
        ledger_append(
            Kind.ITEM_CREATED,
            {"item": slug, "id": item.pk, "name": name, "unit": unit, "by": actor_ref(actor)},
            at=at,
        )
    return item


def depot_create(
    *,
    actor: Actor,
    committee_id: int,
    commission_id: int,
    slug: str,
    name: str,
    place: str = "",
    location: Place | None = None,
    at: datetime | None = None,
) -> Depot:
    """Register a depot: the supply committee allocates its stock, the control commission
    counts it."""
    slug = _slug(slug, max_length=DEPOT_ID_LENGTH)
    name = clean_text(name, label=_("name"), max_length=NAME_LENGTH, required=True)
    place = clean_text(place, label=_("place"), max_length=200)
    _check_location(location)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        committee = _committee(committee_id)
        commission = row_of(Body, commission_id, _("no such body"))
        if commission.kind != BodyKind.COMMITTEE:
            raise InvalidInput(_("%(body)s is not a committee") % {"body": commission})
        if commission.pk == committee.pk:
            # Who allocates the stock does not count it: the count checks the allocation.
            raise InvalidInput(
                _("the control commission must be another body than the supply committee")
            )
        require_secretary_or_operator(actor, committee, at, gettext_noop("register a depot"))
        depot = row_created(
            Depot,
            _("a depot called %(slug)s exists") % {"slug": slug},
            slug=slug,
            name=name,
            place=place,
            committee=committee,
            commission=commission,
            latitude=location.latitude if location else None,
            longitude=location.longitude if location else None,
            created_at=at,
        )
        ledger_append(
            Kind.DEPOT_CREATED,
            {
                "depot": slug,
                "id": depot.pk,
                "name": name,
                "place": place,
                "committee": committee.slug,
                "commission": commission.slug,
                **_location(depot),
                "by": actor_ref(actor),
            },
            at=at,
        )
    return depot


def stock_count_record(
    *,
    actor: Actor,
    depot_id: int,
    item_id: int,
    units: int,
    note: str = "",
    at: datetime | None = None,
) -> StockCount:
    """Record a count of ``item`` in a depot: the work of its control commission's members.

    The newest count is the depot's stock; older ones stay, so the record shows every count.
    """
    _check_units(units)
    note = clean_text(note, label=_("note"), max_length=500)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        depot = row_of(Depot.objects.select_related("commission"), depot_id, _("no such depot"))
        item = row_of(Item.objects.all(), item_id, _("no such item"))
        counter = actor_member(actor)
        require(
            is_operator(actor)
            or (counter is not None and is_member(counter, depot.commission, at)),
            actor=actor,
            action=gettext_noop("count the stock of a depot"),
            target=depot,
        )
        count = StockCount.objects.create(
            depot=depot, item=item, units=units, counted_at=at, counted_by=counter, note=note
        )
        ledger_append(
            Kind.STOCK_COUNTED,
            {
                "count": count.pk,
                "depot": depot.slug,
                "item": item.slug,
                "units": units,
                "note": note,
                "by": actor_ref(actor),
            },
            at=at,
        )
    return count


def _secretary_of_a_committee(actor: Actor, at: datetime) -> bool:
    """Whether ``actor`` acts for some committee at ``at`` (``bodies.authority.office_bodies``)."""
    bodies = office_bodies(actor, at)
    return bool(bodies) and Body.objects.filter(pk__in=bodies, kind=BodyKind.COMMITTEE).exists()
