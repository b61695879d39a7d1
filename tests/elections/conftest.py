"""Fixtures shared by the election tests: the messages in English, the small federation that the
sealed-box tests vote in (on the frozen clock), and the federation and running election of the
page tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import translation

from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    build_small_federation,
)


@pytest.fixture
def english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default. A
    module takes it for all its tests with ``pytest.mark.usefixtures("english")``."""
    with translation.override("en"):
        yield


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    """The small federation, on the frozen clock (tests/elections/services/ has its own, which
    also gives the secret votes' trustees their logins)."""
    return build_small_federation(actor=operator)


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    """The small federation of the page tests, which move the clock themselves."""
    return build_small_federation(actor=operator)


@pytest.fixture
def run(operator: Any, federation: SmallFederation, time_machine: Any) -> RunningElection:
    """A secret Scottish STV election for 4 seats, 4 candidates standing, voting open now."""
    return build_running_election(actor=operator, federation=federation, traveller=time_machine)
