"""Fixtures of the service tests: the federation with its secret votes' trustees, the secretary
and the members who act, and a secret election whose voting is open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.elections import services
from consejo.elections.models import Election
from tests.builders import (
    SmallFederation,
    build_small_federation,
    make_member,
    make_secretary,
    trustee_logins,
)
from tests.elections.instants import OPENS
from tests.elections.services.calls import call, stand
from tests.elections.services.reads import roster_member


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    """The small federation on the frozen clock, its secret votes' trustees given their logins
    at once (in place of tests/elections/conftest.py's, which gives none)."""
    federation = build_small_federation(actor=operator)
    trustee_logins(actor=operator, body=federation.neighborhood)  # the secret votes' trustees
    return federation


@pytest.fixture
def secretary(operator: Any, fed: SmallFederation) -> Any:
    return make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")


@pytest.fixture
def vecina(operator: Any, fed: SmallFederation) -> Any:
    return make_member(actor=operator, body=fed.neighborhood, username="basilia")


@pytest.fixture
def vecino(operator: Any, fed: SmallFederation) -> Any:
    return make_member(
        actor=operator, body=fed.neighborhood, username="eusebio", name="Eusebio Huanca"
    )


@pytest.fixture
def minero(operator: Any, fed: SmallFederation) -> Any:
    return make_member(actor=operator, body=fed.mine, username="minero", name="Minero Choque")


@pytest.fixture
def running(
    secretary: Any, vecina: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> tuple[Election, list[int]]:
    """A secret Scottish STV election with four candidates standing and one withdrawn; voting."""
    election = call(secretary, fed)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(4)))
    withdrawn = stand(secretary, election, roster_member(fed, 4))[0]
    services.candidate_withdraw(actor=secretary, candidate_id=withdrawn)
    clock(OPENS + timedelta(minutes=5))
    return election, [*keys, withdrawn]
