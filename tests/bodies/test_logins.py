"""Logins without a password chosen by someone else: one-time codes (grant, reset, printed cards),
a password change, and logins an operator disables (docs/logins.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone, translation

from consejo.bodies import services
from consejo.bodies.models import Body, Member, Membership
from consejo.bodies.services import api_token_issue
from consejo.common.models import LoginCode
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.builders import make_member, make_secretary

pytestmark = pytest.mark.django_db

API = "/api/v1"
# Unlike any login name a card gives (<body>-<member id>): Django refuses a password too similar.
PASSWORD = "quinua-llama-andes-1781"
REFUSED = "do not match, or the code was used, replaced or has expired"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The services' messages in English here (the pages choose by Accept-Language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def plant(operator: Any) -> Body:
    return services.body_create(
        actor=operator, name="Senkata plant", slug="senkata", kind="workplace"
    )


@pytest.fixture
def worker(operator: Any, plant: Body) -> Membership:
    return services.member_add(
        actor=operator, body_id=plant.pk, name="Juana Mamani", sector="worker"
    )


@pytest.fixture
def secretary(operator: Any, plant: Body) -> Any:
    return make_secretary(actor=operator, body=plant, username="sec-senkata")


def logged_in(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def redeem(client: Client, username: str, code: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/login/code/",
        {"username": username, "code": code, "password1": password, "password2": password},
    )


def last_entry() -> LedgerEntry:
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    return entry


def codes_on(page: str) -> list[str]:
    return re.findall(r'<code class="code">([2-9A-Z]{5}-[2-9A-Z]{5})</code>', page)


# --- a grant gives a code, and the member sets the password -------------------------------------


def test_a_grant_gives_a_one_time_code_and_the_ledger_carries_ids_only(
    secretary: Any, worker: Membership
) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{10}", issued.code)
    assert not issued.user.has_usable_password()
    assert issued.expires - timezone.now() > timedelta(days=6)
    entry = last_entry()
    payload = json.loads(entry.payload)
    assert entry.kind == "login.granted"
    assert (payload["member"], payload["user"]) == (worker.member_id, issued.user.pk)
    assert issued.code not in entry.payload
    assert issued.printed not in entry.payload
    assert "juana" not in entry.payload
    assert "Juana" not in entry.payload


def test_only_a_keyed_digest_of_the_code_is_stored(secretary: Any, worker: Membership) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    stored = LoginCode.objects.get(user=issued.user)
    assert issued.code not in stored.code_hash
    assert len(stored.code_hash) == 64


def test_the_member_sets_their_own_password_with_the_code_once(
    secretary: Any, worker: Membership
) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    member = Client(HTTP_ACCEPT_LANGUAGE="en")
    # Typed on a phone: lower case, without the dash; it does not matter.
    assert redeem(member, "juana", issued.code.lower()).status_code == 302
    assert member.get("/").context["user"].username == "juana"
    assert last_entry().kind == "login.code_used"
    assert Client().login(username="juana", password=PASSWORD)
    again = redeem(Client(HTTP_ACCEPT_LANGUAGE="en"), "juana", issued.printed, "another-pass-99")
    assert again.status_code == 400
    assert REFUSED in again.content.decode()
    assert Client().login(username="juana", password=PASSWORD)


def test_a_wrong_code_an_unknown_name_and_an_expired_code_get_the_same_answer(
    secretary: Any, worker: Membership, time_machine: Any
) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    wrong = "22222-22222" if issued.code != "2222222222" else "33333-33333"
    for username, code in (("juana", wrong), ("nobody", issued.code), ("juana", "not a code")):
        with pytest.raises(InvalidInput, match=REFUSED):
            services.login_code_redeem(username=username, code=code, password=PASSWORD)
    time_machine.move_to(issued.expires + timedelta(seconds=1))
    with pytest.raises(InvalidInput, match=REFUSED):
        services.login_code_redeem(username="juana", code=issued.code, password=PASSWORD)
    assert not get_user_model().objects.get(username="juana").has_usable_password()


def test_a_weak_password_keeps_the_code_good(secretary: Any, worker: Membership) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    with pytest.raises(InvalidInput, match="too short"):
        services.login_code_redeem(username="juana", code=issued.code, password="1234")
    services.login_code_redeem(username="juana", code=issued.code, password=PASSWORD)


def test_guessing_codes_is_rate_limited_per_name_and_address_not_per_name(
    secretary: Any, worker: Membership
) -> None:
    issued = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    guesser = Client(REMOTE_ADDR="203.0.113.9", HTTP_ACCEPT_LANGUAGE="en")
    answers = [redeem(guesser, "juana", f"{i:0>5}-XXXXX").status_code for i in range(11)]
    assert answers == [400] * 10 + [429]
    assert redeem(guesser, "juana", issued.code).status_code == 429
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert redeem(elsewhere, "juana", issued.code).status_code == 302


# --- a reset --------------------------------------------------------------------------------------


def test_a_reset_ends_the_password_every_session_and_every_token(
    secretary: Any, operator: Any, plant: Body
) -> None:
    member = make_member(actor=operator, body=plant, username="juana", password=PASSWORD)
    session = logged_in(member)
    assert session.get("/").context["user"].is_authenticated
    token = api_token_issue(user=member, name="phone")
    issued = services.member_login_reset(actor=secretary, member_id=member.member.pk)
    assert not Client().login(username="juana", password=PASSWORD)
    assert not session.get("/").context["user"].is_authenticated
    api = Client().get(f"{API}/bodies/senkata/members", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 401
    entry = last_entry()
    assert entry.kind == "login.reset"
    assert json.loads(entry.payload)["tokens_revoked"] == 1
    assert issued.code not in entry.payload
    services.login_code_redeem(username="juana", code=issued.code, password="a-new-pass-2005")
    assert Client().login(username="juana", password="a-new-pass-2005")


def test_a_new_code_replaces_the_old_one(secretary: Any, worker: Membership) -> None:
    first = services.member_login_grant(
        actor=secretary, member_id=worker.member.pk, username="juana"
    )
    second = services.member_login_reset(actor=secretary, member_id=worker.member.pk)
    with pytest.raises(InvalidInput, match=REFUSED):
        services.login_code_redeem(username="juana", code=first.code, password=PASSWORD)
    services.login_code_redeem(username="juana", code=second.code, password=PASSWORD)


def test_a_secretary_cannot_reset_an_operators_login_nor_a_member_elsewhere(
    operator: Any, secretary: Any, plant: Body
) -> None:
    operator_member = services.member_add(
        actor=operator, body_id=plant.pk, name="Op", sector="worker"
    ).member
    # An operator who is also a member of the plant (a leaf row, linked directly).
    Member.objects.filter(pk=operator_member.pk).update(user=operator)
    operator_member.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.member_login_reset(actor=secretary, member_id=operator_member.pk)
    mine = services.body_create(actor=operator, name="Mine", slug="mine", kind="mine")
    miner = make_member(actor=operator, body=mine, username="minera")
    with pytest.raises(PermissionDenied):
        services.member_login_reset(actor=secretary, member_id=miner.member.pk)
    assert Client().login(username="minera", password="wawa-llajta-2005")


def test_the_member_page_resets_and_shows_the_code_once(
    secretary: Any, operator: Any, plant: Body
) -> None:
    member = make_member(actor=operator, body=plant, username="juana", password=PASSWORD)
    client = logged_in(secretary)
    page = client.get(f"/members/{member.member.pk}/").content.decode()
    assert f"/members/{member.member.pk}/login/reset/" in page
    assert "Disable the login" not in page  # operators only
    response = client.post(f"/members/{member.member.pk}/login/reset/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    [code] = codes_on(response.content.decode())
    assert redeem(Client(), "juana", code).status_code == 302


# --- cards for the whole roster -------------------------------------------------------------------


def test_printing_cards_gives_logins_to_those_without_and_codes_to_those_without_a_password(
    secretary: Any, operator: Any, plant: Body
) -> None:
    services.member_add(actor=operator, body_id=plant.pk, name="Ana Sin Login", sector="worker")
    pending = services.member_add(
        actor=operator, body_id=plant.pk, name="Berta Pendiente", sector="worker"
    )
    old = services.member_login_grant(actor=operator, member_id=pending.member.pk, username="berta")
    own = make_member(actor=operator, body=plant, username="carla", name="Carla Propia")
    before = LedgerEntry.objects.count()

    printed = services.login_cards_issue(actor=secretary, body_id=plant.pk)

    names = {card.member.name: card for card in printed.cards}
    assert set(names) == {"Ana Sin Login", "Berta Pendiente"}
    assert printed.skipped == 2  # Carla chose her password; the secretary has hers
    ana = names["Ana Sin Login"]
    assert ana.username == f"senkata-{ana.member.pk}"
    kinds = list(LedgerEntry.objects.filter(seq__gt=before).values_list("kind", "payload"))
    assert sorted(k for k, _ in kinds) == ["login.code_issued", "login.granted"]
    assert not any(card.code in payload for card in printed.cards for _, payload in kinds)
    assert not any("Ana" in payload or "senkata-" in payload for _, payload in kinds)
    with pytest.raises(InvalidInput, match=REFUSED):
        services.login_code_redeem(username="berta", code=old.code, password=PASSWORD)
    for card in printed.cards:
        services.login_code_redeem(username=card.username, code=card.printed, password=PASSWORD)
    assert Client().login(username="carla", password="wawa-llajta-2005")
    assert own.has_usable_password()
    assert ledger_verify().ok


def test_the_cards_page_prints_one_card_per_member_and_only_for_the_secretary(
    secretary: Any, operator: Any, plant: Body
) -> None:
    for name in ("Ana", "Berta", "Carla"):
        services.member_add(
            actor=operator, body_id=plant.pk, name=f"{name} Quispe", sector="worker"
        )
    client = logged_in(secretary)
    body_page = client.get("/bodies/senkata/").content.decode()
    assert "/bodies/senkata/login-cards/" in body_page
    preview = client.get("/bodies/senkata/login-cards/")
    assert preview.status_code == 200
    assert codes_on(preview.content.decode()) == []
    printed = client.post("/bodies/senkata/login-cards/")
    assert printed.status_code == 200
    assert printed["Cache-Control"] == "no-store"
    page = printed.content.decode()
    assert len(codes_on(page)) == 3
    assert "Berta Quispe" in page
    colleague = make_member(actor=operator, body=plant, username="colega")
    assert logged_in(colleague).get("/bodies/senkata/login-cards/").status_code == 403
    assert logged_in(colleague).post("/bodies/senkata/login-cards/").status_code == 403


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
