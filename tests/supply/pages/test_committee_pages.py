"""The supply index and a committee's page, through the Django test client as a visitor, the
committee's members and its secretary: what each sees, the item form, where a GET on a form's
address leads, 404s for what does not exist, every page in both languages and under 60 kB with
two hundred recipients, and the committee's page among the bodies.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consejo.supply import services
from tests.builders import SupplyScene, build_supply
from tests.supply.pages.browsing import _propose, en_client, messages_of, text

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024


def test_the_supply_index_lists_the_committee_and_the_items(scene: SupplyScene) -> None:
    page = en_client().get(reverse("supply"))
    assert page.status_code == 200
    body = text(page)
    assert scene.committee.name in body
    assert reverse("supply_committee", args=[scene.committee.slug]) in body
    assert "Garrafa 10 kg" in body
    # The commission has no depots of its own to allocate: it is not a supply committee.
    assert reverse("supply_committee", args=[scene.commission.slug]) not in body


def test_the_navigation_links_to_supply(client: Client) -> None:
    page = en_client().get(reverse("home"))
    assert f'href="{reverse("supply")}">Supply<' in page.content.decode()


def test_the_committee_page_shows_stock_recipients_by_tier_and_no_forms_to_a_visitor(
    scene: SupplyScene,
) -> None:
    page = en_client().get(reverse("supply_committee", args=[scene.committee.slug]))
    assert page.status_code == 200
    body = text(page)
    assert "Planta de Senkata" in body
    assert "100" in body  # the stock counted
    assert "Tier 1" in body
    assert "Tier 2" in body
    assert body.index("Posta de Senkata") < body.index("Barrio Senkata")
    assert "clinic or hospital" in body
    assert "neighborhood" in body
    assert "400 garrafas · Garrafa 10 kg" in body  # the barrio's need, its unit in the plural
    assert "Planta de Senkata (2)" in body  # its route and cost
    assert "Control Uno" not in body  # a visitor does not see who counted
    assert "Propose a plan" not in body
    assert "Register a recipient" not in body


def test_a_committee_member_sees_the_propose_button_and_the_secretary_the_forms(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_committee", args=[scene.committee.slug])
    member = text(en_client(scene.members[1]).get(url))
    assert "Propose a plan" in member
    assert "Register a recipient" not in member
    secretary = text(en_client(scene.members[0]).get(url))
    assert "Propose a plan" in secretary
    for form in ("Register a recipient", "Set a route", "Register an item"):
        assert form in secretary
    assert "csrfmiddlewaretoken" in secretary


def test_unknown_committees_depots_recipients_and_plans_are_404_pages(scene: SupplyScene) -> None:
    client = en_client()
    for url in (
        "/supply/no-such-committee/",
        f"/supply/{scene.federation.neighborhood.slug}/",  # a body, but not a committee
        "/supply/depots/nowhere/",
        "/supply/recipients/nobody/",
        "/supply/plans/999/",
        "/supply/plans/999/input.json",
        "/supply/depots/BAD%20SLUG/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_secretary_registers_an_item_and_a_duplicate_is_a_message(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_item_new", args=[scene.committee.slug])
    response = client.post(
        url, {"name": "Harina", "slug": "harina", "unit": "saco de 50 kg"}, follow=True
    )
    assert "Harina was registered." in messages_of(response)
    response = client.post(url, {"name": "Harina", "slug": "harina", "unit": "saco"}, follow=True)
    assert "an item called harina exists" in messages_of(response)[0]
    assert "Harina" in text(en_client().get(reverse("supply")))


def test_get_on_a_form_address_answers_with_the_page_it_belongs_to(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    committee = reverse("supply_committee", args=[scene.committee.slug])
    for name in ("supply_propose", "supply_recipient_new", "supply_route_new", "supply_item_new"):
        response = client.get(reverse(name, args=[scene.committee.slug]))
        assert (response.status_code, response["Location"]) == (302, committee), name
    response = client.get(reverse("supply_need", args=[scene.barrio.slug]), follow=True)
    assert response.status_code == 200
    assert scene.barrio.name in text(response)
    assert client.put(reverse("supply_propose", args=[scene.committee.slug])).status_code == 405


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_renders_in_both_languages(scene: SupplyScene, language: str) -> None:
    plan = _propose(scene)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(scene.members[0])
    for url in (
        reverse("supply"),
        reverse("supply_committee", args=[scene.committee.slug]),
        reverse("supply_depot", args=[scene.depot.slug]),
        reverse("supply_recipient", args=[scene.barrio.slug]),
        reverse("supply_plan", args=[plan.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode()


def test_a_committee_page_counts_its_members_and_claims_no_seats(scene: SupplyScene) -> None:
    response = Client().get(reverse("body", args=[scene.committee.slug]))
    words = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    # Its three members, elected to it: not "0 personas representadas".
    assert "3 miembros actuales" in words
    assert "personas representadas" not in words
    # Its council apportioned its seats among the bodies beneath it: none is waiting for it.
    assert "escaños aún no distribuidos" not in words
    assert "sin escaño: sus escaños se reparten entre otras organizaciones" in words
    # The tree counts it by its members too.
    tree = " ".join(re.sub(r"<[^>]+>", " ", Client().get("/bodies/").content.decode()).split())
    assert f"{scene.committee.name} comité · 3 miembros" in tree


# --- size on a slow link ---


def test_pages_with_two_hundred_recipients_weigh_under_60_kb(operator: Any) -> None:
    scene = build_supply(actor=operator, stock=5000)
    for i in range(200):
        recipient = services.recipient_register(
            actor=operator,
            committee_id=scene.committee.pk,
            body_id=scene.federation.neighborhood.pk,
            slug=f"barrio-numero-{i:03d}",
            name=f"Barrio Número {i:03d} de El Alto",
            kind="neighborhood",
            tier=2 + i % 3,
            households=100 + i,
            location=services.Place(
                Decimal("-16.5") - Decimal(i % 20) / 100, Decimal("-68.2") + Decimal(i // 20) / 100
            ),
        )
        services.route_set(
            actor=operator, depot_id=scene.depot.pk, recipient_id=recipient.pk, cost=1 + i % 7
        )
        services.need_register(
            actor=operator, recipient_id=recipient.pk, item_id=scene.gas.pk, units=20 + i % 30
        )
    plan = _propose(scene)
    secretary = en_client(scene.members[0])
    for url in (
        reverse("supply"),
        reverse("supply_committee", args=[scene.committee.slug]),
        reverse("supply_depot", args=[scene.depot.slug]),
        reverse("supply_recipient", args=["barrio-numero-007"]),
        reverse("supply_plan", args=[plan.pk]),
    ):
        response = secretary.get(url)
        assert response.status_code == 200, url
        assert len(response.content) < PAGE_LIMIT, (url, len(response.content))
    body = text(secretary.get(reverse("supply_plan", args=[plan.pk])))
    assert "Barrio Número 199 de El Alto" in body
    assert 'class="map"' in body
