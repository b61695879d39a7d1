"""The server-rendered pages of bodies: home and the federation tree, a body's page (its seats,
who sees names and the registration form), registering a member on it, and its CSRF check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consejo.bodies.models import Member, Membership
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_head_get
from tests.bodies.page_text import text
from tests.builders import (
    COUNCIL_NAME,
    COUNCIL_SEATS,
    MINE_MEMBERS,
    MINE_NAME,
    NEIGHBORHOOD_MEMBERS,
    NEIGHBORHOOD_NAME,
    SmallFederation,
    make_member,
    make_secretary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary_user(django_user_model: Any, operator: Any, federation: SmallFederation) -> Any:
    """A login held by the secretary of the neighborhood assembly."""
    user = make_secretary(actor=operator, body=federation.neighborhood)
    return user


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


# --- CSRF ---------------------------------------------------------------------------------


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
