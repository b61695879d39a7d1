"""The admin shows every model, read-only: changes go through the services (and the ledger)."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from consejo.bodies import services
from consejo.bodies.services import api_token_issue

pytestmark = pytest.mark.django_db

OURS = {"bodies", "ledger", "common"}


def test_every_model_of_ours_is_in_the_admin() -> None:
    missing = [
        model.__name__
        for label in OURS
        for model in apps.get_app_config(label).get_models()
        if model not in admin.site._registry and model.__name__ != "ApportionedSeats"
    ]
    assert missing == []


@pytest.fixture
def populated(operator: Any) -> None:
    council = services.body_create(actor=operator, name="Council", slug="council", kind="council")
    plant = services.body_create(
        actor=operator, name="Plant", slug="plant", kind="workplace", parent_id=council.pk
    )
    services.member_add(actor=operator, body_id=plant.pk, name="Juana", sector="worker")
    services.council_seats_configure(
        actor=operator, council_id=council.pk, method="dhondt", seats=3
    )
    api_token_issue(user=operator, name="scanner")


def test_the_operator_browses_every_list_and_record_but_cannot_change_them(
    operator: Any, populated: None
) -> None:
    client = Client()
    client.force_login(operator)
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OURS:
            continue
        opts = model._meta
        listing = client.get(f"/admin/{opts.app_label}/{opts.model_name}/")
        assert listing.status_code == 200, opts.label
        assert not model_admin.has_add_permission(listing.wsgi_request)
        first = model.objects.first()
        if first is not None:
            page = client.get(f"/admin/{opts.app_label}/{opts.model_name}/{first.pk}/change/")
            assert page.status_code == 200, opts.label
            assert b'name="_save"' not in page.content


def test_ending_memberships_from_the_admin_goes_through_the_service(
    operator: Any, populated: None
) -> None:
    from consejo.bodies.models import Membership
    from consejo.ledger.models import LedgerEntry

    client = Client()
    client.force_login(operator)
    membership = Membership.objects.get(member__name="Juana")
    response = client.post(
        "/admin/bodies/membership/",
        {"action": "end_memberships", "_selected_action": [membership.pk]},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end is not None
    ended = LedgerEntry.objects.filter(kind="membership.ended").get()
    assert f'"membership":{membership.pk},' in ended.payload


def test_logins_cannot_be_added_or_changed_in_the_admin(operator: Any) -> None:
    client = Client()
    client.force_login(operator)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/auth/user/add/").status_code == 403
    page = client.get(f"/admin/auth/user/{operator.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b"pbkdf2" not in page.content
    assert b"md5$" not in page.content
