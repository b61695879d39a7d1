"""What the audit covers of supply (items, depots, stock, recipients, routes, needs, plans and
their votes), and how each of their ledger kinds rebuilds its rows (consejo.ledger.audit;
docs/ledger.md).

A plan's input and output are in the ledger by their digests (``problem_digest``,
``result_digest``): the audit digests the columns again and compares.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consejo.core.ledger import json_digest
from consejo.ledger.audit import Computed, State, Table, decimal_text, register
from consejo.ledger.kinds import Kind

BODY = "bodies.Body"
ITEM = "supply.Item"
DEPOT = "supply.Depot"
COUNT = "supply.StockCount"
RECIPIENT = "supply.Recipient"
ROUTE = "supply.Route"
NEED = "supply.Need"
PLAN = "supply.Plan"
VOTE = "supply.PlanVote"

_PLACE = ("latitude", "longitude")

TABLES = (
    Table(ITEM, fields=("slug", "name", "unit", "created_at")),
    Table(
        DEPOT,
        fields=("slug", "name", "place", "committee", "commission", *_PLACE, "created_at"),
    ),
    Table(COUNT, fields=("depot", "item", "units", "counted_at", "counted_by", "note")),
    Table(
        RECIPIENT,
        fields=(
            "slug",
            "name",
            "kind",
            "body",
            "committee",
            "tier",
            "households",
            *_PLACE,
            "created_at",
        ),
    ),
    Table(
        ROUTE,
        fields=("cost",),
        key=lambda row: f"{row['depot']}/{row['recipient']}",
        reads=("depot", "recipient"),
        not_covered={"id": "a number the database draws; a route is named by its two ends"},
    ),
    Table(NEED, fields=("recipient", "item", "units", "registered_at", "registered_by")),
    Table(
        PLAN,
        fields=(
            "committee",
            "status",
            "proposed_at",
            "proposed_by",
            "problem_digest",
            "result_digest",
            "total_cost",
            "decided_at",
            "ledger_seq",
        ),
        computed={
            "problem": Computed(("problem",), lambda row: json_digest(row["problem"])),
            "result": Computed(("result",), lambda row: json_digest(row["result"])),
        },
    ),
    Table(
        VOTE,
        fields=("choice", "cast_at"),
        key=lambda row: f"{row['plan']}/{row['member']}",
        reads=("plan", "member"),
        not_covered={"id": "a number the database draws; a vote is named by its plan and voter"},
    ),
)


def _member_of(state: State, user: object) -> Any:
    """The member behind login ``user`` (who counted, who registered), or None (an operator)."""
    key = state.names.get(("bodies.Member", f"user/{user}"))
    return None if key is None else int(key)


def _new(state: State, label: str, p: Mapping[str, Any], slug: str, row: dict[str, Any]) -> None:
    if "id" not in p:
        state.problem(f"it does not name its {label} row (written before entries did)")
        return
    state.put(label, p["id"], row | {"slug": slug, "created_at": state.at})
    state.name(label, slug, p["id"])


def item_created(state: State, p: Mapping[str, Any]) -> None:
    _new(state, ITEM, p, p["item"], {"name": p["name"], "unit": p["unit"]})


def depot_created(state: State, p: Mapping[str, Any]) -> None:
    _new(
        state,
        DEPOT,
        p,
        p["depot"],
        {
            "name": p["name"],
            "place": p["place"],
            "committee": state.named(BODY, p["committee"]),
            "commission": state.named(BODY, p["commission"]),
            "latitude": decimal_text(p["latitude"]),
            "longitude": decimal_text(p["longitude"]),
        },
    )


def stock_counted(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        COUNT,
        p["count"],
        {
            "depot": state.named(DEPOT, p["depot"]),
            "item": state.named(ITEM, p["item"]),
            "units": p["units"],
            "counted_at": state.at,
            "counted_by": _member_of(state, p["by"]),
            "note": p["note"],
        },
    )


def recipient_registered(state: State, p: Mapping[str, Any]) -> None:
    _new(
        state,
        RECIPIENT,
        p,
        p["recipient"],
        {
            "name": p["name"],
            "kind": p["kind"],
            "body": state.named(BODY, p["body"]),
            "committee": state.named(BODY, p["committee"]),
            "tier": p["tier"],
            "households": p["households"],
            "latitude": decimal_text(p["latitude"]),
            "longitude": decimal_text(p["longitude"]),
        },
    )


def recipient_tier_changed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(RECIPIENT, state.named(RECIPIENT, p["recipient"]), tier=p["tier"])


def route_set(state: State, p: Mapping[str, Any]) -> None:
    depot, recipient = state.named(DEPOT, p["depot"]), state.named(RECIPIENT, p["recipient"])
    state.put(ROUTE, f"{depot}/{recipient}", {"cost": p["cost"]})


def need_registered(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        NEED,
        p["need"],
        {
            "recipient": state.named(RECIPIENT, p["recipient"]),
            "item": state.named(ITEM, p["item"]),
            "units": p["units"],
            "registered_at": state.at,
            "registered_by": _member_of(state, p["by"]),
        },
    )


def plan_proposed(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        PLAN,
        p["plan"],
        {
            "committee": state.named(BODY, p["committee"]),
            "status": "proposed",
            "proposed_at": state.at,
            "proposed_by": p["by"],
            "problem": p["problem_digest"],
            "result": p["result_digest"],
            "problem_digest": p["problem_digest"],
            "result_digest": p["result_digest"],
            "total_cost": p["total_cost"],
            "decided_at": None,
            "ledger_seq": state.seq,
        },
    )


def plan_voted(state: State, p: Mapping[str, Any]) -> None:
    state.put(VOTE, f"{p['plan']}/{p['member']}", {"choice": p["choice"], "cast_at": state.at})


def plan_approved(state: State, p: Mapping[str, Any]) -> None:
    for other in p["superseded"]:
        state.patch(PLAN, other, status="superseded", decided_at=state.at)
    state.patch(PLAN, p["plan"], status="approved", decided_at=state.at)


def plan_rejected(state: State, p: Mapping[str, Any]) -> None:
    state.patch(PLAN, p["plan"], status="rejected", decided_at=state.at)


def register_replay() -> None:
    """Register this app's tables and replayers with the audit (from ``SupplyConfig.ready``)."""
    register(
        tables=TABLES,
        replayers={
            Kind.ITEM_CREATED: item_created,
            Kind.DEPOT_CREATED: depot_created,
            Kind.STOCK_COUNTED: stock_counted,
            Kind.RECIPIENT_REGISTERED: recipient_registered,
            Kind.RECIPIENT_TIER_CHANGED: recipient_tier_changed,
            Kind.ROUTE_SET: route_set,
            Kind.NEED_REGISTERED: need_registered,
            Kind.PLAN_PROPOSED: plan_proposed,
            Kind.PLAN_VOTED: plan_voted,
            Kind.PLAN_APPROVED: plan_approved,
            Kind.PLAN_REJECTED: plan_rejected,
        },
    )
