"""The admin of supply: every page opens for an operator, and it changes nothing itself (counts,
needs, routes and plans change only through the services, and so into the ledger)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.supply import services
from consejo.supply.models import Depot, Item, Need, Plan, PlanVote, Recipient, Route, StockCount
from tests.builders import SupplyScene, build_supply

pytestmark = pytest.mark.django_db

MODELS = {
    "item": Item,
    "depot": Depot,
    "stockcount": StockCount,
    "recipient": Recipient,
    "route": Route,
    "need": Need,
    "plan": Plan,
    "planvote": PlanVote,
}


@pytest.fixture
def admin_client(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


@pytest.fixture
def voted(operator: Any) -> SupplyScene:
    """The supply scene with one plan approved by two votes of three."""
    scene = build_supply(actor=operator)
    plan = services.plan_propose(actor=scene.members[0], committee_id=scene.committee.pk)
    for member in scene.members[:2]:
        services.plan_vote(actor=member, plan_id=plan.pk, choice="yes")
    return scene


def test_every_changelist_and_change_page_opens_for_the_operator(
    admin_client: Client, voted: SupplyScene
) -> None:
    for model, rows in MODELS.items():
        row = rows.objects.first()
        assert row is not None, model
        listing = admin_client.get(f"/admin/supply/{model}/")
        assert listing.status_code == 200, model
        change = admin_client.get(f"/admin/supply/{model}/{row.pk}/change/")
        assert change.status_code == 200, model
    for query in ("?q=Senkata", "?status__exact=approved", "?kind__exact=clinic"):
        model = "recipient" if "kind" in query else "plan"
        assert admin_client.get(f"/admin/supply/{model}/{query}").status_code == 200


def test_the_plan_list_shows_committee_status_and_cost(
    admin_client: Client, voted: SupplyScene
) -> None:
    page = admin_client.get("/admin/supply/plan/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for column in ("committee", "status", "proposed_at", "total_cost", "decided_at"):
        assert f"column-{column}" in page
    assert "Comité de Abastecimiento de El Alto" in page
    assert "approved" in page
    assert str(Plan.objects.get().total_cost) in page


def test_a_plan_shows_its_frozen_input_output_and_votes_without_a_form(
    admin_client: Client, voted: SupplyScene
) -> None:
    plan = Plan.objects.get()
    page = admin_client.get(
        f"/admin/supply/plan/{plan.pk}/change/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert plan.problem_digest in page
    assert plan.result_digest in page
    assert "posta-senkata" in page  # in the input and the output
    for name in ("Abasto Uno", "Abasto Dos"):  # the votes, by name
        assert name in page
    assert "<textarea" not in page
    assert 'name="_save"' not in page


def test_the_admin_changes_nothing_itself(admin_client: Client, voted: SupplyScene) -> None:
    plan = Plan.objects.get()
    before = {model: rows.objects.count() for model, rows in MODELS.items()}
    for model, rows in MODELS.items():
        row = rows.objects.first()
        assert row is not None
        assert admin_client.get(f"/admin/supply/{model}/add/").status_code == 403, model
        assert admin_client.post(f"/admin/supply/{model}/add/", {}).status_code == 403, model
        change = admin_client.post(f"/admin/supply/{model}/{row.pk}/change/", {"units": 1})
        assert change.status_code == 403, model
        assert admin_client.get(f"/admin/supply/{model}/{row.pk}/delete/").status_code == 403
        assert admin_client.post(f"/admin/supply/{model}/{row.pk}/delete/").status_code == 403
    response = admin_client.post(
        f"/admin/supply/plan/{plan.pk}/change/", {"status": "rejected", "problem": "{}"}
    )
    assert response.status_code == 403
    response = admin_client.post(
        "/admin/supply/plan/", {"action": "delete_selected", "_selected_action": [plan.pk]}
    )
    assert Plan.objects.filter(pk=plan.pk).exists()
    fresh = Plan.objects.get(pk=plan.pk)
    assert (fresh.status, fresh.problem) == (plan.status, plan.problem)
    assert {model: rows.objects.count() for model, rows in MODELS.items()} == before
