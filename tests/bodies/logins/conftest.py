"""The people of the logins tests: the Senkata plant, a worker without a login and the plant's
secretary; and the services' messages in English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from consejo.bodies import services
from consejo.bodies.models import Body, Membership
from tests.builders import make_secretary


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages in English here (the pages choose by Accept-Language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def plant(operator: Any) -> Body:
    return services.body_create(
        actor=operator, name="Senkata plant", slug="senkata", kind="workplace"
    )


@pytest.fixture
def worker(operator: Any, plant: Body) -> Membership:
    return services.member_add(
        actor=operator, body_id=plant.pk, name="Juana Mamani", sector="worker"
    )


@pytest.fixture
def secretary(operator: Any, plant: Body) -> Any:
    return make_secretary(actor=operator, body=plant, username="sec-senkata")
