"""A provisional secretary appointed before offices were mandates: an old installation's ledger
holds ``secretary.appointed`` entries and its tables the provisional secretary memberships they
made. The demo has none any more (issue 11: offices are mandates), so this test writes one as the
old service did, then checks that such a row is still audited like any other:
the audit agrees with it, and names an edit of its ``provisional`` column (the column
tests/ledger/test_audit.py cannot edit in the demo)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from consejo.bodies import services
from consejo.bodies.models import Membership
from consejo.core.ledger import format_instant
from consejo.ledger.audit import audit, ledger_replay
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from tests.ledger.mutations import edit_is_named

pytestmark = pytest.mark.django_db


def appoint_the_old_way(operator: Any, membership: Membership) -> Membership:
    """What ``bodies.services.secretary_appoint_provisional`` did until offices were mandates:
    end the membership, start a provisional secretary's membership, one entry."""
    with transaction.atomic(durable=True):
        at = service_instant(None)
        Membership.objects.filter(pk=membership.pk).update(end=at)
        new = Membership.objects.create(
            member=membership.member,
            body=membership.body,
            sector=membership.sector,
            role="secretary",
            provisional=True,
            start=at,
        )
        ledger_append(
            Kind.SECRETARY_APPOINTED,
            {
                "body": membership.body.slug,
                "member": membership.member_id,
                "ended": membership.pk,
                "membership": new.pk,
                "sector": new.sector,
                "role": "secretary",
                "provisional": True,
                "start": format_instant(at),
                "reason": "el secretario se fue",
                "by": operator.pk,
            },
            at=at,
        )
    return new


def test_an_old_provisional_secretary_membership_is_audited(operator: Any) -> None:
    plant = services.body_create(actor=operator, name="Planta", slug="planta", kind="workplace")
    member = services.member_add(actor=operator, body_id=plant.pk, name="Basilia", sector="worker")
    appoint_the_old_way(operator, member)
    assert audit().ok
    edit_is_named(ledger_replay(), "bodies.Membership", "provisional")
