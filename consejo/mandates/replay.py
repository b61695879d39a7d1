"""What the audit covers of mandates, and how their ledger kinds rebuild the rows
(consejo.ledger.audit; docs/ledger.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consejo.ledger.audit import State, Table, register
from consejo.ledger.kinds import Kind

MANDATE = "mandates.Mandate"

TABLES = (
    Table(
        MANDATE,
        fields=(
            "member",
            "constituency",
            "council",
            "office",
            "role",
            "rank",
            "derives_from",
            "origin",
            "provisional",
            "start",
            "end",
            "end_reason",
            "ended_by",
        ),
    ),
)


def mandate_started(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        MANDATE,
        p["mandate"],
        {
            "member": p["member"],
            "constituency": state.named("bodies.Body", p["constituency"]),
            "council": state.named("bodies.Body", p["council"]),
            "office": p.get("office", ""),
            "role": p["role"],
            "rank": p["rank"],
            "derives_from": p.get("derives_from"),
            "origin": p["origin"],
            "provisional": p.get("provisional", False),
            "start": p["start"],
            "end": None,
            "end_reason": "",
            "ended_by": "",
        },
    )


def mandate_ended(state: State, p: Mapping[str, Any]) -> None:
    state.patch(MANDATE, p["mandate"], end=p["end"], end_reason=p["reason"], ended_by=p["ended_by"])


def mandate_reranked(state: State, p: Mapping[str, Any]) -> None:
    state.patch(MANDATE, p["mandate"], rank=p["rank"])


def mandate_rebased(state: State, p: Mapping[str, Any]) -> None:
    state.patch(MANDATE, p["mandate"], derives_from=p["derives_from"])


def register_replay() -> None:
    """Register this app's table and replayers with the audit (from ``MandatesConfig.ready``)."""
    register(
        tables=TABLES,
        replayers={
            Kind.MANDATE_STARTED: mandate_started,
            Kind.MANDATE_ENDED: mandate_ended,
            Kind.MANDATE_RERANKED: mandate_reranked,
            Kind.MANDATE_REBASED: mandate_rebased,
        },
    )
