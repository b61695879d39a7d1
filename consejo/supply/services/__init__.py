"""The one write path for supply: items, depots and their stock counts, recipients, their needs
and routes, and allocation plans with their votes.

Each service is one durable transaction: take the ledger lock and fix the instant, read the rows
it acts on by their keys, check authority at that instant, write, append the ledger entry last."""

from __future__ import annotations

from consejo.supply.services._checks import Place
from consejo.supply.services.plans import plan_propose, plan_vote
from consejo.supply.services.recipients import (
    need_register,
    recipient_register,
    recipient_tier_set,
    route_set,
)
from consejo.supply.services.stock import depot_create, item_create, stock_count_record

__all__ = [
    "Place",
    "depot_create",
    "item_create",
    "need_register",
    "plan_propose",
    "plan_vote",
    "recipient_register",
    "recipient_tier_set",
    "route_set",
    "stock_count_record",
]
