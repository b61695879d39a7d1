"""Ending mandates along the graph and reseating a delegation, written to the database and the
ledger (consejo.mandates.services.mandates_end, delegation_reseat; consejo.core.mandates has
the rules, tests/core/test_mandates_* their properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from consejo.core.mandates import Reason
from consejo.ledger.audit import audit
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.ledger.services import service_instant
from consejo.mandates.models import Mandate
from consejo.mandates.services import delegation_reseat, mandates_end
from tests.builders import SmallFederation
from tests.mandates.elect import member, paper_election

pytestmark = pytest.mark.django_db


@pytest.fixture
def fed(
    operator: Any, federation: SmallFederation, clock: Callable[[datetime | timedelta], datetime]
) -> SmallFederation:
    names = federation.neighborhood_names
    paper_election(
        operator,
        body=federation.neighborhood,
        council=federation.council,
        standing=[member(n) for n in names[:6]],
        votes=[60, 50, 40, 30, 20, 10],
        substitutes=2,
    )
    clock(timedelta(hours=1))
    return federation


def sitting(fed: SmallFederation) -> list[tuple[str, str, int]]:
    return list(
        Mandate.objects.filter(constituency=fed.neighborhood, end__isnull=True)
        .order_by("role", "rank")
        .values_list("member__name", "role", "rank")
    )


def test_an_ended_delegate_seat_goes_to_the_first_substitute(fed: SmallFederation) -> None:
    names = fed.neighborhood_names
    second = Mandate.objects.get(member__name=names[1], end__isnull=True)
    with transaction.atomic(durable=True):
        at = service_instant(None)
        started = mandates_end(
            mandate_ids=[second.pk], reason=Reason.LEFT, ended_by="", at=at, by=None
        )
    assert [(m.member.name, m.role, m.rank) for m in started] == [(names[4], "delegate", 5)]
    assert sitting(fed) == [
        (names[0], "delegate", 1),
        (names[2], "delegate", 3),
        (names[3], "delegate", 4),
        (names[4], "delegate", 5),
        (names[5], "substitute", 1),
    ]
    second.refresh_from_db()
    assert (second.end, second.end_reason) == (at, "left")
    seated = json_of(LedgerEntry.objects.filter(kind="mandate.started").last())
    assert seated["replaces"] == Mandate.objects.get(member__name=names[4], role="substitute").pk
    assert ledger_verify().ok
    assert audit().ok


def test_lowered_seats_make_the_last_delegate_the_first_substitute(
    fed: SmallFederation,
) -> None:
    names = fed.neighborhood_names
    with transaction.atomic(durable=True):
        at = service_instant(None)
        delegation_reseat(
            constituency_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            seats=3,
            origin="apportionment:1",
            at=at,
            by=None,
        )
    assert sitting(fed) == [
        (names[0], "delegate", 1),
        (names[1], "delegate", 2),
        (names[2], "delegate", 3),
        (names[3], "substitute", 1),
        (names[4], "substitute", 2),
        (names[5], "substitute", 3),
    ]
    reranked = [json_of(e) for e in LedgerEntry.objects.filter(kind="mandate.reranked")]
    assert [(e["rank"], e["previous"]) for e in reranked] == [(2, 1), (3, 2)]
    assert audit().ok


def test_raised_seats_seat_the_substitutes_in_order(fed: SmallFederation) -> None:
    names = fed.neighborhood_names
    with transaction.atomic(durable=True):
        delegation_reseat(
            constituency_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            seats=5,
            origin="apportionment:1",
            at=service_instant(None),
            by=None,
        )
    assert sitting(fed)[4] == (names[4], "delegate", 5)
    assert sitting(fed)[5] == (names[5], "substitute", 1)
    assert audit().ok


@pytest.mark.django_db(transaction=True)
def test_mandates_change_only_inside_a_services_transaction() -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        mandates_end(
            mandate_ids=[1], reason=Reason.LEFT, ended_by="", at=datetime.now(tz=UTC), by=None
        )


def json_of(entry: Any) -> dict[str, Any]:
    import json

    return dict(json.loads(entry.payload))
