"""Bodies and the federation links between them (consejo.bodies.services.bodies): who creates a
body, its fields and reserved short names, and who links a body to a council or unlinks it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consejo.bodies import services
from consejo.bodies.models import Body, Federation
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.bodies.services.helpers import at, last_entry, secretary_of
from tests.builders import appoint_secretary

pytestmark = pytest.mark.django_db


def test_creating_a_body_records_it_in_the_ledger(operator: Any, city: Body) -> None:
    entry = last_entry()
    assert entry.kind == "body.created"
    assert json.loads(entry.payload)["slug"] == "el-alto"
    assert ledger_verify().ok


def test_a_body_created_under_a_council_is_linked_to_it(plant: Body, city: Body) -> None:
    assert Federation.objects.filter(body=plant, parent=city, end__isnull=True).exists()


def test_only_an_operator_creates_a_top_level_body(outsider: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.body_create(actor=outsider, name="X", slug="x", kind="council")
    assert not Body.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_a_taken_short_name_is_a_conflict_and_writes_nothing(operator: Any, city: Body) -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(Conflict, match="taken"):
        services.body_create(actor=operator, name="Other", slug="el-alto", kind="council")
    assert LedgerEntry.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " ", "slug": "ok", "kind": "mine"}, "name is empty"),
        ({"name": "A", "slug": "Not A Slug", "kind": "mine"}, "short name"),
        ({"name": "A", "slug": "a", "kind": "castle"}, "unknown kind"),
        ({"name": "A", "slug": "a", "kind": "mine", "level": "city"}, "only councils"),
    ],
)
def test_bad_body_fields_are_refused_with_a_clear_message(
    operator: Any, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.body_create(actor=operator, **fields)


def test_a_council_secretary_may_create_only_committees_under_the_council(
    operator: Any, city: Body
) -> None:
    secretary = secretary_of(city, operator, "sec-city", at(1))
    with pytest.raises(PermissionDenied):
        services.body_create(
            actor=secretary, name="Packed", slug="packed", kind="mine", parent_id=city.pk, at=at(2)
        )
    committee = services.body_create(
        actor=secretary, name="Supply", slug="supply", kind="committee", parent_id=city.pk, at=at(2)
    )
    assert Federation.objects.filter(body=committee, parent=city).exists()


@pytest.mark.parametrize("slug", ["new", "depots", "recipients", "plans", "items"])
def test_a_short_name_that_a_page_address_uses_is_reserved(operator: Any, slug: str) -> None:
    # /bodies/new/ creates a body; /supply/depots/… would hide a committee called "depots".
    with pytest.raises(InvalidInput, match="reserved"):
        services.body_create(actor=operator, name="X", slug=slug, kind="committee")


def test_a_link_that_would_make_a_council_its_own_delegate_is_refused(
    operator: Any, city: Body
) -> None:
    national = services.body_create(
        actor=operator, name="National assembly", slug="national", kind="council", at=at(1)
    )
    services.federation_link(actor=operator, body_id=city.pk, parent_id=national.pk, at=at(2))
    with pytest.raises(Conflict, match="itself"):
        services.federation_link(actor=operator, body_id=national.pk, parent_id=city.pk, at=at(3))


def test_only_councils_receive_delegates(operator: Any, plant: Body, assembly: Body) -> None:
    with pytest.raises(InvalidInput, match="not a council"):
        services.federation_link(actor=operator, body_id=assembly.pk, parent_id=plant.pk, at=at(2))


def test_a_council_cannot_annex_a_body_without_the_bodys_consent(operator: Any, city: Body) -> None:
    mine = services.body_create(actor=operator, name="Mine", slug="mine", kind="mine", at=at(1))
    city_secretary = secretary_of(city, operator, "sec-city", at(2))
    with pytest.raises(PermissionDenied):
        services.federation_link(actor=city_secretary, body_id=mine.pk, parent_id=city.pk, at=at(3))
    assert not Federation.objects.filter(body=mine).exists()
    # Once she is also the mine's secretary, her one action carries both consents.
    appoint_secretary(
        actor=operator,
        membership=services.membership_start(
            actor=operator,
            member_id=city_secretary.member.pk,
            body_id=mine.pk,
            sector="miner",
            at=at(4),
        ),
        at=at(4),
    )
    link = services.federation_link(
        actor=city_secretary, body_id=mine.pk, parent_id=city.pk, at=at(5)
    )
    assert link.end is None


def test_a_body_may_leave_a_council_by_its_own_secretary(
    operator: Any, city: Body, plant: Body
) -> None:
    plant_secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    link = Federation.objects.get(body=plant, parent=city)
    services.federation_unlink(actor=plant_secretary, link_id=link.pk, at=at(3))
    link.refresh_from_db()
    assert link.end == at(3)
