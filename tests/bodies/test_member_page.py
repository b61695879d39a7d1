"""A member's page, and giving a member a login from it (no email: handed over in person)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Body, Membership
from consejo.ledger.models import LedgerEntry
from tests.builders import appoint_secretary, grant_login, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def plant(operator: Any) -> Body:
    return services.body_create(
        actor=operator, name="Senkata plant", slug="senkata", kind="workplace"
    )


@pytest.fixture
def worker(operator: Any, plant: Body) -> Membership:
    return services.member_add(
        actor=operator, body_id=plant.pk, name="Juana Mamani", sector="worker"
    )


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_page_lists_memberships_for_members(
    operator: Any, plant: Body, worker: Membership
) -> None:
    colleague = make_member(actor=operator, body=plant, username="colega")
    response = logged_in(colleague).get(f"/members/{worker.member_id}/")
    assert response.status_code == 200
    assert "Juana Mamani" in response.content.decode()
    assert "Senkata plant" in response.content.decode()
    assert 'name="password"' not in response.content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(worker: Membership) -> None:
    response = Client().get(f"/members/{worker.member_id}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_secretary_gives_a_member_a_login_that_works(
    operator: Any, plant: Body, worker: Membership
) -> None:
    secretary_membership = appoint_secretary(
        actor=operator,
        membership=services.member_add(
            actor=operator, body_id=plant.pk, name="Sec", sector="worker"
        ),
    )
    secretary = grant_login(
        actor=operator,
        member=secretary_membership.member,
        username="sec",
        password="a-long-demo-pass-7",
    )
    client = logged_in(secretary)
    page = client.get(f"/members/{worker.member_id}/").content.decode()
    assert 'name="username"' in page
    assert 'name="password"' not in page  # the secretary never chooses the member's password
    response = client.post(f"/members/{worker.member_id}/", {"username": "juana"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert LedgerEntry.objects.order_by("-seq").first().kind == "login.granted"  # type: ignore[union-attr]
    code = shown_code(response.content.decode())
    member = Client()
    answer = member.post(
        "/login/code/",
        {
            "username": "juana",
            "code": code,
            "password1": "wawa-senkata-2005",
            "password2": "wawa-senkata-2005",
        },
    )
    assert answer.status_code == 302
    assert member.get("/").context["user"].username == "juana"
    assert Client().login(username="juana", password="wawa-senkata-2005")


def shown_code(page: str) -> str:
    """The one-time code a page shows (``ABCDE-FGHJK``)."""
    import re

    found = re.findall(r'<code class="code">([2-9A-Z]{5}-[2-9A-Z]{5})</code>', page)
    assert len(found) == 1, page
    return found[0]


def test_a_taken_login_name_is_shown_on_the_page_and_creates_nothing(
    operator: Any, worker: Membership
) -> None:
    response = logged_in(operator).post(f"/members/{worker.member_id}/", {"username": "operator"})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert get_user_model().objects.filter(username="operator").count() == 1


def test_someone_without_authority_cannot_give_a_login(
    operator: Any, plant: Body, worker: Membership
) -> None:
    colleague = make_member(actor=operator, body=plant, username="colega")
    response = logged_in(colleague).post(f"/members/{worker.member_id}/", {"username": "juana"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(username="juana").exists()


def test_a_stranger_cannot_even_tell_that_a_member_exists(
    outsider: Any, worker: Membership
) -> None:
    assert logged_in(outsider).get(f"/members/{worker.member_id}/").status_code == 404


def test_the_header_names_the_logged_in_member_and_links_to_her_page(
    operator: Any, plant: Body
) -> None:
    colleague = make_member(actor=operator, body=plant, username="colega", name="Rosa Apaza")
    page = logged_in(colleague).get("/").content.decode()
    member_id = colleague.member.pk
    assert f'<a href="/members/{member_id}/">Rosa Apaza</a>' in page
    assert "/admin/" not in page
    assert "/admin/" in logged_in(operator).get("/").content.decode()
