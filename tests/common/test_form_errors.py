"""A form that comes back with errors puts them where the eye is.

The register form sits at the foot of a body's page, below a roster of hundreds: on a phone, the
page that comes back opens at its top, and an error shown only by the field is never seen. The
errors are gathered in one box that the browser focuses on load (``autofocus`` on an element
with ``tabindex="-1"``, so it scrolls to it), each field's error named by the field's label
(consejo/templates/form_errors.html). tests/e2e/test_narrow.py has the pages at 360 px.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consejo.bodies.models import Member
from tests.builders import SmallFederation, build_small_federation, make_secretary

pytestmark = pytest.mark.django_db

ALERT = re.compile(r'<div class="error" role="alert" tabindex="-1" autofocus>(.*?)</div>', re.S)


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


def alert(response: Any) -> list[str]:
    """The messages of the page's focused error box (none: no box)."""
    found = ALERT.findall(html.unescape(response.content.decode()))
    assert len(found) <= 1, "one box of errors a page"
    return re.findall(r"<p>(.*?)</p>", found[0]) if found else []


def test_a_refused_registration_focuses_the_services_message(
    client: Client, operator: Any, federation: SmallFederation
) -> None:
    client.force_login(make_secretary(actor=operator, body=federation.neighborhood))
    members = Member.objects.count()
    url = reverse("body", args=[federation.neighborhood.slug])
    response = client.post(url, {"name": "Rosa Apaza", "sector": "resident", "phone": "call me"})
    assert response.status_code == 400
    assert alert(response) == ["el teléfono solo puede tener dígitos, espacios y un + al inicio"]
    assert Member.objects.count() == members


def test_a_field_error_is_named_by_its_field_in_the_box(
    client: Client, operator: Any, federation: SmallFederation
) -> None:
    client.force_login(make_secretary(actor=operator, body=federation.neighborhood))
    url = reverse("body", args=[federation.neighborhood.slug])
    response = client.post(url, {"name": "", "sector": "resident", "phone": ""})
    assert response.status_code == 400
    assert alert(response) == ["Nombre: Este campo es obligatorio."]


def test_a_page_without_errors_has_no_box(
    client: Client, operator: Any, federation: SmallFederation
) -> None:
    client.force_login(make_secretary(actor=operator, body=federation.neighborhood))
    assert alert(client.get(reverse("body", args=[federation.neighborhood.slug]))) == []
    assert alert(client.get(reverse("election_new", args=[federation.neighborhood.slug]))) == []


def test_calling_an_election_that_closes_before_it_opens_focuses_the_message(
    client: Client, operator: Any, federation: SmallFederation
) -> None:
    client.force_login(make_secretary(actor=operator, body=federation.neighborhood))
    now = timezone.localtime()
    response = client.post(
        reverse("election_new", args=[federation.neighborhood.slug]),
        {
            "council": federation.council.slug,
            "title": "Al revés",
            "method": "plurality",
            "mode": "open",
            "opens_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    assert alert(response) == ["la votación debe cerrarse después de abrirse"]
