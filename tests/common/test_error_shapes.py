"""Whatever reaches the server, the answer is a page with a message or the API's one JSON shape
(after Datasette's tests/test_error_shape.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.bodies import services

pytestmark = pytest.mark.django_db


def assert_api_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here", "/api/v1/bodies/a%00b", "/api/v1/ledger/entries?kind=%00"],
)
def test_the_api_answers_odd_addresses_in_its_error_shape(path: str) -> None:
    response = Client().get(path)
    assert response.status_code in {400, 404}
    assert_api_error(response, response.status_code, "invalid" if "%00" in path else "not_found")


def test_a_method_the_api_does_not_allow_is_a_405_in_the_error_shape() -> None:
    assert_api_error(Client().delete("/api/v1/bodies/"), 405, "method_not_allowed")


@pytest.mark.parametrize("path", ["/ledger/?kind=%00", "/bodies/x/?q=%00"])
def test_a_nul_in_a_page_address_is_a_400_page(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_huge_offset_is_not_a_server_error(operator: Any) -> None:
    from consejo.bodies.services import api_token_issue

    services.body_create(actor=operator, name="P", slug="p", kind="workplace")
    token = api_token_issue(user=operator, name="t")
    response = Client().get(
        "/api/v1/bodies/p/members?offset=99999999999999999999",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code in {200, 422}


@pytest.mark.parametrize("slug", ["\u0000", "a\ud800", "x" * 5000])
def test_slugs_that_are_not_slugs_in_api_bodies_are_a_404_not_a_500(
    operator: Any, slug: str
) -> None:
    import json

    from consejo.bodies.services import api_token_issue

    services.body_create(actor=operator, name="C", slug="c", kind="council")
    token = api_token_issue(user=operator, name="t")
    body = json.dumps({"body": slug}, ensure_ascii=True)
    response = Client().post(
        "/api/v1/bodies/c/links",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert_api_error(response, 404, "not_found")
