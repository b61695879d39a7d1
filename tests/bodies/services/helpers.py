"""What the services tests write with: instants from 1 June 2005, rosters of new people, a
secretary with a login, and the ledger's last entry."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from consejo.bodies import services
from consejo.bodies.models import Body
from consejo.bodies.services import RosterRow
from consejo.ledger.models import LedgerEntry
from tests.builders import appoint_secretary, grant_login

T0 = datetime(2005, 6, 1, 9, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def last_entry() -> LedgerEntry:
    return LedgerEntry.objects.order_by("-seq").first()  # type: ignore[return-value]


_people = itertools.count()


def roster(n: int, sector: str = "resident") -> list[RosterRow]:
    """``n`` people, never named like anyone registered before in the test session."""
    return [RosterRow(name=f"Person {next(_people)}", sector=sector) for _ in range(n)]


def secretary_of(body: Body, operator: Any, username: str, at_: datetime) -> Any:
    membership = services.member_add(
        actor=operator,
        body_id=body.pk,
        name=f"Secretary {username}",
        sector="worker",
        at=at_,
    )
    appoint_secretary(actor=operator, membership=membership, at=at_)
    return grant_login(
        actor=operator,
        member=membership.member,
        username=username,
        password="a-long-demo-pass-7",
        at=at_,
    )
