"""What the supply services wrote, read back: a user's member, the ledger's payloads of a kind, and
every row a service writes (so that a test may assert that a refusal changed none)."""

from __future__ import annotations

import json
from typing import Any

from consejo.bodies.models import Member
from consejo.ledger.models import LedgerEntry
from consejo.supply.models import Depot, Item, Need, Plan, PlanVote, Recipient, Route, StockCount


def member_of(user: Any) -> Member:
    return Member.objects.get(user=user)


def entries(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(payload)
        for payload in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def snapshot() -> tuple[object, ...]:
    """Every row a supply service writes: a refused action changes none of them."""
    return (
        LedgerEntry.objects.count(),
        sorted(Item.objects.values_list("slug", "name", "unit")),
        sorted(Depot.objects.values_list("slug", "committee_id", "commission_id")),
        sorted(StockCount.objects.values_list("id", "units")),
        sorted(Recipient.objects.values_list("slug", "tier", "households")),
        sorted(Route.objects.values_list("depot_id", "recipient_id", "cost")),
        sorted(Need.objects.values_list("id", "units")),
        sorted(Plan.objects.values_list("id", "status", "decided_at")),
        sorted(PlanVote.objects.values_list("plan_id", "member_id", "choice")),
    )
