"""A big body's roster on a cheap phone: paged, searchable, and every page under 60 KB."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.bodies import services
from consejo.bodies.models import Body
from consejo.bodies.selectors import ROSTER_PAGE_SIZE
from consejo.bodies.services import RosterRow

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024


@pytest.fixture
def big_assembly(operator: Any) -> Body:
    body = services.body_create(
        actor=operator, name="Junta Vecinal Río Seco", slug="rio-seco", kind="neighborhood_assembly"
    )
    rows = [
        RosterRow(name=f"Vecina Número {i:04d} Quispe Mamani", sector="resident")
        for i in range(900)
    ]
    services.membership_import(actor=operator, body_id=body.pk, rows=rows)
    return body


def as_operator(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def test_the_secretary_view_of_a_900_member_roster_is_paged_and_light(
    operator: Any, big_assembly: Body
) -> None:
    response = as_operator(operator).get("/bodies/rio-seco/")
    html = response.content.decode()
    assert len(response.content) < PAGE_LIMIT
    assert html.count('href="/bodies/rio-seco/memberships/') == ROSTER_PAGE_SIZE
    assert "Vecina Número 0000" in html
    assert "Vecina Número 0899" not in html


def test_the_last_page_shows_the_last_members(operator: Any, big_assembly: Body) -> None:
    last = -(-900 // ROSTER_PAGE_SIZE)
    response = as_operator(operator).get(f"/bodies/rio-seco/?page={last}")
    assert "Vecina Número 0899" in response.content.decode()
    assert len(response.content) < PAGE_LIMIT


def test_a_nonsense_page_number_shows_the_first_page_not_an_error(
    operator: Any, big_assembly: Body
) -> None:
    response = as_operator(operator).get("/bodies/rio-seco/?page=abc")
    assert response.status_code == 200
    assert "Vecina Número 0000" in response.content.decode()


def test_searching_finds_a_member_by_part_of_the_name(operator: Any, big_assembly: Body) -> None:
    response = as_operator(operator).get("/bodies/rio-seco/?q=0457")
    html = response.content.decode()
    assert "Vecina Número 0457" in html
    assert "Vecina Número 0458" not in html


def test_a_search_that_finds_nobody_says_so(operator: Any, big_assembly: Body) -> None:
    response = as_operator(operator).get("/bodies/rio-seco/?q=Zzyzx")
    assert response.status_code == 200
    assert "Vecina Número" not in response.content.decode()
