"""Every page keeps working under the Content-Security-Policy: Chromium walks the production
server's pages (as a visitor and as the operator) and reports no violation, no console error and
no failed request (the favicon included)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.production.conftest import Server, have_chromium

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Reported by the page itself: a script cannot hide a violation from this listener, which runs
# before the page's own code.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${where}`);
});
"""
PAGES_EACH = 60
PER_SHAPE = 2
# Downloads, and pages that render the same templates as one already walked.
SKIP_SUFFIXES = (".csv", ".blt", ".json")
VISITOR_START = ["/", "/supply/", "/elections/", "/bodies/", "/api/v1/docs", "/ledger/?verify=1"]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not have_chromium():
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is required in CI")
        pytest.skip("no Chromium: install Debian's chromium package to run these")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def _names(query: str) -> str:
    """A query's parameter names (``?kind=…`` is one shape, whatever the kind)."""
    return "&".join(sorted({part.split("=")[0] for part in query.split("&") if part}))


def walk(page: Any, server: Server, start: list[str]) -> tuple[list[str], list[str]]:
    """Visit the pages linked from ``start``, breadth first; return them and every problem."""
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: console {message.type}: {message.text}")
            if message.type in {"error", "warning"}
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{page.url}: {response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    host = urlparse(server.url).netloc
    seen: list[str] = []
    queue = [server.url + path for path in start]
    shapes: dict[tuple[str, str], int] = {}
    while queue and len(seen) < PAGES_EACH:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.append(url)
        # Swagger UI draws itself from its scripts after the page loads.
        page.goto(url, wait_until="networkidle" if "/api/" in url else "load")
        problems.extend(f"{url}: CSP {v}" for v in page.evaluate("window.__violations"))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            link = urlparse(href.split("#")[0])
            target = f"{link.scheme}://{link.netloc}{link.path}" + (
                f"?{link.query}" if link.query else ""
            )
            # A few pages per address shape (/bodies/<slug>/ …): the templates, not every row.
            shape = "/".join(
                "*" if part and not part.isalpha() else part for part in link.path.split("/")
            )
            if (
                link.netloc == host
                and not link.path.startswith(("/static/", "/logout"))
                and not link.path.endswith(SKIP_SUFFIXES)
                and target not in seen
                and shapes.get((shape, _names(link.query)), 0) < PER_SHAPE
            ):
                key = (shape, _names(link.query))
                shapes[key] = shapes.get(key, 0) + 1
                queue.append(target)
    return seen, problems


def test_no_page_breaks_the_policy_for_a_visitor(chromium: Any, production_server: Server) -> None:
    context = chromium.new_context(locale="es-BO")
    context.add_init_script(LISTEN)
    page = context.new_page()
    seen, problems = walk(page, production_server, VISITOR_START)
    assert len(seen) >= 15, seen
    assert any("/results/" in url for url in seen), "an election's results (its chart)"
    assert any("/plans/" in url for url in seen), "a supply plan (its chart and map)"
    assert problems == []
    context.close()


def test_no_page_breaks_the_policy_for_the_operator(
    chromium: Any, production_server: Server
) -> None:
    context = chromium.new_context(locale="es-BO")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.goto(production_server.url + "/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo-admin-2005")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    seen, problems = walk(page, production_server, ["/admin/", "/", "/bodies/new/"])
    assert any("/admin/" in url for url in seen)
    assert problems == []
    context.close()
