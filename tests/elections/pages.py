"""How the election page tests ask for pages (in English: ``Accept-Language: en``) and read
them, and the elections and ballots they start from: an election called in its nominations phase,
a member of the neighbourhood's roster, a ranking as the ballot form takes it, and every voter of a
running election voting."""

from __future__ import annotations

import html
from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consejo.bodies.models import Membership
from consejo.elections import services
from consejo.elections.models import Election
from consejo.elections.selectors import standing_candidates
from tests.builders import (
    RunningElection,
    SmallFederation,
    key_ceremony,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)


def en_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _called(
    operator: Any,
    federation: SmallFederation,
    time_machine: Any,
    *,
    method: str = "scottish-stv",
    mode: str = "secret",
    seats: int | None = None,
) -> tuple[Election, Any, Any]:
    """An election in its nominations phase; returns it, its secretary and a member's login."""
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    member = make_member(actor=operator, body=federation.neighborhood)
    logins = trustee_logins(actor=operator, body=federation.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=federation.neighborhood.pk,
        council_id=federation.council.pk,
        title="Delegados de Senkata",
        method=method,
        mode=mode,
        opens_at=now - timedelta(minutes=1) if mode == "paper" else now + timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        trustee_ids=[m.pk for m in trustee_members(logins)] if mode == "secret" else (),
    )
    if mode == "secret":
        key_ceremony(election, logins)
    return election, secretary, member


def _vecina(federation: SmallFederation, n: int) -> Any:
    return (
        Membership.objects.select_related("member")
        .get(body=federation.neighborhood, member__name=federation.neighborhood_names[n - 1])
        .member
    )


def _ranks(run: RunningElection, numbers: list[str]) -> dict[str, str]:
    standing = standing_candidates(run.election)
    return {f"rank-{c.pk}": n for c, n in zip(standing, numbers, strict=False)}


def sealed_page(response: Any) -> bool:
    """The confirmation of a secret ballot: the page that shows its tracker."""
    return response.status_code == 200 and "Your ballot is sealed" in text(response)


def _vote_all(run: RunningElection) -> None:
    orders = [["1", "2"], ["2", "1"], ["1", "", "2"], ["", "1", "", "2"], ["", "", "1"], ["1"]]
    for (_name, user), numbers in zip(run.voters.items(), orders, strict=True):
        response = en_client(user).post(
            reverse("ballot", args=[run.election.pk]), _ranks(run, numbers)
        )
        assert sealed_page(response)
