"""API for the ledger: its head, its entries, and verification."""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from consejo.api.auth import reader_of
from consejo.api.schemas import AddressNumber, AddressText, errors
from consejo.bodies.authority import may_see_rosters
from consejo.ledger.selectors import ledger_entry_list, ledger_head_get, ledger_verify_for

router = Router(tags=["ledger"])


class HeadOut(Schema):
    entries: int
    head: str


class EntryOut(Schema):
    seq: int
    kind: str
    at: str
    payload: str | None  # for members only: payloads say who belongs where
    prev: str
    hash: str


class VerdictOut(Schema):
    ok: bool
    entries: int
    head: str
    failed_seq: int | None
    reason: str


@router.get(
    "/head", response={200: HeadOut, **errors()}, summary="The number of entries and the head hash"
)
def head(request: HttpRequest) -> HeadOut:
    seq, digest = ledger_head_get()
    return HeadOut(entries=seq, head=digest)


@router.get(
    "/entries",
    response={200: list[EntryOut], **errors()},
    summary="The newest entries, newest first (payloads for members, with a token or a session)",
)
def entries(
    request: HttpRequest,
    kind: AddressText = "",
    limit: Annotated[AddressNumber, Query(50, ge=1, le=500)] = 50,
) -> list[EntryOut]:
    members_only = may_see_rosters(reader_of(request), timezone.now())
    return [
        EntryOut(
            seq=e.seq,
            kind=e.kind,
            at=e.at,
            payload=e.payload if members_only else None,
            prev=e.prev,
            hash=e.hash,
        )
        for e in ledger_entry_list(kind=kind or None, limit=limit)
    ]


@router.get("/verify", response={200: VerdictOut, **errors()}, summary="Verify the whole chain now")
def verify(request: HttpRequest) -> VerdictOut:
    v = ledger_verify_for(request.user)
    return VerdictOut(
        ok=v.ok, entries=v.entries, head=v.head, failed_seq=v.failed_seq, reason=v.reason
    )
