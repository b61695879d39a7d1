"""No page of the demo is wider than a 360 px phone.

The demo is loaded into the live server's database; headless Chromium at 360 x 740 opens every
page that a visitor, a member and two secretaries reach by following links (a couple of each
kind: a body, an election, a depot, a ledger entry...), the verified ledger and the confirmation
pages included, and fails on any page whose content is wider than the viewport. Tables that are
meant to scroll (the rounds of a count) scroll inside their own box and say so.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from consejo.elections.models import Election
from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 360, "height": 740}
PEOPLE = (None, "vecina", "villa-ingenio", "el-alto", "custodio-1")
SEEDS = (
    "/",
    "/ledger/?verify=1",
    "/bodies/jv-villa-ingenio/",
    "/bodies/asamblea-el-alto/",
    "/supply/abastecimiento-el-alto/",
)
PER_KIND = 2
NOT_PAGES = ("/admin", "/api", "/logout", "/i18n", "/login", "/static")
DOWNLOADS = (".csv", ".blt", ".json")


def kind_of(path: str) -> str:
    path = re.sub(r"[0-9]+", "N", path.split("?")[0])
    return re.sub(r"^/(bodies|supply/depots|supply/recipients|supply)/[^/]+/", r"/\1/*/", path)


def session_cookie(username: str, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


def wide_pages(page: Any, base: str) -> tuple[dict[str, int], int]:
    """The pages wider than the viewport (address → width), and how many pages were opened."""
    wide: dict[str, int] = {}
    opened: set[str] = set()
    kinds: dict[str, int] = {}
    todo = list(SEEDS)
    while todo:
        path = todo.pop(0)
        kind = kind_of(path)
        if path in opened or kinds.get(kind, 0) >= PER_KIND:
            continue
        kinds[kind] = kinds.get(kind, 0) + 1
        opened.add(path)
        response = page.goto(base + path)
        assert response is not None
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            wide[path] = width
            name = re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home"
            page.screenshot(path=SCREENSHOTS / f"wide-{name}.png", full_page=True)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            address = urlsplit(urljoin(base + path, href))
            target = address.path + (f"?{address.query}" if address.query else "")
            if address.netloc != urlsplit(base).netloc or target.startswith(NOT_PAGES):
                continue
            if not target.endswith(DOWNLOADS):
                todo.append(target)
    return wide, len(opened)


def test_no_page_of_the_demo_is_wider_than_a_360_px_phone(live_server: Any) -> None:
    _require_chromium()
    call_command("demo", stdout=io.StringIO())
    cookies = {name: session_cookie(name, live_server.url) for name in PEOPLE if name}
    # The count with the most rounds: the Scottish STV one of Villa Ingenio.
    stv = Election.objects.get(counted_at__isnull=False, method="scottish-stv").pk
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    found: dict[str | None, dict[str, int]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for person in PEOPLE:
                context = browser.new_context(viewport=NARROW, locale="es-BO")
                if person:
                    context.add_cookies([cookies[person]])  # type: ignore[list-item]
                page = context.new_page()
                found[person], opened = wide_pages(page, live_server.url)
                assert opened > 15, person
                context.close()
            assert not {person: pages for person, pages in found.items() if pages}
            context = browser.new_context(viewport=NARROW, locale="es-BO")
            context.add_cookies([cookies["vecina"]])  # type: ignore[list-item]
            page = context.new_page()
            _the_rounds_table_shows_that_it_scrolls(page, f"{live_server.url}/elections/{stv}")
        finally:
            browser.close()


def _the_rounds_table_shows_that_it_scrolls(page: Any, election: str) -> None:
    page.goto(election + "/results/")
    box = page.locator("div.scroll", has=page.locator("table.rounds"))
    # It scrolls inside its own box, which says so, and the names stay in view as it does.
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.locator(".scroll-hint").is_visible()
    name = box.locator("tbody th").first
    before = name.bounding_box()
    box.evaluate("e => e.scrollBy(200, 0)")
    after = name.bounding_box()
    assert before is not None
    assert after is not None
    assert after["x"] == before["x"]
    page.screenshot(path=SCREENSHOTS / "rounds-phone.png", full_page=False)
