"""The server-rendered pages of bodies, members, the ledger, health and language."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from consejo.bodies.models import Member, Membership
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_head_get
from tests.builders import (
    COUNCIL_NAME,
    COUNCIL_SEATS,
    MINE_MEMBERS,
    MINE_NAME,
    NEIGHBORHOOD_MEMBERS,
    NEIGHBORHOOD_NAME,
    SmallFederation,
    build_small_federation,
    make_member,
    make_secretary,
)

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024
SPANISH_CATALOG = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.mo"


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


@pytest.fixture
def secretary_user(django_user_model: Any, operator: Any, federation: SmallFederation) -> Any:
    """A login held by the secretary of the neighborhood assembly."""
    user = make_secretary(actor=operator, body=federation.neighborhood)
    return user


def text(response: Any) -> str:
    """The page as text, HTML entities decoded (``D&#x27;Hondt`` reads ``D'Hondt``)."""
    return html.unescape(response.content.decode())


def lang(response: Any) -> str:
    match = re.search(r'<html lang="([^"]*)"', response.content.decode())
    assert match, "the page has no <html lang>"
    return match.group(1)


def shows_count_after(page: str, name: str, count: int) -> bool:
    """Whether the tree shows ``count`` right after the link to ``name`` (in any language)."""
    pattern = rf">{re.escape(name)}</a>[^<]*<span[^>]*>[^<]*</span>\s*·\s*{count}\b"
    return re.search(pattern, page) is not None


def register(client: Client, slug: str, *, follow: bool = False, **data: str) -> Any:
    form = {"sector": "resident", "phone": "", **data}
    return client.post(reverse("body", args=[slug]), form, follow=follow)


# --- home and the federation tree -----------------------------------------------------------


def test_the_home_page_shows_the_councils_and_how_many_bodies_each_gathers(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    page = text(response)
    assert COUNCIL_NAME in page
    assert "2 base bodies" in page
    assert MINE_NAME not in page  # the whole tree is on /bodies/
    assert f"<strong>{NEIGHBORHOOD_MEMBERS + MINE_MEMBERS}</strong>" in page


def test_the_federation_page_shows_every_body_and_its_member_count(
    client: Client, federation: SmallFederation
) -> None:
    page = text(client.get(reverse("body_tree")))

    assert shows_count_after(page, NEIGHBORHOOD_NAME, NEIGHBORHOOD_MEMBERS)
    assert shows_count_after(page, MINE_NAME, MINE_MEMBERS)


def test_the_home_page_of_an_empty_installation_renders(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "consejo demo" in text(response)


def test_the_federation_tree_nests_the_base_bodies_under_their_council(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(reverse("body_tree"))

    assert response.status_code == 200
    page = text(response)
    council_at = page.index(COUNCIL_NAME)
    nested = page[council_at:]
    assert "<ul>" in nested
    assert NEIGHBORHOOD_NAME in nested
    assert MINE_NAME in nested
    assert shows_count_after(page, NEIGHBORHOOD_NAME, NEIGHBORHOOD_MEMBERS)
    # Each base body carries the seats it holds in the council: 4 and 1 (Hamilton, 5 seats).
    assert re.search(rf"{re.escape(NEIGHBORHOOD_NAME)}</a>.*?badge\">4 ", page, re.S)
    assert re.search(rf"{re.escape(MINE_NAME)}</a>.*?badge\">1 ", page, re.S)


# --- a body's page ----------------------------------------------------------------------------


def test_a_body_page_shows_its_seats_in_the_council_above(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(reverse("body", args=[federation.neighborhood.slug]))

    assert response.status_code == 200
    page = text(response)
    assert f"<h1>{NEIGHBORHOOD_NAME}</h1>" in page
    council_card = re.search(rf">{re.escape(COUNCIL_NAME)}</a></strong>:\s*(\d+)", page)
    assert council_card, "no card for the council above"
    assert council_card.group(1) == "4"


def test_a_council_page_shows_the_apportionment_table_with_method_quotas_and_seats(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(reverse("body", args=[federation.council.slug]))

    assert response.status_code == 200
    page = text(response)
    assert "Hamilton" in page
    assert f"{COUNCIL_SEATS} " in page
    rows = re.findall(
        r'<tr><td><a href="/bodies/([a-z-]+)/">[^<]+</a></td><td class="n">(\d+)</td>'
        r'<td class="n hide-narrow">([\d,]+)</td><td class="n">(\d+)</td></tr>',
        page,
    )
    assert rows == [
        # Spanish numbers: a decimal comma.
        ("senkata", "30", "3,5714", "4"),
        ("huanuni", "12", "1,4286", "1"),
    ]


def test_an_anonymous_visitor_sees_member_counts_but_not_names(
    client: Client, federation: SmallFederation
) -> None:
    response = client.get(reverse("body", args=[federation.neighborhood.slug]))

    page = text(response)
    assert f"<strong>{NEIGHBORHOOD_MEMBERS}</strong>" in page
    assert not any(name in page for name in federation.neighborhood_names)
    assert "/members/" not in page


def test_a_member_sees_the_names_of_her_own_body_but_not_of_a_sibling_body(
    client: Client, federation: SmallFederation, operator: Any
) -> None:
    client.force_login(make_member(actor=operator, body=federation.neighborhood))

    page = text(client.get(reverse("body", args=[federation.neighborhood.slug])))

    assert all(name in page for name in federation.neighborhood_names)
    assert not any(name in page for name in federation.mine_names)


def test_a_login_without_any_current_membership_sees_no_names(
    client: Client, federation: SmallFederation, outsider: Any
) -> None:
    client.force_login(outsider)

    page = text(client.get(reverse("body", args=[federation.neighborhood.slug])))
    member = Member.objects.get(name=federation.mine_names[0])

    assert not any(name in page for name in federation.neighborhood_names)
    assert client.get(reverse("member", args=[member.pk])).status_code == 404


def test_a_logged_in_user_who_is_not_the_secretary_sees_no_registration_form(
    client: Client, federation: SmallFederation, outsider: Any
) -> None:
    client.force_login(outsider)

    page = text(client.get(reverse("body", args=[federation.neighborhood.slug])))

    assert 'name="name"' not in page


def test_the_secretary_sees_the_registration_form(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)

    page = text(client.get(reverse("body", args=[federation.neighborhood.slug])))

    assert 'name="name"' in page
    assert 'name="sector"' in page
    assert "csrfmiddlewaretoken" in page


def test_the_secretary_of_one_body_sees_no_registration_form_on_another(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)

    page = text(client.get(reverse("body", args=[federation.mine.slug])))

    assert 'name="name"' not in page


def test_the_secretary_registers_a_member_and_the_ledger_grows(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)
    before, _head = ledger_head_get()

    response = register(client, federation.neighborhood.slug, name="Rosa Apaza", follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("body", args=["senkata"]), 302)]
    page = text(response)
    assert "Rosa Apaza" in page
    assert f"<strong>{NEIGHBORHOOD_MEMBERS + 2}</strong>" in page  # the roster, the secretary, Rosa
    assert Membership.objects.filter(
        body=federation.neighborhood, member__name="Rosa Apaza", end__isnull=True
    ).exists()
    after, _head = ledger_head_get()
    assert after >= before + 1
    assert LedgerEntry.objects.filter(kind="membership.started", seq__gt=before).count() == 1


def test_a_registration_with_an_empty_name_is_refused_with_the_error_and_writes_nothing(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)
    members, entries = Member.objects.count(), LedgerEntry.objects.count()

    response = register(client, federation.neighborhood.slug, name="")

    assert response.status_code == 400
    page = text(response)
    assert 'class="errorlist' in page
    assert 'name="name"' in page
    assert Member.objects.count() == members
    assert LedgerEntry.objects.count() == entries


def test_a_registration_with_an_unknown_sector_is_refused_and_writes_nothing(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)
    members, entries = Member.objects.count(), LedgerEntry.objects.count()

    response = register(client, federation.neighborhood.slug, name="Rosa Apaza", sector="king")

    assert response.status_code == 400
    assert 'class="errorlist' in text(response)
    assert Member.objects.count() == members
    assert LedgerEntry.objects.count() == entries


def test_a_registration_with_a_bad_phone_shows_the_services_message_and_writes_nothing(
    client: Client, federation: SmallFederation, secretary_user: Any
) -> None:
    client.force_login(secretary_user)
    members, entries = Member.objects.count(), LedgerEntry.objects.count()

    response = register(client, federation.neighborhood.slug, name="Rosa Apaza", phone="call me")

    assert response.status_code == 400
    assert 'class="error" role="alert" tabindex="-1" autofocus>' in text(response)
    assert Member.objects.count() == members
    assert LedgerEntry.objects.count() == entries


def test_a_non_secretary_registration_is_refused_with_a_message_and_writes_nothing(
    client: Client, federation: SmallFederation, outsider: Any
) -> None:
    client.force_login(outsider)
    members, entries = Member.objects.count(), LedgerEntry.objects.count()

    response = register(client, federation.neighborhood.slug, name="Intrusa Falsa")

    assert Member.objects.count() == members
    assert LedgerEntry.objects.count() == entries
    assert re.search(r'class="error">[^<]+<', text(response)), "the refusal is not shown"
    assert response.status_code == 403


def test_a_non_secretary_registration_writes_nothing(
    client: Client, federation: SmallFederation, outsider: Any
) -> None:
    client.force_login(outsider)
    members, entries = Member.objects.count(), LedgerEntry.objects.count()

    response = register(client, federation.neighborhood.slug, name="Intrusa Falsa")

    assert response.status_code in {400, 403}
    assert "Traceback" not in text(response)
    assert Member.objects.count() == members
    assert LedgerEntry.objects.count() == entries


def test_an_anonymous_registration_is_sent_to_the_login_page_and_writes_nothing(
    client: Client, federation: SmallFederation
) -> None:
    members = Member.objects.count()

    response = register(client, federation.neighborhood.slug, name="Intrusa Falsa")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Member.objects.count() == members


def test_an_unknown_body_is_a_404_page_not_a_traceback(client: Client, operator: Any) -> None:
    response = client.get(reverse("body", args=["no-such-body"]))

    assert response.status_code == 404
    page = text(response)
    assert "no-such-body" in page
    assert "<html" in page
    assert "Traceback" not in page


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


# --- health, language, size, CSRF ---------------------------------------------------------


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


def test_a_post_without_a_csrf_token_is_refused(
    federation: SmallFederation, secretary_user: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary_user)
    members = Member.objects.count()

    response = register(client, federation.neighborhood.slug, name="Sin Token")

    assert response.status_code == 403
    assert Member.objects.count() == members


def test_a_post_with_the_csrf_token_from_the_form_is_accepted(
    federation: SmallFederation, secretary_user: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretary_user)
    page = client.get(reverse("body", args=[federation.neighborhood.slug])).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token

    response = register(
        client, federation.neighborhood.slug, name="Con Token", csrfmiddlewaretoken=token.group(1)
    )

    assert response.status_code == 302
    assert Member.objects.filter(name="Con Token").exists()
