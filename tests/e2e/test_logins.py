"""A secretary prints login cards on a phone; a member sets her own password with her code.

Headless Debian Chromium through Playwright against pytest-django's live server, as in
test_voting.py. Screenshots go to /tmp/shots/ and tests/e2e/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from consejo.bodies import services
from consejo.bodies.models import Body
from tests.builders import make_secretary
from tests.e2e.test_voting import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    SCREENSHOTS,
    SHOTS,
    _log_in,
    _no_horizontal_overflow,
    _require_chromium,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plant(operator: Any) -> Body:
    body = services.body_create(
        actor=operator, name="Planta Senkata", slug="senkata", kind="workplace"
    )
    make_secretary(actor=operator, body=body, username="sec-senkata")
    for name in ("Juana Mamani", "Rosa Apaza"):
        services.member_add(actor=operator, body_id=body.pk, name=name, sector="worker")
    return body


@pytest.fixture
def browser(plant: Body) -> Iterator[Any]:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_the_secretary_prints_cards_and_a_member_sets_her_own_password_on_a_phone(
    live_server: Any, plant: Body, browser: Any
) -> None:
    from playwright.sync_api import expect

    phone = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    secretary = browser.new_context(locale="es-BO", **phone).new_page()
    _log_in(secretary, live_server.url, "sec-senkata", "/bodies/senkata/")
    secretary.locator("a[href='/bodies/senkata/login-cards/']").click()
    expect(secretary.locator("main")).to_contain_text("De 3 miembros, 2 todavía no tienen cuenta")
    secretary.locator("main form button[type=submit]").click()
    cards = secretary.locator(".login-card")
    expect(cards).to_have_count(2)
    assert _no_horizontal_overflow(secretary)
    secretary.screenshot(path=str(SHOTS / "login-cards.png"), full_page=True)
    secretary.screenshot(path=str(SCREENSHOTS / "login-cards.png"), full_page=True)
    juana = cards.filter(has_text="Juana Mamani")
    username = juana.locator("code.code").nth(0).inner_text()
    code = juana.locator("code.code").nth(1).inner_text()
    assert re.fullmatch(r"senkata-\d+", username)

    member = browser.new_context(locale="es-BO", **phone).new_page()
    member.goto(f"{live_server.url}/login/")
    member.locator("a[href='/login/code/']").click()
    member.locator("input[name=username]").fill(username)
    member.locator("input[name=code]").fill(code.replace("-", " ").lower())
    member.locator("input[name=password1]").fill("mi-clave-de-senkata")
    member.locator("input[name=password2]").fill("mi-clave-de-senkata")
    assert _no_horizontal_overflow(member)
    member.screenshot(path=str(SCREENSHOTS / "login-code.png"), full_page=True)
    member.locator("main form button[type=submit]").click()
    expect(member.locator(".messages")).to_contain_text("Su contraseña quedó fijada")
    expect(member.locator("header")).to_contain_text("Juana Mamani")
    expect(member.locator("header a[href='/password/']")).to_be_visible()
