"""Logins given to members through the services (consejo.bodies.services.logins): once, with a
code that never reaches the ledger, a weak password refused, and no login given to take over the
secretary of another body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from consejo.bodies import services
from consejo.bodies.models import Body
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from tests.bodies.services.helpers import at, secretary_of
from tests.builders import appoint_secretary, grant_login

pytestmark = pytest.mark.django_db


def test_a_login_is_granted_once_with_a_code_that_never_reaches_the_ledger(
    operator: Any, plant: Body
) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    issued = services.member_login_grant(
        actor=operator, member_id=membership.member.pk, username="juana"
    )
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "login.granted"
    assert issued.code not in entry.payload
    assert "juana" not in entry.payload
    assert json.loads(entry.payload)["member"] == membership.member_id
    assert not issued.user.has_usable_password()
    with pytest.raises(Conflict, match="already has a login"):
        services.member_login_grant(
            actor=operator, member_id=membership.member.pk, username="juana2"
        )


def test_a_weak_password_is_refused_with_the_validators_message(operator: Any, plant: Body) -> None:
    membership = services.member_add(
        actor=operator, body_id=plant.pk, name="J", sector="worker", at=at(2)
    )
    with pytest.raises(InvalidInput, match=r"too short"):
        grant_login(actor=operator, member=membership.member, username="juana", password="1234")


def test_a_secretary_cannot_take_over_another_bodys_secretary_by_giving_them_a_login(
    operator: Any, city: Body, plant: Body
) -> None:
    # The city council's secretary has no login yet. She also belongs to the plant (people belong
    # to several bodies; an operator joined the two), and the plant's secretary tries to give her
    # a login whose password he would know: refused, it is the key to the city council.
    plant_secretary = secretary_of(plant, operator, "sec-senkata", at(2))
    city_secretary = appoint_secretary(
        actor=operator,
        membership=services.member_add(
            actor=operator, body_id=city.pk, name="Sec City", sector="resident", at=at(2)
        ),
        at=at(2),
    ).member
    services.membership_start(
        actor=operator, member_id=city_secretary.pk, body_id=plant.pk, sector="worker", at=at(3)
    )
    with pytest.raises(PermissionDenied):
        grant_login(
            actor=plant_secretary,
            member=city_secretary,
            username="takeover",
            password="wawa-llajta-2005",
            at=at(4),
        )
    # The city's own secretary... has no login; an operator can give it.
    grant_login(
        actor=operator,
        member=city_secretary,
        username="sec-city",
        password="wawa-llajta-2005",
        at=at(5),
    )
