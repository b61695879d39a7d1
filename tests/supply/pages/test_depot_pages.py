"""A depot's page and its count form, through the Django test client: the stock history for
everyone, the form for the members of its control commission only, a count recorded, and bad
counts, unknown items and strangers refused with a message and nothing recorded.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from consejo.supply import services
from consejo.supply.models import Need, StockCount
from tests.builders import SupplyScene
from tests.supply.pages.browsing import en_client, messages_of, text

pytestmark = pytest.mark.django_db


def test_the_depot_page_shows_the_stock_history_and_the_count_form_to_the_commission(
    scene: SupplyScene,
) -> None:
    url = reverse("supply_depot", args=[scene.depot.slug])
    visitor = en_client().get(url)
    assert visitor.status_code == 200
    assert "Record a count" not in text(visitor)
    assert "Control Uno" not in text(visitor)
    counter = text(en_client(scene.counter).get(url))
    assert "Record a count" in counter
    assert "counted by Control Uno" in counter
    assert "Record a count" not in text(en_client(scene.members[1]).get(url))


def test_a_commission_member_records_a_count_through_the_form(scene: SupplyScene) -> None:
    url = reverse("supply_stock_count", args=[scene.depot.slug])
    response = en_client(scene.counter).post(
        url, {"item": scene.gas.slug, "units": "250", "note": "after the convoy"}, follow=True
    )
    assert response.status_code == 200
    assert "Count recorded: 250 of Garrafa 10 kg." in messages_of(response)
    newest = StockCount.objects.filter(depot=scene.depot).order_by("-counted_at", "-pk").first()
    assert newest is not None
    assert newest.units == 250
    assert newest.note == "after the convoy"
    assert "after the convoy" in text(response)


@pytest.mark.parametrize("units", ["-5", "many", "", "1e3", "10000000000"])
def test_a_bad_count_is_a_message_and_nothing_is_recorded(scene: SupplyScene, units: str) -> None:
    before = StockCount.objects.count()
    response = en_client(scene.counter).post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": scene.gas.slug, "units": units, "note": "after the convoy"},
    )
    # The page again, with what was typed still in the form.
    assert response.status_code == 400
    [message] = messages_of(response)
    assert message.startswith("Units counted:")
    assert StockCount.objects.count() == before
    page = text(response)
    assert f'<option value="{scene.gas.slug}" selected>' in page
    assert 'value="after the convoy"' in page


def test_an_unknown_item_is_a_message(scene: SupplyScene) -> None:
    response = en_client(scene.counter).post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": "caviar", "units": "3"},
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Item:")
    assert 'name="units" type="number" inputmode="numeric" min="0" required value="3"' in text(
        response
    )


def test_someone_outside_the_commission_cannot_count(scene: SupplyScene, outsider: Any) -> None:
    before = StockCount.objects.count()
    for user in (scene.members[0], outsider):
        response = en_client(user).post(
            reverse("supply_stock_count", args=[scene.depot.slug]),
            {"item": scene.gas.slug, "units": "1"},
        )
        assert response.status_code == 403
        assert "You may not count the stock of a depot" in text(response)
    assert StockCount.objects.count() == before


def test_a_visitor_is_sent_to_log_in_before_counting(scene: SupplyScene) -> None:
    response = en_client().post(
        reverse("supply_stock_count", args=[scene.depot.slug]),
        {"item": scene.gas.slug, "units": "1"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_need_and_count_forms_preselect_no_item(scene: SupplyScene) -> None:
    # A secretary's 3,100 went to whichever item sorted first: now she must choose one.
    services.item_create(actor=scene.members[0], slug="arroz", name="Arroz", unit="kg")
    for user, url in (
        (scene.junta, reverse("supply_recipient", args=[scene.barrio.slug])),
        (scene.counter, reverse("supply_depot", args=[scene.depot.slug])),
    ):
        page = text(en_client(user).get(url))
        assert 'name="item" required><option value="" selected>— choose the item —</option>' in page
        assert '<option value="arroz">' in page
        assert f'<option value="{scene.gas.slug}">' in page
    before = Need.objects.count()
    response = en_client(scene.junta).post(
        reverse("supply_need", args=[scene.barrio.slug]), {"units": "3100"}
    )
    assert response.status_code == 400
    assert messages_of(response)[0].startswith("Item:")
    assert 'min="0" required value="3100"' in text(response)
    assert Need.objects.count() == before
