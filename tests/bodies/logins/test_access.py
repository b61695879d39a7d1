"""Logins an operator disables and enables, a member changing her password, and the logins
through the API, grants taking no password (docs/logins.md)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Body, Membership
from consejo.bodies.services import api_token_issue
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from tests.bodies.logins.helpers import API, PASSWORD, REFUSED, last_entry, logged_in
from tests.builders import make_member

pytestmark = pytest.mark.django_db


# --- disabling a login ----------------------------------------------------------------------------


def test_an_operator_disables_a_login_and_its_sessions_and_tokens_stop(
    operator: Any, plant: Body
) -> None:
    member = make_member(actor=operator, body=plant, username="juana", password=PASSWORD)
    session = logged_in(member)
    token = api_token_issue(user=member, name="phone")
    admin = logged_in(operator)
    page = admin.get(f"/members/{member.member.pk}/").content.decode()
    assert "Disable the login" in page
    admin.post(f"/members/{member.member.pk}/login/disable/")
    assert not Client().login(username="juana", password=PASSWORD)
    assert not session.get("/").context["user"].is_authenticated
    api = Client().get(f"{API}/bodies/senkata/members", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 401
    entry = last_entry()
    assert entry.kind == "login.disabled"
    assert json.loads(entry.payload)["user"] == member.pk
    assert "juana" not in entry.payload
    assert "Enable the login" in admin.get(f"/members/{member.member.pk}/").content.decode()
    admin.post(f"/members/{member.member.pk}/login/enable/")
    assert Client().login(username="juana", password=PASSWORD)
    assert last_entry().kind == "login.enabled"


def test_only_an_operator_disables_and_not_their_own_login(
    operator: Any, secretary: Any, plant: Body
) -> None:
    member = make_member(actor=operator, body=plant, username="juana")
    with pytest.raises(PermissionDenied):
        services.login_disable(actor=secretary, user_id=member.pk)
    assert (
        logged_in(secretary).post(f"/members/{member.member.pk}/login/disable/").status_code == 403
    )
    with pytest.raises(Conflict, match="your own login"):
        services.login_disable(actor=operator, user_id=operator.pk)
    services.login_disable(actor=operator, user_id=member.pk)
    with pytest.raises(Conflict, match="already disabled"):
        services.login_disable(actor=operator, user_id=member.pk)


def test_a_disabled_login_cannot_redeem_a_code(operator: Any, worker: Membership) -> None:
    issued = services.member_login_grant(
        actor=operator, member_id=worker.member.pk, username="juana"
    )
    services.login_disable(actor=operator, user_id=issued.user.pk)
    with pytest.raises(InvalidInput, match=REFUSED):
        services.login_code_redeem(username="juana", code=issued.code, password=PASSWORD)


# --- changing one's password ----------------------------------------------------------------------


def test_a_member_changes_their_password_from_the_header_link(operator: Any, plant: Body) -> None:
    member = make_member(actor=operator, body=plant, username="juana", password=PASSWORD)
    other_device = logged_in(member)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="juana", password=PASSWORD)
    assert 'href="/password/"' in client.get("/").content.decode()
    wrong = client.post(
        "/password/",
        {
            "old_password": "nope",
            "new_password1": "new-pass-2005",
            "new_password2": "new-pass-2005",
        },
    )
    assert wrong.status_code == 200
    assert 'class="errorlist' in wrong.content.decode()
    response = client.post(
        "/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "new-pass-2005",
            "new_password2": "new-pass-2005",
        },
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].is_authenticated  # this session stays
    assert not other_device.get("/").context["user"].is_authenticated
    assert Client().login(username="juana", password="new-pass-2005")
    assert not Client().login(username="juana", password=PASSWORD)
    entry = last_entry()
    assert (entry.kind, json.loads(entry.payload)["user"]) == ("login.password_changed", member.pk)


def test_the_password_page_is_in_spanish_and_needs_a_login(operator: Any, plant: Body) -> None:
    assert Client().get("/password/").status_code == 302
    member = make_member(actor=operator, body=plant, username="juana")
    client = Client()
    client.force_login(member)
    page = client.get("/password/").content.decode()
    assert "Cambiar su contraseña" in page
    assert "Contraseña antigua" in page  # Django's own form, in Spanish


def test_guessing_the_old_password_is_rate_limited(operator: Any, plant: Body) -> None:
    member = make_member(actor=operator, body=plant, username="juana")
    client = logged_in(member)
    data = {"old_password": "nope", "new_password1": "x-pass-2005", "new_password2": "x-pass-2005"}
    answers = [client.post("/password/", data).status_code for _ in range(11)]
    assert answers == [200] * 10 + [429]


# --- the API --------------------------------------------------------------------------------------


def post(path: str, token: str, payload: object = None) -> Any:
    return Client().post(
        f"{API}{path}",
        json.dumps(payload) if payload is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_api_grants_resets_prints_cards_and_disables_with_codes(
    operator: Any, secretary: Any, worker: Membership, plant: Body
) -> None:
    token = api_token_issue(user=secretary, name="laptop")
    granted = post(f"/bodies/members/{worker.member_id}/login", token, {"username": "juana"})
    assert granted.status_code == 201, granted.content
    body = granted.json()
    assert (body["member"], body["username"]) == (worker.member_id, "juana")
    assert "password" not in body
    services.login_code_redeem(username="juana", code=body["code"], password=PASSWORD)
    reset = post(f"/bodies/members/{worker.member_id}/login/reset", token)
    assert reset.status_code == 201
    assert reset.json()["code"] != body["code"]
    services.member_add(actor=operator, body_id=plant.pk, name="Ana Quispe", sector="worker")
    cards = post("/bodies/senkata/login-cards", token)
    assert cards.status_code == 201
    assert sorted(c["name"] for c in cards.json()["cards"]) == ["Ana Quispe", "Juana Mamani"]
    refused = post(f"/bodies/members/{worker.member_id}/login/disable", token)
    assert refused.status_code == 403
    admin = api_token_issue(user=operator, name="admin")
    disabled = post(f"/bodies/members/{worker.member_id}/login/disable", admin)
    assert disabled.json() == {"user": body["user"], "active": False}
    assert post(f"/bodies/members/{worker.member_id}/login/enable", admin).json()["active"]


def test_a_grant_through_the_api_takes_no_password(secretary: Any, worker: Membership) -> None:
    token = api_token_issue(user=secretary, name="laptop")
    response = post(
        f"/bodies/members/{worker.member_id}/login",
        token,
        {"username": "juana", "password": "chosen-by-secretary"},
    )
    assert response.status_code == 201
    assert not get_user_model().objects.get(username="juana").has_usable_password()
    assert not Client().login(username="juana", password="chosen-by-secretary")
