"""No tests: those of the REST API that were here are in test_api_members.py and test_api_reads.py.

Their helpers are in tests/api/api_helpers.py; this module keeps the two names that
test_api_writes.py, test_elections_api.py and test_supply_api.py import from here, until they
import them from there.
"""

from __future__ import annotations

from tests.api.api_helpers import assert_error_shape, bearer

__all__ = ["assert_error_shape", "bearer"]
