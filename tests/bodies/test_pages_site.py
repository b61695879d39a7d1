"""The other server-rendered pages: a member's page, the ledger, health, and what every page
shares (Spanish by default or the browser's language, under 60 KB, one stylesheet)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consejo.bodies.models import Member
from consejo.ledger.selectors import ledger_head_get
from tests.bodies.page_text import text
from tests.builders import (
    MINE_MEMBERS,
    MINE_NAME,
    NEIGHBORHOOD_MEMBERS,
    SmallFederation,
    make_member,
)

pytestmark = pytest.mark.django_db


PAGE_LIMIT = 60 * 1024
SPANISH_CATALOG = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.mo"


def lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


# --- members ------------------------------------------------------------------------------


def test_a_member_page_sends_an_anonymous_visitor_to_log_in(
    client: Client, federation: SmallFederation
) -> None:
    member = Member.objects.get(name=federation.mine_names[0])

    response = client.get(reverse("member", args=[member.pk]))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/members/{member.pk}/"


def test_a_member_sees_a_members_memberships(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    member = Member.objects.get(name=federation.mine_names[0])
    client.force_login(make_member(actor=operator, body=federation.mine))

    response = client.get(reverse("member", args=[member.pk]))

    assert response.status_code == 200
    page = text(response)
    assert federation.mine_names[0] in page
    assert MINE_NAME in page


def test_an_unknown_member_is_a_404_page(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    client.force_login(make_member(actor=operator, body=federation.mine))

    response = client.get(reverse("member", args=[987654]))

    assert response.status_code == 404
    assert "Traceback" not in text(response)


# --- the ledger ---------------------------------------------------------------------------


def test_the_ledger_page_shows_the_count_and_the_head(
    client: Client, federation: SmallFederation
) -> None:
    seq, head = ledger_head_get()

    response = client.get(reverse("ledger"))

    assert response.status_code == 200
    page = text(response)
    assert seq > NEIGHBORHOOD_MEMBERS + MINE_MEMBERS
    assert re.search(rf"<div>{seq} \w+</div>", page)
    assert head in page


def test_the_ledger_page_verifies_the_chain_on_request(
    client: Client, federation: SmallFederation
) -> None:
    seq, head = ledger_head_get()

    response = client.get(reverse("ledger"), {"verify": "1"})

    assert response.status_code == 200
    page = text(response)
    assert re.search(
        rf'<p class="ok">Verificado: la cadena de {seq} asientos está íntegra\. '
        rf'Último hash: <span class="hash">{head}</span>',
        page,
    )


def test_the_ledger_page_filters_by_kind(client: Client, federation: SmallFederation) -> None:
    response = client.get(reverse("ledger"), {"kind": "federation.linked"})

    page = text(response)
    assert page.count('href="?kind=federation.linked"') == 2
    assert 'href="?kind=membership.started"' not in page


# --- health, language, size ---------------------------------------------------------------


def test_healthz_reports_status_and_database_ok(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}


def test_pages_are_in_spanish_by_default(client: Client, federation: SmallFederation) -> None:
    response = client.get(reverse("home"))

    assert lang(response) == "es"


def test_a_visitor_can_switch_to_english_and_back(
    client: Client, federation: SmallFederation
) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/bodies/"})

    assert response.status_code == 302
    assert response["Location"] == "/bodies/"
    english = client.get(reverse("body_tree"))
    assert lang(english) == "en"
    assert ">Federation</a>" in text(english)
    assert lang(client.get(reverse("body", args=[federation.mine.slug]))) == "en"

    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.get(reverse("home"))
    assert lang(spanish) == "es"
    if SPANISH_CATALOG.exists():  # the words change only once the catalog is compiled
        assert ">Federation</a>" not in text(spanish)


def test_the_language_follows_the_browsers_accept_language(client: Client) -> None:
    assert lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")) == "en"
    assert lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es-BO,es;q=0.9")) == "es"
    assert lang(client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="ay")) == "es"  # Aymara: default


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/bodies/",
        "/bodies/el-alto-council/",
        "/bodies/senkata/",
        "/ledger/",
        "/ledger/?verify=1",
    ],
)
def test_every_page_weighs_under_60_kb(
    client: Client, federation: SmallFederation, outsider: Any, path: str
) -> None:
    client.force_login(outsider)  # logged in: the roster adds names to the body pages

    response = client.get(path)

    assert response.status_code == 200
    assert len(response.content) < PAGE_LIMIT


def test_the_stylesheet_every_page_links_is_served(client: Client) -> None:
    page = client.get(reverse("home")).content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert href

    response = client.get(href.group(1))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    # One stylesheet for every page, cached after the first: 10 KB (about 3 KB compressed).
    assert len(b"".join(response.streaming_content)) < 10 * 1024
