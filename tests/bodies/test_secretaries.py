"""A body is never left without a secretary: the last one cannot leave while no substitute
waits, and an operator can appoint a provisional secretary from the web until the body elects
one (issue 8, item 4). The office is a mandate (issue 11, item 3): elected or appointed, it
gives authority from its start to its end, and a membership's role gives none."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given, strategies as st

from consejo.bodies import services
from consejo.bodies.authority import is_secretary
from consejo.bodies.models import Body, Membership
from consejo.bodies.services import RosterRow
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.core.offices import leaves_body_headless
from consejo.elections import services as elections
from consejo.ledger.audit import audit
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates import services as mandates
from consejo.mandates.models import Mandate
from tests.builders import make_member, make_secretary


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    return client


@given(st.booleans(), st.integers(0, 5), st.integers(0, 5))
def test_only_the_last_officer_with_no_substitute_is_held_back(
    holds: bool, others: int, substitutes: int
) -> None:
    expected = holds and others == 0 and substitutes == 0
    assert (
        leaves_body_headless(
            leaving_holds_office=holds, other_holders=others, substitutes=substitutes
        )
        is expected
    )


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
    assert not is_secretary(member, plant, timezone.now())
    appointed = mandates.secretary_appoint_provisional(
        actor=operator, membership_id=before.pk, reason="el secretario se fue"
    )
    assert (appointed.office, appointed.role, appointed.provisional) == (
        "secretary",
        "delegate",
        True,
    )
    assert (appointed.member_id, appointed.council, appointed.constituency) == (
        before.member_id,
        plant,
        plant,
    )
    assert own_membership(member, plant) == before  # the membership is left as it was
    entry = LedgerEntry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "mandate.started"
    payload = json.loads(entry.payload)
    assert payload["member"] == member.member.pk
    assert payload["provisional"] is True
    assert payload["reason"] == "el secretario se fue"
    assert "Basilia" not in entry.payload
    assert ledger_verify().ok
    assert audit().ok
    # Now the new secretary acts for the body: the guard is lifted by a second secretary.
    services.member_add(actor=member, body_id=plant.pk, name="Nuevo", sector="worker")


@pytest.mark.django_db
def test_only_an_operator_appoints_a_provisional_secretary(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    member = make_member(actor=operator, body=plant, username="vecina")
    with pytest.raises(PermissionDenied):
        mandates.secretary_appoint_provisional(
            actor=secretary, membership_id=own_membership(member, plant).pk, reason="golpe"
        )
    response = client_for(secretary).post(
        f"/members/{member.member.pk}/provisional-secretary/",
        {"membership": own_membership(member, plant).pk, "reason": "golpe"},
    )
    assert response.status_code == 403
    assert not Mandate.objects.filter(member=member.member, office="secretary").exists()


@pytest.mark.django_db
def test_a_secretary_is_not_appointed_twice(operator: Any, plant: Body) -> None:
    secretary = make_secretary(actor=operator, body=plant, username="senkata")
    with pytest.raises(Conflict):
        mandates.secretary_appoint_provisional(
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
    assert Mandate.objects.get(
        member=member.member, office="secretary", end__isnull=True
    ).provisional
    assert "(provisional)" in response.content.decode()
    # She holds the office now: the form to appoint her is gone.
    assert "Designar secretario/a provisional de Planta" not in response.content.decode()


@pytest.mark.django_db
def test_a_membership_registered_as_secretary_is_refused(operator: Any, plant: Body) -> None:
    with pytest.raises(InvalidInput, match="la elige el organismo"):
        services.member_add(
            actor=operator, body_id=plant.pk, name="Nadie", sector="worker", role="secretary"
        )


@pytest.mark.django_db
def test_an_elected_secretary_acts_until_the_next_election_replaces_her(
    clock: Any, operator: Any, plant: Body
) -> None:
    first = make_member(actor=operator, body=plant, username="primera", name="Primera")
    second = make_member(actor=operator, body=plant, username="segunda", name="Segunda")
    now = office_election(operator, plant, [first.member, second.member], [30, 10]).counted_at
    assert is_secretary(first, plant, now)
    assert not is_secretary(second, plant, now)  # a substitute waits: she does not act
    clock(timedelta(days=30))
    replaced = office_election(operator, plant, [second.member], [25]).counted_at
    assert is_secretary(second, plant, replaced)
    assert not is_secretary(first, plant, replaced)
    assert is_secretary(first, plant, now)  # the record keeps who acted when
    with pytest.raises(PermissionDenied):
        services.member_add(actor=first, body_id=plant.pk, name="Tarde", sector="worker")


@pytest.mark.django_db
def test_when_the_secretary_leaves_her_substitute_takes_the_office(
    clock: Any, operator: Any, plant: Body
) -> None:
    first = make_member(actor=operator, body=plant, username="primera", name="Primera")
    second = make_member(actor=operator, body=plant, username="segunda", name="Segunda")
    office_election(operator, plant, [first.member, second.member], [30, 10])
    # With a substitute waiting, the secretary may leave: the body is not left headless.
    clock(timedelta(days=3))
    ended = services.membership_end(actor=first, membership_id=own_membership(first, plant).pk)
    now = ended.end
    assert not is_secretary(first, plant, now)
    assert is_secretary(second, plant, now)
    services.member_add(actor=second, body_id=plant.pk, name="Nuevo", sector="worker")
    assert audit().ok


def office_election(operator: Any, body: Body, standing: list[Any], votes: list[int]) -> Any:
    """The body's assembly elects its secretary on paper, entered and counted by ``operator``."""
    now = timezone.now()
    election = elections.election_create(
        actor=operator,
        body_id=body.pk,
        council_id=body.pk,
        office="secretary",
        title="Secretaría",
        method="plurality",
        mode="paper",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
    )
    keys = [
        elections.candidate_nominate(actor=operator, election_id=election.pk, member_id=m.pk).pk
        for m in standing
    ]
    elections.paper_tally_enter(
        actor=operator,
        election_id=election.pk,
        ballots=[([k], n) for k, n in zip(keys, votes, strict=True)],
    )
    return elections.election_count(actor=operator, election_id=election.pk)
