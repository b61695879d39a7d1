"""How the elections API tests speak to /api/v1/: requests in English with a bearer token, the
rows any write would add, a member's id, an election's payload, and the trustees' ceremony, the
close and the decryptions, and every voter voting, all through the API."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

from django.test import Client

from consejo.bodies.models import Membership
from consejo.bodies.services import api_token_issue
from consejo.core.sealed import files, steps
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.mandates.models import Mandate
from tests.api.api_helpers import bearer
from tests.builders import RunningElection, SmallFederation, trustee_logins, trustee_members

API = "/api/v1"


#: The messages are asserted in English, the source language (Spanish is the default).
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def post(client: Client, path: str, payload: object, token: str | None = None) -> Any:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    headers = (bearer(token) if token else {}) | ENGLISH
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def get(client: Client, path: str, token: str | None = None) -> Any:
    return client.get(f"{API}{path}", **(bearer(token) if token else {}), **ENGLISH)


def token_for(user: Any) -> str:
    return api_token_issue(user=user, name="phone")


def writes() -> tuple[int, ...]:
    return (
        Election.objects.count(),
        Candidate.objects.count(),
        Voter.objects.count(),
        Ballot.objects.count(),
        Mandate.objects.count(),
        LedgerEntry.objects.count(),
    )


def member_id(federation: SmallFederation, name: str) -> int:
    return Membership.objects.get(body=federation.neighborhood, member__name=name).member_id


def api_ceremony(client: Client, reference: str, logins: dict[int, Any]) -> dict[int, bytes]:
    """The key ceremony through the API: each trustee reads the box's file and brings each step
    with their own token, as ``consejo trustee`` and an upload would."""
    seeds = {i: os.urandom(32) for i in logins}
    for step in ("commit", "shares", "confirm"):
        for i, login in sorted(logins.items()):
            view = files.read_box(get(client, f"/boxes/{reference}").json())
            made = getattr(steps, f"step_{step}")(view, i, seeds[i])
            response = post(client, f"/boxes/{reference}/steps", made, token_for(login))
            assert response.status_code == 200, response.content
    return seeds


def api_decrypt(
    client: Client, reference: str, logins: dict[int, Any], seeds: dict[int, bytes], k: int
) -> None:
    for i in sorted(logins)[:k]:
        view = files.read_box(get(client, f"/boxes/{reference}").json())
        response = post(
            client,
            f"/boxes/{reference}/steps",
            steps.step_decrypt(view, i, seeds[i]),
            token_for(logins[i]),
        )
        assert response.status_code == 200, response.content
        assert response.json()["valid"] is True


def api_close_and_decrypt(client: Client, running: RunningElection) -> None:
    """Close the box (the secretary) and have the first k trustees decrypt, through the API."""
    closed = post(
        client, f"/elections/{running.election.pk}/close", {}, token_for(running.secretary)
    )
    assert closed.status_code == 200, closed.content
    box = running.box
    assert closed.json()["box"] == box.reference
    api_decrypt(client, box.reference, running.trustees, running.seeds, box.threshold)


def election_payload(federation: SmallFederation, start: Any, **changes: object) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "body": federation.neighborhood.slug,
        "council": federation.council.slug,
        "title": "Delegados de Senkata",
        "method": "scottish-stv",
        "mode": "secret",
        "opens_at": (start + timedelta(hours=1)).isoformat(),
        "closes_at": (start + timedelta(days=1)).isoformat(),
    }
    payload |= changes
    if payload["mode"] == "secret" and "trustees" not in payload:
        from django.contrib.auth import get_user_model

        operator = get_user_model().objects.filter(is_superuser=True).first()
        logins = trustee_logins(actor=operator, body=federation.neighborhood)
        payload["trustees"] = [m.pk for m in trustee_members(logins)]
    return payload


def vote_all(client: Client, run: RunningElection) -> None:
    ids = [c.pk for c in run.candidates]
    for i, user in enumerate(run.voters.values()):
        choices = ids[i % 3 :][:3]
        response = post(
            client,
            f"/elections/{run.election.pk}/ballots",
            {"candidates": choices},
            token_for(user),
        )
        assert response.status_code == 201, response.content
