"""The supply service tests' fixtures: the scene they act on, another supply committee, messages in
English and a ledger that must verify after every test.

State is built through the services (tests.builders.build_supply): a supply committee of three
(its secretary ``abasto-1`` and two members), a control commission with one member
(``control``), the gas depot of Senkata, a clinic (tier 1, own body: the mine) and the barrio of
Senkata (tier 2, own body: the neighbourhood, whose secretary is ``junta``). The clock is moved
with ``time_machine``, from 9 June 2005.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import translation

from consejo.bodies import services as body_services
from consejo.bodies.models import Body
from consejo.ledger.selectors import ledger_verify
from tests.builders import SupplyScene, build_supply, make_secretary


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def scene(operator: Any, clock: Callable[[timedelta], datetime]) -> SupplyScene:
    return build_supply(actor=operator)


@pytest.fixture
def other_committee(operator: Any, scene: SupplyScene) -> Body:
    """Another supply committee of the same council, with its own secretary ``otro-sec``."""
    committee = body_services.body_create(
        actor=operator,
        name="Comité de Abastecimiento de Ventilla",
        slug="abastecimiento-ventilla",
        kind="committee",
        parent_id=scene.federation.council.pk,
    )
    make_secretary(actor=operator, body=committee, username="otro-sec", name="Otra Secretaria")
    return committee


@pytest.fixture(autouse=True)
def _ledger_verifies_after_each_test(db: None) -> Iterator[None]:
    yield
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)
