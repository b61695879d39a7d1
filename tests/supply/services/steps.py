"""The steps the supply service tests take on the scene: the instant it was built at (T0), ending or
handing over a membership, registering a kitchen, and proposing the committee's plan."""

from __future__ import annotations

from typing import Any

from consejo.bodies import services as body_services
from consejo.bodies.models import Body, Membership
from consejo.mandates.services import secretary_appoint_provisional
from consejo.supply import services
from consejo.supply.models import Plan, Recipient
from tests.builders import SupplyScene
from tests.conftest import CLOCK_START

T0 = CLOCK_START


def end_membership(operator: Any, user: Any, body: Body) -> None:
    membership = Membership.objects.get(member__user=user, body=body, end__isnull=True)
    body_services.membership_end(actor=operator, membership_id=membership.pk)


def appoint_secretary(operator: Any, user: Any, body: Body) -> None:
    """Give ``body`` another secretary, so that its only one may leave."""
    membership = Membership.objects.get(member__user=user, body=body, end__isnull=True)
    secretary_appoint_provisional(
        actor=operator, membership_id=membership.pk, reason="the secretary is leaving"
    )


def register(actor: Any, scene: SupplyScene, **fields: Any) -> Recipient:
    values: dict[str, Any] = {
        "committee": scene.committee,
        "body": scene.federation.neighborhood,
        "slug": "comedor-senkata",
        "name": "Comedor de Senkata",
        "kind": "kitchen",
        "tier": 2,
    }
    values.update(fields)
    committee, body = values.pop("committee"), values.pop("body")
    return services.recipient_register(
        actor=actor, committee_id=committee.pk, body_id=body.pk, **values
    )


def propose(scene: SupplyScene) -> Plan:
    return services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
