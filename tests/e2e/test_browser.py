"""The main journey in a real browser: the home page, the federation, a body and its seats.

Headless Debian Chromium through Playwright against pytest-django's live server. Screenshots go
to tests/e2e/screenshots/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import (
    COUNCIL_NAME,
    MINE_NAME,
    NEIGHBORHOOD_NAME,
    SmallFederation,
    build_small_federation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
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
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


@pytest.fixture
def browser(federation: SmallFederation) -> Iterator[Any]:
    """A headless Chromium, started after the data is built (no database work under its loop)."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
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


def test_a_visitor_finds_the_council_and_a_bodys_seats_on_a_desktop(
    live_server: Any, federation: SmallFederation, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport=DESKTOP, locale="es-BO")
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name=COUNCIL_NAME)).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "home-desktop.png", full_page=True)
    # The home page stops at the councils; the whole tree is one click away.
    page.get_by_role("link", name="Todas las organizaciones, hasta las asambleas de base").click()
    expect(page.get_by_role("link", name=MINE_NAME)).to_be_visible()

    page.get_by_role("link", name=COUNCIL_NAME).click()
    page.wait_for_url(f"**/bodies/{federation.council.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNCIL_NAME)
    table = page.locator("table").first
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td")).to_have_text([NEIGHBORHOOD_NAME, "30", "3,5714", "4"])
    expect(rows.nth(1).locator("td")).to_have_text([MINE_NAME, "12", "1,4286", "1"])
    page.screenshot(path=SCREENSHOTS / "council-desktop.png", full_page=True)


def test_a_visitor_on_a_phone_reads_a_bodys_seats_without_scrolling_sideways(
    live_server: Any, federation: SmallFederation, browser: Any
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/")

    expect(page.get_by_role("link", name=COUNCIL_NAME)).to_be_visible()
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SCREENSHOTS / "home-phone.png", full_page=True)
    page.goto(live_server.url + "/bodies/")

    page.get_by_role("link", name=NEIGHBORHOOD_NAME).first.click()
    page.wait_for_url(f"**/bodies/{federation.neighborhood.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(NEIGHBORHOOD_NAME)
    card = page.locator(".card", has_text=COUNCIL_NAME)
    expect(card).to_contain_text("4")
    card.locator("summary").click()
    table = card.locator("table")
    expect(table).to_be_visible()
    first_row = table.locator("tbody tr").nth(0)
    expect(first_row.locator("td").first).to_have_text(NEIGHBORHOOD_NAME)
    expect(first_row.locator("td").last).to_have_text("4")
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SCREENSHOTS / "body-phone.png", full_page=True)

    page.get_by_role("link", name=COUNCIL_NAME).first.click()
    page.wait_for_url(f"**/bodies/{federation.council.slug}/")
    expect(page.locator("table").first).to_be_visible()
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SCREENSHOTS / "council-phone.png", full_page=True)
    context.close()


def test_on_a_phone_the_seats_table_hides_the_exact_quota_column(
    live_server: Any, federation: SmallFederation, browser: Any
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/bodies/{federation.council.slug}/")

    row = page.locator("table").first.locator("tbody tr").nth(0)
    expect(row.locator("td:visible")).to_have_text([NEIGHBORHOOD_NAME, "30", "4"], timeout=2000)
