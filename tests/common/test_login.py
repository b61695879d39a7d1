"""Logging in: it works without email, and guessing is slowed to a crawl."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_person_logs_in_with_name_and_password_and_out_again(operator: Any) -> None:
    client = Client()
    response = client.post("/login/", {"username": "operator", "password": "operator-pass-1"})
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated
    client.post("/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_a_wrong_password_shows_a_message_not_a_traceback(operator: Any) -> None:
    response = Client().post("/login/", {"username": "operator", "password": "nope"})
    assert response.status_code == 200
    assert b'class="error"' in response.content


def test_after_ten_failures_even_the_right_password_waits(operator: Any) -> None:
    client = Client()
    for _ in range(10):
        client.post("/login/", {"username": "operator", "password": "wrong"})
    response = client.post("/login/", {"username": "operator", "password": "operator-pass-1"})
    assert response.status_code == 429
    assert not response.wsgi_request.user.is_authenticated


def test_the_limit_is_per_login_name_too_so_changing_address_does_not_help(operator: Any) -> None:
    for index in range(10):
        Client(REMOTE_ADDR=f"10.0.0.{index}").post(
            "/login/", {"username": "operator", "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="10.0.1.1").post(
        "/login/", {"username": "OPERATOR", "password": "operator-pass-1"}
    )
    assert response.status_code == 429


def test_a_successful_login_clears_the_count(operator: Any) -> None:
    client = Client()
    for _ in range(9):
        client.post("/login/", {"username": "operator", "password": "wrong"})
    assert (
        client.post("/login/", {"username": "operator", "password": "operator-pass-1"}).status_code
        == 302
    )
    client.post("/logout/")
    for _ in range(9):
        client.post("/login/", {"username": "operator", "password": "wrong"})
    assert (
        client.post("/login/", {"username": "operator", "password": "operator-pass-1"}).status_code
        == 302
    )


def test_the_admins_login_is_rate_limited_too(operator: Any) -> None:
    client = Client()
    for _ in range(10):
        client.post("/admin/login/", {"username": "operator", "password": "wrong"})
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "operator", "password": "operator-pass-1"}
    )
    assert response.status_code == 429
