"""``mandates.0005``: the secretaries of an installation that predates offices by mandate become
office mandates, each recorded in the ledger, and the audit rebuilds them (issue 11, item 3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from consejo.bodies import services
from consejo.bodies.authority import is_secretary
from consejo.bodies.models import Membership
from consejo.ledger.audit import audit
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.models import Mandate
from tests.builders import grant_login
from tests.ledger.test_legacy_secretaries import appoint_the_old_way

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("mandates", "0004_provisional_offices")]


def migrate(targets: list[tuple[str, str]] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_an_old_secretary_holds_the_office_by_mandate_after_the_migration(operator: Any) -> None:
    plant = services.body_create(actor=operator, name="Planta", slug="planta", kind="workplace")
    joined = services.member_add(actor=operator, body_id=plant.pk, name="Basilia", sector="worker")
    user = grant_login(actor=operator, member=joined.member, username="basilia")
    migrate(BEFORE)
    try:
        legacy = appoint_the_old_way(operator, joined)  # what the old service left behind
        entries = LedgerEntry.objects.count()
    finally:
        migrate()
    office = Mandate.objects.get(office="secretary", end__isnull=True)
    assert (office.member_id, office.council_id, office.constituency_id) == (
        legacy.member_id,
        plant.pk,
        plant.pk,
    )
    assert office.provisional
    assert office.origin == f"membership:{legacy.pk}"
    assert LedgerEntry.objects.count() == entries + 1
    assert LedgerEntry.objects.order_by("-seq").first().kind == "mandate.started"
    assert ledger_verify().ok
    assert audit().ok
    assert is_secretary(user, plant, office.start)
    assert Membership.objects.get(pk=legacy.pk).role == "secretary"  # left as recorded
    # Backward: the offices and their entries go, and the chain is whole again.
    migrate(BEFORE)
    try:
        assert LedgerEntry.objects.count() == entries
        assert ledger_verify().ok
    finally:
        migrate()
    assert Mandate.objects.filter(office="secretary").exists()  # made again, going forward
