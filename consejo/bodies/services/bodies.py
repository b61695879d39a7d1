"""Bodies and the federation links between them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies import counts
from consejo.bodies.authority import (
    actor_ref,
    current,
    is_operator,
    is_secretary,
    may_create_body,
    require,
)
from consejo.bodies.models import (
    COUNCIL_KINDS,
    Body,
    BodyKind,
    CouncilLevel,
    Federation,
)
from consejo.bodies.services._shared import _body, _council
from consejo.bodies.services.seats import _follow, _reapportion, _reapportion_all
from consejo.common.actors import Actor
from consejo.common.rows import row_created
from consejo.common.text import clean_text
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.federation import creates_cycle
from consejo.core.slugs import is_slug
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant

# /bodies/new/ is the creation page; /supply/<committee>/ sits beside /supply/depots/ and the rest.
RESERVED_SLUGS = {"new", "depots", "recipients", "plans", "items"}


def body_create(
    *,
    actor: Actor,
    name: str,
    slug: str,
    kind: str,
    level: str = "",
    place: str = "",
    description: str = "",
    parent_id: int | None = None,
    at: datetime | None = None,
) -> Body:
    """Create a body; with ``parent_id``, also link it to that council at once.

    Operators create any body; a council's secretary creates only committees of that council
    (``authority.may_create_body``): a new constituent, which takes seats, needs an operator.
    """
    name = clean_text(name, label=_("name"), max_length=200, required=True)
    place = clean_text(place, label=_("place"), max_length=200)
    description = clean_text(description, label=_("description"), max_length=5000, lines=True)
    slug = slug.strip()
    _check_body_fields(slug=slug, kind=kind, level=level)
    with transaction.atomic(durable=True):
        at = service_instant(at)
        parent = None if parent_id is None else _council(parent_id)
        require(
            may_create_body(actor, kind=kind, parent=parent, at=at),
            actor=actor,
            action=gettext_noop("create a body"),
            target=parent if parent is not None else "consejo",
        )
        body = row_created(
            Body,
            _("the short name %(slug)s is taken") % {"slug": slug},
            name=name,
            slug=slug,
            kind=kind,
            level=level,
            place=place,
            description=description,
            created_at=at,
        )
        payload: dict[str, object] = {
            "body": body.pk,
            "slug": slug,
            "name": name,
            "kind": kind,
            "level": level,
            "place": place,
            "description": description,
            "by": actor_ref(actor),
        }
        if parent is not None:
            link = Federation.objects.create(body=body, parent=parent, start=at)
            payload["parent"] = {"link": link.pk, "council": parent.slug}
        ledger_append(Kind.BODY_CREATED, payload, at=at)
        if parent is not None and _reapportion(parent, at=at, actor=actor) is not None:
            _follow(at=at, actor=actor, reapportioned=[parent.pk])
    return body


def federation_link(
    *, actor: Actor, body_id: int, parent_id: int, at: datetime | None = None
) -> Federation:
    """Link a body to a council (``parent_id``): from now on it sends delegates there.

    Both sides consent: an operator, or someone who is the secretary of the council *and* of the
    body (a two-step request and acceptance comes with meetings). A link that would close a cycle
    is refused.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body, parent = _body(body_id), _council(parent_id)
        # Both sides consent: a council cannot annex a body (and its seats), nor a body
        # push its way into a council.
        require(
            is_operator(actor)
            or (is_secretary(actor, parent, at) and is_secretary(actor, body, at)),
            actor=actor,
            action=gettext_noop(
                "link a body unless you are the secretary of both the council and the body"
            ),
            target=parent,
        )
        graph: dict[int, list[int]] = {}
        for child_id, parent_id in Federation.objects.filter(current(at)).values_list(
            "body_id", "parent_id"
        ):
            graph.setdefault(child_id, []).append(parent_id)
        if creates_cycle(graph, body=body.pk, parent=parent.pk):
            raise Conflict(
                _("%(body)s cannot join %(parent)s: the council would send delegates to itself")
                % {"body": body, "parent": parent}
            )
        link = row_created(
            Federation,
            _("%(body)s already sends delegates to %(parent)s") % {"body": body, "parent": parent},
            body=body,
            parent=parent,
            start=at,
        )
        ledger_append(
            Kind.FEDERATION_LINKED,
            {"link": link.pk, "body": body.slug, "council": parent.slug, "by": actor_ref(actor)},
            at=at,
        )
        _links_changed(link, at=at, actor=actor, added=True)
    return link


def federation_unlink(*, actor: Actor, link_id: int, at: datetime | None = None) -> Federation:
    """End a federation link; the council's seats are apportioned again without that body."""
    with transaction.atomic(durable=True):
        at = service_instant(at)
        link = Federation.objects.select_related("body", "parent").filter(pk=link_id).first()
        if link is None:
            raise InvalidInput(_("no such federation link"))
        # Either side may end the link: a council expels, or a body leaves.
        require(
            is_operator(actor)
            or is_secretary(actor, link.parent, at)
            or is_secretary(actor, link.body, at),
            actor=actor,
            action=gettext_noop("unlink a body"),
            target=link.parent,
        )
        if at <= link.start:
            raise InvalidInput(_("a link must end after it starts"))
        if Federation.objects.filter(pk=link.pk, end__isnull=True).update(end=at) != 1:
            raise Conflict(_("this link has already ended"))
        link.end = at
        ledger_append(
            Kind.FEDERATION_UNLINKED,
            {
                "link": link.pk,
                "body": link.body.slug,
                "council": link.parent.slug,
                "by": actor_ref(actor),
            },
            at=at,
        )
        _links_changed(link, at=at, actor=actor, added=False)
    return link


def _check_body_fields(*, slug: str, kind: str, level: str) -> None:
    if slug in RESERVED_SLUGS:
        raise InvalidInput(_("the short name %(slug)s is reserved") % {"slug": slug})
    if not is_slug(slug):
        raise InvalidInput(
            _("the short name must be lowercase letters, digits and dashes, e.g. senkata-plant")
        )
    if kind not in BodyKind.values:
        raise InvalidInput(_("unknown kind of body: %(kind)s") % {"kind": kind})
    if level and level not in CouncilLevel.values:
        raise InvalidInput(_("unknown council level: %(level)s") % {"level": level})
    if level and kind not in COUNCIL_KINDS:
        raise InvalidInput(_("only councils and committees have a level"))


def _links_changed(link: Federation, *, at: datetime, actor: Actor, added: bool) -> None:
    """After ``link`` was added (or ended): adjust the counts of its council and of every council
    above it by the people of the base bodies gained (or lost) beneath them, in bulk (links
    change rarely), then apportion again the council and those above it."""
    counts.links_changed(parent_id=link.parent_id, body_id=link.body_id, added=added)
    councils = [Body.objects.get(pk=link.parent_id), *counts.councils_above(link.parent_id)]
    moved = _reapportion_all([c for c in councils if c.apportionment_method], at=at, actor=actor)
    # A body that leaves a council ends its delegation there; the others follow their seats.
    _follow(
        at=at,
        actor=actor,
        reapportioned=moved,
        unlinked=[] if added else [(link.body_id, link.parent_id)],
    )
