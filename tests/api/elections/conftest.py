"""Fixtures of the elections API tests: the federation with its secret votes' trustees, a
secret election with its voting open, and an election just called through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.elections.models import Election
from tests.api.elections.api import election_payload, post, token_for
from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    build_small_federation,
    make_secretary,
    trustee_logins,
)


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    built = build_small_federation(actor=operator)
    trustee_logins(actor=operator, body=built.neighborhood)  # the secret votes' trustees
    return built


@pytest.fixture
def running(operator: Any, federation: SmallFederation, time_machine: Any) -> RunningElection:
    """A secret Scottish STV election in Senkata, 4 candidates standing, voting open."""
    return build_running_election(actor=operator, federation=federation, traveller=time_machine)


@pytest.fixture
def calling(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> tuple[Any, Any, Election]:
    """An election in Senkata called by its secretary, nominations open; returns the secretary,
    the instant it was called, and the election."""
    from django.utils import timezone

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood, username="sec")
    response = post(
        client=Client(),
        path="/elections/",
        payload=election_payload(federation, start),
        token=token_for(secretary),
    )
    assert response.status_code == 201, response.content
    return secretary, start, Election.objects.get(pk=response.json()["id"])
