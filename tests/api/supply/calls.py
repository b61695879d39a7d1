"""Calling the supply API under /api/v1/supply/ in English, with a bearer token or none; what a
request wrote (to assert that a refusal wrote nothing), and the one error shape a refusal has."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from consejo.bodies.services import api_token_issue
from consejo.ledger.models import LedgerEntry
from consejo.supply.models import Depot, Item, Need, Plan, PlanVote, Recipient, Route, StockCount
from tests.api.api_helpers import assert_error_shape, bearer

API = "/api/v1/supply"

#: The messages are asserted in English, the source language (Spanish is the default).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def token_for(user: Any) -> str:
    return api_token_issue(user=user, name="phone")


def send(client: Client, method: str, path: str, payload: object, token: str | None = None) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    headers = (bearer(token) if token else {}) | ENGLISH
    return getattr(client, method)(f"{API}{path}", body, content_type="application/json", **headers)


def post(client: Client, path: str, payload: object = None, token: str | None = None) -> Any:
    return send(client, "post", path, {} if payload is None else payload, token)


def get(client: Client, path: str, token: str | None = None) -> Any:
    return client.get(f"{API}{path}", **(bearer(token) if token else {}), **ENGLISH)


def writes() -> tuple[int, ...]:
    return (
        Item.objects.count(),
        Depot.objects.count(),
        StockCount.objects.count(),
        Recipient.objects.count(),
        Route.objects.count(),
        Need.objects.count(),
        Plan.objects.count(),
        PlanVote.objects.count(),
        # Issuing a token is ledgered too; what counts here is what the request wrote.
        LedgerEntry.objects.exclude(kind="api_token.issued").count(),
    )


def refused(response: Any, status: int, code: str, says: str = "") -> None:
    error = assert_error_shape(response, status, code)
    assert says in error["message"], error["message"]
