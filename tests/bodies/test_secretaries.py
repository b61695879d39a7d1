"""A body is never left without a secretary: the last one cannot leave, and an operator can
appoint a provisional secretary from the web until the body elects one (issue 8, item 4)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import given, strategies as st

from consejo.bodies import services
from consejo.bodies.models import Body, Membership, MembershipRole
from consejo.bodies.services import RosterRow
from consejo.core.errors import Conflict, PermissionDenied
from consejo.core.offices import leaves_body_headless
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.builders import make_member, make_secretary


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    return client


@given(st.sampled_from(["member", "secretary"]), st.integers(0, 5))
def test_only_the_last_open_secretary_membership_is_held_back(role: str, secretaries: int) -> None:
    expected = role == "secretary" and secretaries <= 1
    assert leaves_body_headless(ending_role=role, open_secretaries=secretaries) is expected


@pytest.fixture
def plant(operator: Any) -> Body:
    return services.body_create(actor=operator, name="Planta", slug="senkata", kind="workplace")


def own_membership(user: Any, body: Body) -> Membership:
    return Membership.objects.get(member__user=user, body=body, end__isnull=True)


@pytest.mark.django_db
def test_the_only_secretary_cannot_end_their_own_membership(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    mine = own_membership(secretary, plant)
    with pytest.raises(Conflict, match="only secretary"):
        services.membership_end(actor=secretary, membership_id=mine.pk)
    # Nor can an operator leave the body headless: the guard is the body's, not the actor's.
    with pytest.raises(Conflict):
        services.membership_end(actor=operator, membership_id=mine.pk)
    assert own_membership(secretary, plant).end is None


@pytest.mark.django_db
def test_one_of_two_secretaries_may_leave(operator: Any, plant: Body) -> None:
    first = make_secretary(actor=operator, body=plant, username="uno", name="Uno")
    make_secretary(actor=operator, body=plant, username="dos", name="Dos")
    ended = services.membership_end(actor=first, membership_id=own_membership(first, plant).pk)
    assert ended.end is not None


@pytest.mark.django_db
def test_the_roster_button_refuses_the_last_secretary_with_a_message_in_spanish(
    operator: Any, plant: Body
) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    mine = own_membership(secretary, plant)
    client = client_for(secretary)
    roster = client.get("/bodies/senkata/").content.decode()
    # The roster offers no "Dar de baja" for the only secretary, and says why.
    assert f"/bodies/senkata/memberships/{mine.pk}/end/" not in roster
    assert "único secretario" in roster
    for confirm in ("", "yes"):  # asked for the confirmation, or posted straight
        response = client.post(
            f"/bodies/senkata/memberships/{mine.pk}/end/", {"confirm": confirm}, follow=True
        )
        assert response.status_code == 200
        assert "es el único secretario del organismo" in response.content.decode()
    assert own_membership(secretary, plant).end is None


@pytest.mark.django_db
def test_an_operator_appoints_a_provisional_secretary_recorded_with_ids(
    operator: Any, plant: Body
) -> None:
    member = make_member(actor=operator, body=plant, username="vecina", name="Basilia Ticona")
    before = own_membership(member, plant)
    appointed = services.secretary_appoint_provisional(
        actor=operator, membership_id=before.pk, reason="el secretario se fue"
    )
    assert appointed.role == MembershipRole.SECRETARY
    assert appointed.provisional
    assert appointed.member_id == before.member_id
    assert appointed.sector == before.sector
    before.refresh_from_db()
    assert before.end == appointed.start
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "secretary.appointed"
    payload = json.loads(entry.payload)
    assert payload["member"] == member.member.pk
    assert payload["provisional"] is True
    assert "Basilia" not in entry.payload
    assert ledger_verify().ok
    # Now the new secretary acts for the body: the guard is lifted by a second secretary.
    services.member_add(actor=member, body_id=plant.pk, name="Nuevo", sector="worker")


@pytest.mark.django_db
def test_only_an_operator_appoints_a_provisional_secretary(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    member = make_member(actor=operator, body=plant, username="vecina")
    with pytest.raises(PermissionDenied):
        services.secretary_appoint_provisional(
            actor=secretary, membership_id=own_membership(member, plant).pk, reason="golpe"
        )
    response = client_for(secretary).post(
        f"/members/{member.member.pk}/provisional-secretary/",
        {"membership": own_membership(member, plant).pk, "reason": "golpe"},
    )
    assert response.status_code == 403
    assert own_membership(member, plant).role == MembershipRole.MEMBER


@pytest.mark.django_db
def test_a_secretary_is_not_appointed_twice(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    with pytest.raises(Conflict):
        services.secretary_appoint_provisional(
            actor=operator, membership_id=own_membership(secretary, plant).pk, reason="otra vez"
        )


@pytest.mark.django_db
def test_an_operator_appoints_from_the_member_page_in_spanish(operator: Any, plant: Body) -> None:
    # Past a thousand memberships, so that a number written "1.234" in Spanish would show.
    rows = [RosterRow(name=f"Persona {i}", sector="worker") for i in range(1001)]
    services.membership_import(actor=operator, body_id=plant.pk, rows=rows)
    member = make_member(actor=operator, body=plant, username="vecina", name="Basilia Ticona")
    client = client_for(operator)
    page = client.get(f"/members/{member.member.pk}/").content.decode()
    assert "Designar secretario/a provisional de Planta" in page
    hidden = re.search(r'name="membership" value="([^"]+)"', page)
    assert hidden is not None
    assert hidden.group(1) == str(own_membership(member, plant).pk)
    # A GET on the form's address answers with the page it belongs to.
    assert client.get(f"/members/{member.member.pk}/provisional-secretary/").status_code == 302
    response = client.post(
        f"/members/{member.member.pk}/provisional-secretary/",
        {"membership": own_membership(member, plant).pk, "reason": "el secretario se fue"},
        follow=True,
    )
    assert "secretario/a provisional de Planta" in response.content.decode()
    assert own_membership(member, plant).provisional
    assert "(provisional)" in response.content.decode()
