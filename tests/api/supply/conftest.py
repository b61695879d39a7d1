"""The supply API tests' scene (tests.builders.build_supply): a supply committee of three, a
control commission with its counter, the gas depot of Senkata, a clinic and the barrio of
Senkata, built by the operator through the services."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SupplyScene, build_supply


@pytest.fixture
def scene(operator: Any) -> SupplyScene:
    return build_supply(actor=operator)
