"""Fixtures of the bodies tests: the small federation of tests.builders (a council, a neighborhood
assembly and a mine, with their members), made through the services."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SmallFederation, build_small_federation


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)
