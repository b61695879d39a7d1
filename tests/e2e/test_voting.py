"""A member votes on a phone, the secretary counts, the results page shows every round.

Headless Debian Chromium through Playwright against pytest-django's live server, started as in
test_browser.py. The clock is moved with time-machine (ticking, so that the live server sees
time pass): into the voting period, then past its close. Screenshots go to /tmp/shots/ and to
tests/e2e/screenshots/ for a person to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from consejo.elections import services
from consejo.elections.selectors import standing_candidates
from tests.builders import RunningElection, build_running_election, build_small_federation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
SHOTS = Path("/tmp/shots")  # noqa: S108 - where a person looks at them after a run
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
def run(operator: Any, time_machine: Any) -> RunningElection:
    """Scottish STV for 4 seats among 5, five of six members already voted; the clock ticks."""
    federation = build_small_federation(actor=operator)
    run = build_running_election(
        actor=operator, federation=federation, traveller=time_machine, candidates=5
    )
    standing = [c.pk for c in standing_candidates(run.election)]
    orders = [[0, 1], [1, 0, 2], [2, 3], [3, 4, 0], [4, 2]]
    voters = [user for name, user in run.voters.items() if name != "votante-1"]
    for user, order in zip(voters, orders, strict=True):
        services.ballot_cast(
            actor=user, election_id=run.election.pk, choices=[standing[i] for i in order]
        )
    time_machine.move_to(run.opens + timedelta(minutes=10), tick=True)
    return run


@pytest.fixture
def browser(run: RunningElection, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium, started after the data is built. The trustees' decryptions are
    written under Playwright's event loop: Django's guard against that is lifted here."""
    _require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Database work done under Playwright's loop has connections of its own (Django's
            # are per context): closed here, or PostgreSQL cannot drop the test database.
            connections.close_all()


def _no_horizontal_overflow(page: Any) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def _log_in(page: Any, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/login/?next={next_path}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")


def test_a_member_votes_on_a_phone_and_the_results_show_every_round(
    live_server: Any, run: RunningElection, browser: Any, time_machine: Any
) -> None:
    from playwright.sync_api import expect

    election_path = f"/elections/{run.election.pk}/"
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-BO"
    )
    page = context.new_page()
    _log_in(page, live_server.url, "votante-1", election_path)
    expect(page.locator(".phase-voting")).to_be_visible()
    expect(page.locator(".turnout strong")).to_have_text("5")

    page.locator(f"a[href='{election_path}vote/']").click()
    page.wait_for_url(f"**{election_path}vote/")
    ranks = page.locator("input.rank")
    expect(ranks).to_have_count(5)
    # Candidates are on the ballot by name; rank the third first, then the first, then the fifth.
    ranks.nth(2).fill("1")
    ranks.nth(0).fill("2")
    ranks.nth(4).fill("3")
    assert _no_horizontal_overflow(page)
    box = page.locator("button.big").bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a thumb's tap target
    page.screenshot(path=SHOTS / "ballot-phone.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / "ballot-phone.png", full_page=True)
    page.locator("form.ballot button[type=submit]").click()

    # The confirmation: the ballot is sealed, its tracker shown once.
    expect(page.locator("h1")).to_have_text("Su papeleta está sellada")
    expect(page.locator(".tracker code").first).to_have_text(re.compile("^[0-9a-f]{16}$"))
    assert _no_horizontal_overflow(page)
    page.screenshot(path=SHOTS / "sealed-phone.png", full_page=True)
    page.goto(f"{live_server.url}{election_path}")
    expect(page.locator(".voted")).to_be_visible()
    expect(page.locator(".turnout strong")).to_have_text("6")
    expect(page.locator(f"a[href='{election_path}vote/']")).to_have_count(0)
    page.screenshot(path=SHOTS / "voted-phone.png", full_page=True)
    context.close()

    # Voting closes; the secretary counts on a phone and opens the results.
    time_machine.move_to(run.closes + timedelta(minutes=1), tick=True)
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="es-BO"
    )
    page = context.new_page()
    _log_in(page, live_server.url, "sec-eleccion", election_path)
    expect(page.locator(".phase-closed")).to_be_visible()
    page.locator(f"form[action='{election_path}close/'] button").click()
    page.wait_for_url(f"**{election_path}")
    expect(page.locator(".messages li.success")).to_have_count(1)
    run.close_and_decrypt_only(time_machine)  # two trustees bring their decryptions
    page.reload()
    page.locator(f"form[action='{election_path}count/'] button").click()
    page.wait_for_url(f"**{election_path}results/")

    rounds = page.locator("ol.round-notes > li")
    n_rounds = rounds.count()
    assert n_rounds >= 2
    header = page.locator("table.rounds thead th")
    expect(header).to_have_count(n_rounds + 1)  # the candidate column, then one per round
    body_rows = page.locator("table.rounds tbody tr")
    expect(body_rows).to_have_count(5 + 1)  # five candidates and the non-transferable votes
    for i in range(5):
        expect(body_rows.nth(i).locator("td")).to_have_count(n_rounds)
    expect(page.locator("ol.elected > li")).to_have_count(4)
    expect(page.locator("svg.chart rect")).to_have_count(5)
    expect(page.locator("a[href$='results.csv']")).to_be_visible()
    expect(page.locator("a[href$='ballots.blt']")).to_be_visible()
    page.screenshot(path=SHOTS / "results-phone.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / "results-phone.png", full_page=True)
    page.locator("svg.chart").screenshot(path=SHOTS / "results-chart.png")
    page.locator("table.rounds").screenshot(path=SHOTS / "results-rounds.png")
    # The wide round table scrolls inside its box; the page itself does not scroll sideways.
    assert _no_horizontal_overflow(page)
    context.close()
