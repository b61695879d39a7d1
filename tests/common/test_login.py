"""Logging in: it works without email, guessing is slowed to a crawl, and a stranger's guesses
cannot lock the real user out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from consejo.common.models import RateCounter
from consejo.site.auth_views import ADDRESS_LIMIT

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


def test_a_stranger_guessing_from_another_address_cannot_lock_the_real_user_out(
    operator: Any,
) -> None:
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        stranger.post("/login/", {"username": "operator", "password": "wrong"})
    assert (
        stranger.post("/login/", {"username": "operator", "password": "wrong"}).status_code == 429
    )
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/login/", {"username": "operator", "password": "operator-pass-1"}
    )
    assert response.status_code == 302


def test_a_guesser_cannot_spread_one_name_over_the_addresses_of_an_ipv6_network(
    operator: Any,
) -> None:
    for index in range(10):
        Client(REMOTE_ADDR=f"2001:db8:5:7::{index + 1:x}").post(
            "/login/", {"username": "operator", "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="2001:db8:5:7::ffff").post(
        "/login/", {"username": "operator", "password": "operator-pass-1"}
    )
    assert response.status_code == 429
    elsewhere = Client(REMOTE_ADDR="2001:db8:5:8::1").post(
        "/login/", {"username": "operator", "password": "operator-pass-1"}
    )
    assert elsewhere.status_code == 302


def test_guessing_many_names_from_one_address_stops_at_the_address_limit(operator: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        client.post("/login/", {"username": f"name{i}", "password": "wrong"}).status_code
        for i in range(ADDRESS_LIMIT + 5)
    ]
    assert answers.count(200) == ADDRESS_LIMIT
    assert answers[ADDRESS_LIMIT:] == [429] * 5


def test_logging_into_ones_own_account_does_not_reset_the_address_count(
    operator: Any, django_user_model: Any
) -> None:
    django_user_model.objects.create_user("attacker", password="attacker-pass-1")
    client = Client(REMOTE_ADDR="203.0.113.9")
    refused = 0
    for guess in range(ADDRESS_LIMIT + 20):
        if guess % 5 == 4:  # now and then, a login into the attacker's own account
            client.post("/login/", {"username": "attacker", "password": "attacker-pass-1"})
            client.post("/logout/")
        answer = client.post("/login/", {"username": f"victim{guess % 25}", "password": "x"})
        refused += answer.status_code == 429
    assert refused >= 20
    assert (
        client.post("/login/", {"username": "attacker", "password": "attacker-pass-1"}).status_code
        == 429
    )


def test_counters_are_rows_in_the_database_and_ended_windows_are_deleted(operator: Any) -> None:
    start = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        Client().post("/login/", {"username": "operator", "password": "wrong"})
        assert RateCounter.objects.filter(scope="login").get().n == 1
        assert not RateCounter.objects.filter(key__contains="operator").exists()
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        Client().post("/login/", {"username": "operator", "password": "wrong"})
        assert RateCounter.objects.count() == 2  # only the new window's rows remain
        assert set(RateCounter.objects.values_list("n", flat=True)) == {1}


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


def test_behind_a_declared_proxy_each_client_is_counted_by_its_own_address(
    operator: Any, settings: Any
) -> None:
    # Behind Caddy or nginx every request comes from 127.0.0.1: counted by that, one guesser's
    # failures would lock out everyone who logs in through the proxy.
    settings.BEHIND_PROXY = True

    def through_proxy(client_address: str, forged: str = "") -> Client:
        chain = f"{forged}, {client_address}" if forged else client_address
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain)

    guesser = through_proxy("203.0.113.9", forged="198.51.100.7")  # a forged first entry
    for i in range(ADDRESS_LIMIT + 1):
        guesser.post("/login/", {"username": f"name{i}", "password": "wrong"})
    assert guesser.post("/login/", {"username": "x", "password": "wrong"}).status_code == 429
    response = through_proxy("198.51.100.7").post(
        "/login/", {"username": "operator", "password": "operator-pass-1"}
    )
    assert response.status_code == 302
