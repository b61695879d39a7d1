"""Mandates follow what they rest on, written to the database and the ledger: a member who
leaves a body loses the seats it gave her, a body whose seats fall sees its last delegate become
a substitute, a body that leaves a council ends its delegation there
(consejo.mandates.services.mandates_end, through consejo.bodies.dependents; consejo.core.mandates
has the rules, tests/core/test_mandates_* their properties)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from consejo.bodies import services as bodies
from consejo.bodies.models import ApportionmentMethod, Federation, Membership
from consejo.core.mandates import Reason
from consejo.ledger.audit import audit
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.ledger.services import service_instant
from consejo.mandates.models import Mandate
from consejo.mandates.services import mandates_end
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
        started = mandates_end(ends={second.pk: Reason.LEFT}, ended_by="", at=at, by=None)
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


def test_lowered_seats_make_the_last_delegate_the_first_substitute_and_raised_ones_undo_it(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime | timedelta], datetime]
) -> None:
    names = fed.neighborhood_names
    # Hamilton, 4 seats over 30 + 12 members: quotas 2.857 and 1.143, seats 3 and 1.
    bodies.council_seats_configure(
        actor=operator, council_id=fed.council.pk, method=ApportionmentMethod.HAMILTON, seats=4
    )
    assert sitting(fed) == [
        (names[0], "delegate", 1),
        (names[1], "delegate", 2),
        (names[2], "delegate", 3),
        (names[3], "substitute", 1),
        (names[4], "substitute", 2),
        (names[5], "substitute", 3),
    ]
    demoted = Mandate.objects.get(member__name=names[3], role="delegate")
    assert demoted.end_reason == "seats_lowered"
    reranked = [json_of(e) for e in LedgerEntry.objects.filter(kind="mandate.reranked")]
    assert [(e["rank"], e["previous"]) for e in reranked] == [(2, 1), (3, 2)]
    # Five seats again, a day later: the first substitute, who stepped down, sits again.
    clock(timedelta(days=1))
    bodies.council_seats_configure(
        actor=operator, council_id=fed.council.pk, method=ApportionmentMethod.HAMILTON, seats=5
    )
    assert sitting(fed)[3] == (names[3], "delegate", 4)
    assert sitting(fed)[4] == (names[4], "substitute", 1)
    assert ledger_verify().ok
    assert audit().ok


def test_a_delegate_who_leaves_her_body_loses_her_seat_to_the_first_substitute(
    operator: Any, fed: SmallFederation
) -> None:
    names = fed.neighborhood_names
    leaving = Membership.objects.get(member__name=names[0], body=fed.neighborhood)
    bodies.membership_end(actor=operator, membership_id=leaving.pk, reason="se mudó")
    seat = Mandate.objects.get(member__name=names[0], council=fed.council)
    assert (seat.end_reason, seat.ended_by) == ("left", f"membership:{leaving.pk}")
    assert [row for row in sitting(fed) if row[1] == "delegate"] == [
        (names[1], "delegate", 2),
        (names[2], "delegate", 3),
        (names[3], "delegate", 4),
        (names[4], "delegate", 5),
    ]
    assert audit().ok


def test_a_body_that_leaves_the_council_ends_its_delegation_there(
    operator: Any, fed: SmallFederation
) -> None:
    link = Federation.objects.get(body=fed.neighborhood, parent=fed.council, end__isnull=True)
    bodies.federation_unlink(actor=operator, link_id=link.pk)
    assert sitting(fed) == []
    reasons = set(
        Mandate.objects.filter(constituency=fed.neighborhood).values_list("end_reason", flat=True)
    )
    assert reasons == {"unlinked"}
    assert audit().ok


@pytest.mark.django_db(transaction=True)
def test_mandates_change_only_inside_a_services_transaction() -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        mandates_end(ends={1: Reason.LEFT}, ended_by="", at=datetime.now(tz=UTC), by=None)


def json_of(entry: Any) -> dict[str, Any]:
    import json

    return dict(json.loads(entry.payload))
