"""The static trustee page, as a trustee uses it on a 360 px phone: it makes the card and the
commitment, seals the shares, confirms, and decrypts the mix, and every file it makes is taken
by the server's own checks (the same bytes and proofs as consejo/core/sealed).

Headless Debian Chromium through Playwright, against pytest-django's live server (the page is a
static file, served with the site's Content-Security-Policy). Trustee 1 works in the browser;
trustees 2 and 3 with the Python steps, as ``consejo trustee`` would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from consejo.boxes import ceremony
from consejo.boxes.models import Box
from consejo.boxes.selectors import box_file
from consejo.boxes.services import trustee_step
from consejo.elections import services
from consejo.elections.models import Ballot
from consejo.elections.selectors import standing_candidates
from tests.builders import (
    build_small_federation,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)
from tests.e2e.test_voting import CHROMIUM, CHROMIUM_ARGS, PHONE, SHOTS, _require_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A headless Chromium. The test writes to the database between the page's steps, under
    Playwright's event loop: Django's guard against that is lifted for this test only."""
    _require_chromium()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

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


def _step_from_page(
    page: Any, box: Box, tmp: Path, *, card: str | None, fresh: bool
) -> dict[str, Any]:
    """Give the page the box's file (and the card's words), make the step, save its file."""
    box.refresh_from_db()
    path = tmp / f"box-{os.urandom(4).hex()}.json"
    path.write_text(json.dumps(box_file(box, you=1)))
    page.reload()
    page.set_input_files("#boxfile", str(path))
    page.wait_for_function("document.getElementById('message').textContent.length > 0")
    if card is not None:
        page.fill("#cardtext", card)
    page.click("#newcard" if fresh else "#make")
    page.wait_for_selector("#save:not([hidden])", timeout=60_000)
    with page.expect_download() as download:
        page.click("#save")
    return json.loads(Path(download.value.path()).read_text())


def test_a_trustee_does_every_step_on_the_static_page_at_360_px(
    operator: Any, time_machine: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    from django.utils import timezone

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    fed = build_small_federation(actor=operator)
    secretary = make_secretary(actor=operator, body=fed.neighborhood)
    logins = trustee_logins(actor=operator, body=fed.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Delegados",
        method="scottish-stv",
        mode="secret",
        opens_at=start + timedelta(hours=1),
        closes_at=start + timedelta(hours=5),
        trustee_ids=[m.pk for m in trustee_members(logins)],
    )
    for name in fed.neighborhood_names[:3]:
        services.candidate_nominate(
            actor=secretary,
            election_id=election.pk,
            member_id=fed.neighborhood.memberships.get(member__name=name).member.pk,
        )
    box = Box.objects.get(purpose=f"election:{election.pk}")
    seeds = {2: os.urandom(32), 3: os.urandom(32)}

    def python_step(index: int, step: str) -> None:
        made = ceremony.step_file(box, index, seeds[index], step)
        trustee_step(actor=logins[index], reference=box.reference, step=made)

    context = browser.new_context(viewport=PHONE, locale="es-BO", accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/static/trustee/index.html")
    assert page.inner_text("h1") == "Página del custodio"

    # Step 1 in the browser: a new card, shown with its QR code and words; the commitment.
    commit = _step_from_page(page, box, tmp_path, card=None, fresh=True)
    words = page.input_value("#cardtext")
    assert len(words.split()) == 24
    assert page.locator("#qr svg").count() == 1
    page.screenshot(path=str(SHOTS / "trustee-card-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    trustee_step(actor=logins[1], reference=box.reference, step=commit)
    for i in (2, 3):
        python_step(i, "commit")
    # Step 2: the shares, from the card's words (accents dropped, as on a phone keyboard).
    plain = words.translate(str.maketrans("áéíóú", "aeiou"))
    shares = _step_from_page(page, box, tmp_path, card=plain, fresh=False)
    assert shares["step"] == "shares"
    trustee_step(actor=logins[1], reference=box.reference, step=shares)
    for i in (2, 3):
        python_step(i, "shares")
    # Step 3: the confirmation; the server checks its proof against the commitments.
    confirm = _step_from_page(page, box, tmp_path, card=words, fresh=False)
    assert "proof" in confirm
    trustee_step(actor=logins[1], reference=box.reference, step=confirm)
    python_step(2, "confirm")
    done = trustee_step(
        actor=logins[3],
        reference=box.reference,
        step=ceremony.step_file(box, 3, seeds[3], "confirm"),
    )
    assert done.keyed

    # The vote, the close, and the decryption of the mix in the browser.
    time_machine.move_to(start + timedelta(hours=2), tick=False)
    standing = [c.pk for c in standing_candidates(election)]
    cast = [[standing[0], standing[1]], [standing[2]], [standing[1], standing[0], standing[2]]]
    for n, choices in enumerate(cast):
        voter = make_member(
            actor=operator, body=fed.neighborhood, username=f"votante-{n}", name=f"Votante {n}"
        )
        services.ballot_cast(actor=voter, election_id=election.pk, choices=choices)
    time_machine.move_to(start + timedelta(hours=6), tick=False)
    services.election_close(actor=secretary, election_id=election.pk)
    decrypt = _step_from_page(page, box, tmp_path, card=words, fresh=False)
    assert decrypt["step"] == "decrypt"
    assert trustee_step(actor=logins[1], reference=box.reference, step=decrypt).valid
    python_step(2, "decrypt")
    services.election_count(actor=secretary, election_id=election.pk)
    counted = sorted(
        tuple(c)
        for c, w in Ballot.objects.filter(election=election).values_list("choices", "weight")
        for _ in range(w)
    )
    assert counted == sorted(tuple(c) for c in cast)
    page.screenshot(path=str(SHOTS / "trustee-decrypt-360.png"), full_page=True)
    assert errors == []


def test_a_wrong_card_is_refused_on_the_page(
    operator: Any, time_machine: Any, live_server: Any, browser: Any, tmp_path: Path
) -> None:
    from django.utils import timezone

    start = timezone.now()
    time_machine.move_to(start, tick=False)
    fed = build_small_federation(actor=operator)
    secretary = make_secretary(actor=operator, body=fed.neighborhood)
    logins = trustee_logins(actor=operator, body=fed.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Delegados",
        method="scottish-stv",
        mode="secret",
        opens_at=start + timedelta(hours=1),
        closes_at=start + timedelta(hours=5),
        trustee_ids=[m.pk for m in trustee_members(logins)],
    )
    box = Box.objects.get(purpose=f"election:{election.pk}")
    seeds = {i: os.urandom(32) for i in (1, 2, 3)}
    for i in (1, 2, 3):
        trustee_step(
            actor=logins[i],
            reference=box.reference,
            step=ceremony.step_file(box, i, seeds[i], "commit"),
        )
    page = browser.new_context(viewport=PHONE, locale="es-BO").new_page()
    page.goto(f"{live_server.url}/static/trustee/index.html")
    path = tmp_path / "box.json"
    path.write_text(json.dumps(box_file(box, you=1)))
    page.set_input_files("#boxfile", str(path))
    from consejo.core.sealed import card

    page.fill("#cardtext", " ".join(card.words(seeds[2])))  # trustee 2's card, not 1's
    page.click("#make")
    page.wait_for_selector("#message.error")
    assert "no es la del custodio 1" in page.inner_text("#message")
    words = card.words(seeds[1])
    words[5] = words[6]
    page.fill("#cardtext", " ".join(words))
    page.click("#make")
    page.wait_for_function(
        "document.getElementById('message').textContent.includes('no son válidas')"
    )
