"""A supply committee decides on a phone: a member proposes a plan, two members vote yes, and
the plan shows approved with its table and its chart of fill by tier.

Headless Debian Chromium through Playwright against pytest-django's live server, set up as in
test_voting.py. Screenshots go to /tmp/shots-supply/ for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from consejo.supply import services
from tests.builders import SupplyScene, build_supply

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/shots-supply")  # noqa: S108 - where a person looks at them after a run
PHONE = {"width": 360, "height": 740}
PASSWORD = "wawa-llajta-2005"  # the builders' password
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is required in CI")
    pytest.skip(f"no Chromium at {CHROMIUM}: install Debian's chromium package to run these")


@pytest.fixture
def scene(operator: Any) -> SupplyScene:
    """The builders' committee, plus a kitchen and a second depot with coordinates (a map)."""
    scene = build_supply(actor=operator)
    kitchen = services.recipient_register(
        actor=operator,
        committee_id=scene.committee.pk,
        body_id=scene.federation.neighborhood.pk,
        slug="comedor-senkata",
        name="Comedor Popular de Senkata",
        kind="kitchen",
        tier=1,
        location=services.Place(Decimal("-16.5660"), Decimal("-68.1900")),
    )
    depot = services.depot_create(
        actor=operator,
        committee_id=scene.committee.pk,
        commission_id=scene.commission.pk,
        slug="villa-ingenio",
        name="Villa Ingenio",
        location=services.Place(Decimal("-16.4700"), Decimal("-68.1700")),
    )
    services.stock_count_record(
        actor=scene.counter, depot_id=depot.pk, item_id=scene.gas.pk, units=40
    )
    for target, cost in ((kitchen, 3), (scene.barrio, 1)):
        services.route_set(actor=operator, depot_id=depot.pk, recipient_id=target.pk, cost=cost)
    services.need_register(actor=operator, recipient_id=kitchen.pk, item_id=scene.gas.pk, units=20)
    return scene


@pytest.fixture
def browser(scene: SupplyScene) -> Iterator[Any]:
    """A headless Chromium, started after the data is built (no database work under its loop)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _no_horizontal_overflow(page: Any) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _phone(browser: Any) -> Any:
    return browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-BO"
    )


def _log_in(page: Any, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/login/?next={next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")


def test_a_member_proposes_two_vote_yes_and_the_plan_is_approved_on_a_phone(
    live_server: Any, scene: SupplyScene, browser: Any
) -> None:
    from playwright.sync_api import expect

    committee_path = f"/supply/{scene.committee.slug}/"
    context = _phone(browser)
    page = context.new_page()
    _log_in(page, live_server.url, "abasto-2", committee_path)
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SHOTS / "committee-phone.png", full_page=True)
    propose = page.locator(f"form[action='{committee_path}propose/'] button")
    box = propose.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a thumb's tap target
    propose.click()
    page.wait_for_url("**/supply/plans/*/")
    plan_path = page.url.removeprefix(live_server.url)
    expect(page.locator(".plan-proposed")).to_be_visible()
    expect(page.locator(".messages li.success")).to_have_count(1)
    page.locator("form.vote button[value=yes]").click()
    page.wait_for_url(f"**{plan_path}")
    expect(page.locator("ul.votes li")).to_have_count(1)
    expect(page.locator("form.vote")).to_have_count(0)
    page.screenshot(path=SHOTS / "plan-voted-phone.png", full_page=True)
    context.close()

    context = _phone(browser)
    page = context.new_page()
    _log_in(page, live_server.url, "abasto-3", plan_path)
    page.locator("form.vote button[value=yes]").click()
    page.wait_for_url(f"**{plan_path}")
    expect(page.locator(".plan-approved")).to_be_visible()
    expect(page.locator("ul.votes li")).to_have_count(2)
    # The table: the kitchen and the clinic (tier 1), the barrio (tier 2).
    expect(page.locator("table.plan tr.tier")).to_have_count(2)
    expect(page.locator("table.plan tbody tr:not(.tier)")).to_have_count(3)
    expect(page.locator("svg.chart rect.got")).to_have_count(2)
    expect(page.locator("svg.map rect.depot")).to_have_count(1)  # only Villa Ingenio is placed
    expect(page.locator("a[href$='input.json']")).to_be_visible()
    expect(page.locator("a[href$='output.json']")).to_be_visible()
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SHOTS / "plan-approved-phone.png", full_page=True)
    page.locator("svg.chart").screenshot(path=SHOTS / "plan-chart.png")
    page.locator("svg.map").screenshot(path=SHOTS / "plan-map.png")

    page.goto(f"{live_server.url}{committee_path}")
    expect(page.locator(f"main a[href='{plan_path}']").first).to_be_visible()
    page.screenshot(path=SHOTS / "committee-after-phone.png", full_page=True)
    context.close()
