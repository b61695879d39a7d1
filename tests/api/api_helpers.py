"""What the tests of the REST API under /api/v1/ share: its root, a token's header, the one error
shape, and the small federation of tests.builders as the fixture ``federation``.

There is no conftest in tests/api/ (it holds the packages of other apps): a module that uses the
fixture imports ``federation_fixture``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import SmallFederation, build_small_federation

API = "/api/v1"


@pytest.fixture(name="federation")
def federation_fixture(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: ``{"error": {"code": ..., "message": ...}}`` and nothing else."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert "Traceback" not in body["error"]["message"]
    return body["error"]
