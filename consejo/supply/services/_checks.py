"""What the supply services check before they write: places, short names, units, tiers; and the
supply committee a service acts on."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from consejo.bodies.models import Body, BodyKind
from consejo.common.rows import row_of
from consejo.core.errors import InvalidInput
from consejo.core.slugs import is_slug
from consejo.supply.models import (
    MAX_TIER,
    MAX_UNITS,
    Depot,
    Recipient,
)


@dataclass(frozen=True, slots=True)
class Place:
    """Where something is, for the plan's map (both or neither)."""

    latitude: Decimal
    longitude: Decimal


def _location(row: Depot | Recipient) -> dict[str, object]:
    """A place's coordinates as the ledger records them: decimal text, or null."""
    return {
        "latitude": None if row.latitude is None else str(row.latitude),
        "longitude": None if row.longitude is None else str(row.longitude),
    }


def _committee(body_id: int) -> Body:
    """The supply committee a service acts on, read after the ledger lock."""
    body = row_of(Body, body_id, _("no such body"))
    if body.kind != BodyKind.COMMITTEE:
        raise InvalidInput(_("%(body)s is not a committee") % {"body": body})
    return body


def _slug(slug: str, *, max_length: int) -> str:
    slug = slug.strip()
    if not is_slug(slug, max_length=max_length):
        raise InvalidInput(
            _("the short name must be lowercase letters, digits and dashes, e.g. senkata-plant")
        )
    return slug


def _is_whole(value: object, least: int, most: int) -> bool:
    """Whether ``value`` is an int (not a bool) from ``least`` to ``most``."""
    return isinstance(value, int) and not isinstance(value, bool) and least <= value <= most


def _check_units(units: int) -> None:
    if not _is_whole(units, 0, MAX_UNITS):
        raise InvalidInput(_("units are a whole number from 0 to %(max)d") % {"max": MAX_UNITS})


def _check_tier(tier: int) -> None:
    if not _is_whole(tier, 1, MAX_TIER):
        raise InvalidInput(
            _("a priority tier is a whole number from 1 to %(max)d") % {"max": MAX_TIER}
        )


def _check_location(location: Place | None) -> None:
    if location is None:
        return
    latitude, longitude = Decimal(location.latitude), Decimal(location.longitude)
    if not (
        latitude.is_finite()
        and longitude.is_finite()
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    ):
        raise InvalidInput(_("a latitude is from -90 to 90 and a longitude from -180 to 180"))
