"""Logins without a password chosen by someone else (docs/logins.md): one-time codes given by a
grant, a reset and printed cards, and the member who sets her own password with one."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from consejo.bodies import services
from consejo.bodies.models import Body, Member, Membership
from consejo.bodies.services import api_token_issue
from consejo.common.models import LoginCode
from consejo.core.errors import InvalidInput, PermissionDenied
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.bodies.logins.helpers import (
    API,
    PASSWORD,
    REFUSED,
    codes_on,
    last_entry,
    logged_in,
    redeem,
)
from tests.builders import make_member

pytestmark = pytest.mark.django_db


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
