"""The instants of the elections that the service and sealed-box tests call: the frozen clock
starts at ``CLOCK_START`` (9 June 2005), voting opens two hours later and closes ten hours after
the start."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import CLOCK_START

T0 = CLOCK_START
OPENS = T0 + timedelta(hours=2)
CLOSES = T0 + timedelta(hours=10)
