"""A recipient's page and the forms that register recipients, their needs and their routes,
through the Django test client: the need form for the recipient's own secretary, the recipient
and route forms for the committee's secretary, and every refusal a message with the form as
typed.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from consejo.supply.models import Need, Recipient, Route
from tests.builders import SupplyScene
from tests.supply.pages.browsing import en_client, messages_of, text

pytestmark = pytest.mark.django_db


def test_the_recipient_page_shows_needs_and_the_need_form_to_its_own_secretary(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_recipient", args=[scene.barrio.slug])
    visitor = text(en_client().get(url))
    assert "Register a need" not in visitor
    assert "400" in visitor
    assert "No plan is in force yet." in visitor
    junta = text(en_client(scene.junta).get(url))
    assert "Register a need" in junta
    assert "Junta Secretaria" in junta  # she registered it, and may see her own body's roster
    assert "Register a need" not in text(en_client(scene.members[0]).get(url))


def test_the_recipients_secretary_registers_a_need_through_the_form(scene: SupplyScene) -> None:
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]),
        {"item": scene.gas.slug, "units": "380"},
        follow=True,
    )
    assert "Need registered: 380 of Garrafa 10 kg." in messages_of(response)
    newest = Need.objects.filter(recipient=scene.barrio).order_by("-registered_at", "-pk").first()
    assert newest is not None
    assert newest.units == 380


def test_only_the_recipients_own_secretary_registers_its_needs(scene: SupplyScene) -> None:
    # The junta is the neighbourhood's secretary, not the clinic's (the mine's).
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.clinic.slug]), {"item": scene.gas.slug, "units": "5"}
    )
    assert response.status_code == 403
    assert "You may not register a recipient's needs" in text(response)
    assert Need.objects.filter(recipient=scene.clinic).count() == 1


@pytest.mark.parametrize("units", ["-1", "lots"])
def test_a_bad_need_is_a_message(scene: SupplyScene, units: str) -> None:
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]),
        {"item": scene.gas.slug, "units": units},
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Units needed:")
    assert f'<option value="{scene.gas.slug}" selected>' in text(response)
    assert Need.objects.filter(recipient=scene.barrio).count() == 1


def test_the_secretary_registers_a_recipient_and_sets_its_route(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    response = client.post(
        reverse("supply_recipient_new", args=[scene.committee.slug]),
        {
            "name": "Comedor Popular 8",
            "slug": "comedor-8",
            "kind": "kitchen",
            "body": scene.federation.neighborhood.slug,
            "tier": "2",
            "households": "",
            "latitude": "-16.5400",
            "longitude": "-68.2000",
        },
        follow=True,
    )
    assert "Comedor Popular 8 was registered." in messages_of(response)
    kitchen = Recipient.objects.get(slug="comedor-8")
    assert kitchen.latitude == Decimal("-16.54")
    assert kitchen.tier == 2
    assert "Comedor Popular 8" in text(response)

    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": kitchen.slug, "cost": "3"},
        follow=True,
    )
    assert "Route set: Planta de Senkata → Comedor Popular 8, cost 3 per unit." in messages_of(
        response
    )
    assert Route.objects.get(recipient=kitchen).cost == 3


def test_recipient_refusals_are_messages(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_recipient_new", args=[scene.committee.slug])
    base = {
        "name": "Otra Posta",
        "slug": "otra-posta",
        "kind": "clinic",
        "body": scene.federation.mine.slug,
        "tier": "1",
    }
    cases = [
        ({"tier": "0"}, "Priority tier"),
        ({"tier": "uno"}, "Priority tier"),
        ({"households": "-3"}, "Households"),
        ({"body": "no-such-body"}, "no body called no-such-body"),
        ({"slug": "Bad Slug"}, "the short name must be"),
        ({"slug": scene.clinic.slug}, "a recipient called posta-senkata exists"),
        ({"latitude": "-16.5"}, "Give both the latitude and the longitude"),
        ({"latitude": "-96", "longitude": "1"}, "Latitude"),
    ]
    for change, expected in cases:
        response = client.post(url, {**base, **change})
        assert response.status_code == 400, change
        assert any(expected in m for m in messages_of(response)), (change, messages_of(response))
        # The form is open again with every field as typed: nothing to type twice on a phone.
        page = text(response)
        assert '<details class="card" open><summary>Register a recipient' in page
        assert 'value="Otra Posta"' in page
        assert '<option value="clinic" selected>' in page
        assert f'value="{({**base, **change})["body"]}"' in page
    assert not Recipient.objects.filter(slug="otra-posta").exists()


def test_a_plain_member_may_not_register_recipients_or_routes(scene: SupplyScene) -> None:
    client = en_client(scene.members[1])
    response = client.post(
        reverse("supply_recipient_new", args=[scene.committee.slug]),
        {"name": "X", "slug": "x", "kind": "clinic", "body": scene.federation.mine.slug, "tier": 1},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.clinic.slug, "cost": "1"},
    )
    assert response.status_code == 403
    assert Route.objects.get(recipient=scene.clinic).cost == 1


@pytest.mark.parametrize("cost", ["-1", "cheap", "2000000"])
def test_a_bad_route_cost_is_a_message(scene: SupplyScene, cost: str) -> None:
    response = en_client(scene.members[0]).post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.clinic.slug, "cost": cost},
        follow=True,
    )
    assert messages_of(response)[0].startswith("Cost per unit:")
    assert Route.objects.get(recipient=scene.clinic).cost == 1


def test_the_secretary_sets_a_route_from_the_recipients_page(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_recipient", args=[scene.barrio.slug])
    assert "Set a route" in text(client.get(url))
    assert "Set a route" not in text(en_client(scene.junta).get(url))
    response = client.post(
        reverse("supply_route_new", args=[scene.committee.slug]),
        {"depot": str(scene.depot.pk), "recipient": scene.barrio.slug, "cost": "5", "next": url},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "Route set: Planta de Senkata → Barrio Senkata, cost 5 per unit." in messages_of(
        response
    )
    assert Route.objects.get(recipient=scene.barrio).cost == 5


def test_a_route_to_an_unknown_recipient_or_elsewhere_is_a_message(scene: SupplyScene) -> None:
    client = en_client(scene.members[0])
    url = reverse("supply_route_new", args=[scene.committee.slug])
    response = client.post(
        url,
        {"depot": str(scene.depot.pk), "recipient": "nobody", "cost": "1", "next": "//evil.x/"},
    )
    assert "no recipient called nobody" in messages_of(response)
    # Not sent elsewhere: the committee's page again, the route form open with its input.
    assert response.status_code == 400
    assert 'value="nobody"' in text(response)
    assert '<details class="card" open><summary>Set a route' in text(response)
