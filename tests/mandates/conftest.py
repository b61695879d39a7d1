from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import translation

from tests.builders import SmallFederation, build_small_federation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def federation(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    """A city council over a neighborhood of 30 and a mine of 12 (tests.builders)."""
    return build_small_federation(actor=operator)
