"""The bodies of the services tests: the El Alto council, the Senkata plant and the Villa Ingenio
assembly under it, each made through the services; and the services' messages in English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from consejo.bodies import services
from consejo.bodies.models import Body
from tests.bodies.services.helpers import at


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def city(operator: Any) -> Body:
    return services.body_create(
        actor=operator,
        name="El Alto council",
        slug="el-alto",
        kind="council",
        level="city",
        at=at(0),
    )


@pytest.fixture
def plant(operator: Any, city: Body) -> Body:
    return services.body_create(
        actor=operator,
        name="Senkata plant",
        slug="senkata",
        kind="workplace",
        parent_id=city.pk,
        at=at(1),
    )


@pytest.fixture
def assembly(operator: Any, city: Body) -> Body:
    return services.body_create(
        actor=operator,
        name="Villa Ingenio",
        slug="villa-ingenio",
        kind="neighborhood_assembly",
        parent_id=city.pk,
        at=at(1),
    )
