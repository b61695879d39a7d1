"""The pages of calling an election and of its nominations phase, through the Django test client
as a secretary, a member and a visitor: the form, the list and the election page, nominating,
accepting and withdrawing.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from consejo.bodies.models import Membership
from consejo.boxes.models import Box
from consejo.elections import services
from consejo.elections.models import Candidate, Election
from tests.builders import (
    COUNCIL_NAME,
    SmallFederation,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)
from tests.elections.pages import _called, _vecina, en_client, messages_of, text

pytestmark = pytest.mark.django_db


# --- calling an election ---


def test_the_secretary_calls_an_election_from_the_form(
    operator: Any, federation: SmallFederation
) -> None:
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    client = en_client(secretary)
    url = reverse("election_new", args=[federation.neighborhood.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert f"{COUNCIL_NAME} (4 seats apportioned)" in text(page)
    assert 'type="datetime-local"' in text(page)
    assert "America/La_Paz" in text(page)  # the time zone of the inputs is said
    now = timezone.localtime()
    fields = {
        "council": federation.council.slug,
        "title": "Delegados 2005",
        "method": "meek-stv",
        "mode": "secret",
        "opens_at": (now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "",
        "substitutes": "2",
    }
    refused = client.post(url, fields)  # a secret ballot without trustees
    assert refused.status_code == 400
    assert "at least three trustees" in text(refused)
    trustees = trustee_members(trustee_logins(actor=operator, body=federation.neighborhood))
    page = client.get(url)
    for member in trustees:  # offered by name: members with a login
        assert member.name in text(page)
    response = client.post(url, fields | {"trustees": [str(m.pk) for m in trustees]})
    election = Election.objects.get()
    box = Box.objects.get(purpose=f"election:{election.pk}")
    assert list(box.trustees.order_by("index").values_list("member_id", flat=True)) == [
        m.pk for m in trustees
    ]
    assert box.threshold == 2
    assert response.status_code == 302
    assert response["Location"] == reverse("election", args=[election.pk])
    assert (election.seats, election.substitutes, election.method) == (4, 2, "meek-stv")
    assert timezone.localtime(election.opens_at).hour == (now + timedelta(hours=2)).hour


def test_the_secretary_calls_an_election_for_an_office_of_the_body(
    operator: Any, federation: SmallFederation
) -> None:
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    client = en_client(secretary)
    url = reverse("election_new", args=[federation.neighborhood.slug])
    page = text(client.get(url))
    assert f"chair of {federation.neighborhood.name}" in page
    assert 'value="office:secretary"' in page
    now = timezone.localtime()
    fields = {
        "council": "office:secretary",
        "title": "Secretaría 2005",
        "method": "plurality",
        "mode": "paper",
        "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "seats": "",
        "substitutes": "",
    }
    response = client.post(url, fields)
    assert response.status_code == 302, text(response)
    election = Election.objects.get(title="Secretaría 2005")
    assert (election.office, election.council, election.seats, election.substitutes) == (
        "secretary",
        federation.neighborhood,
        1,
        1,
    )
    # An office holds one seat: asking for two is refused where the eye is, nothing written.
    refused = client.post(url, fields | {"title": "Dos secretarías", "seats": "2"})
    assert refused.status_code == 400
    assert "one holder" in text(refused)
    assert not Election.objects.filter(title="Dos secretarías").exists()


def test_calling_an_election_that_closes_before_it_opens_shows_the_message(
    operator: Any, federation: SmallFederation
) -> None:
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    now = timezone.localtime()
    response = en_client(secretary).post(
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
    assert "voting must close after it opens" in text(response)
    assert not Election.objects.exists()


def test_a_plain_member_may_not_call_an_election(
    operator: Any, federation: SmallFederation
) -> None:
    member = make_member(actor=operator, body=federation.neighborhood)
    response = en_client(member).get(reverse("election_new", args=[federation.neighborhood.slug]))
    assert response.status_code == 403


# --- the election page in each phase ---


def test_the_list_and_the_election_page_in_the_nominations_phase(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, _secretary, _member = _called(operator, federation, time_machine)
    listing = en_client().get(reverse("elections"))
    assert listing.status_code == 200
    assert "Delegados de Senkata" in text(listing)
    assert "nominations" in text(listing)
    page = en_client().get(reverse("election", args=[election.pk]))
    assert page.status_code == 200
    assert "Nobody has been nominated yet." in text(page)
    assert "Nominate a candidate" not in text(page)  # a visitor does not nominate


def test_a_member_finds_a_fellow_member_by_name_and_nominates_them_who_then_accepts(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, _secretary, member = _called(operator, federation, time_machine)
    nominee_user = make_member(
        actor=operator, body=federation.neighborhood, username="nominada", name="Juana Apaza"
    )
    client = en_client(member)
    page = client.get(reverse("election", args=[election.pk]), {"q": "apaza"})
    assert "Juana Apaza" in text(page)
    nominee = Membership.objects.get(member__user=nominee_user).member
    response = client.post(
        reverse("candidate_nominate", args=[election.pk]), {"member": nominee.pk}, follow=True
    )
    assert "Juana Apaza is nominated and stands once they accept." in messages_of(response)
    candidate = Candidate.objects.get(election=election)
    assert not candidate.standing
    assert "nominated, not yet accepted" in text(response)
    # The nominee sees accept and decline buttons on their own nomination, and accepts.
    own = en_client(nominee_user).get(reverse("election", args=[election.pk]))
    assert "I accept" in text(own)
    assert "I decline" in text(own)
    accepted = en_client(nominee_user).post(
        reverse("candidate_accept", args=[election.pk, candidate.pk]), follow=True
    )
    assert "The nomination is accepted." in messages_of(accepted)
    candidate.refresh_from_db()
    assert candidate.standing
    # The nominator may not accept on someone's behalf: no button, and a 403 if they try.
    assert "I accept" not in text(client.get(reverse("election", args=[election.pk])))


def test_a_member_nominates_herself_with_a_statement_and_stands_at_once(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, _secretary, member = _called(operator, federation, time_machine)
    me = Membership.objects.get(member__user=member).member
    response = en_client(member).post(
        reverse("candidate_nominate", args=[election.pk]),
        {"member": me.pk, "statement": "Gas para todos los barrios."},
        follow=True,
    )
    assert "Basilia Ticona stands." in messages_of(response)
    assert "Gas para todos los barrios." in text(response)
    assert "Nominate myself" not in text(response)


def test_nominating_twice_shows_the_conflict_as_a_message(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, _member = _called(operator, federation, time_machine)
    vecina = _vecina(federation, 1)
    client = en_client(secretary)
    client.post(reverse("candidate_nominate", args=[election.pk]), {"member": vecina.pk})
    again = client.post(
        reverse("candidate_nominate", args=[election.pk]), {"member": vecina.pk}, follow=True
    )
    assert again.status_code == 200
    assert any("already nominated" in m for m in messages_of(again))


def test_the_secretary_withdraws_anyones_nomination(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, _member = _called(operator, federation, time_machine)
    candidate = services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=_vecina(federation, 2).pk
    )
    response = en_client(secretary).post(
        reverse("candidate_withdraw", args=[election.pk, candidate.pk]), follow=True
    )
    assert "The nomination is withdrawn." in messages_of(response)
    candidate.refresh_from_db()
    assert candidate.withdrawn_at is not None
    assert "withdrawn" in text(response)


def test_a_stranger_cannot_withdraw_someone_elses_nomination(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, member = _called(operator, federation, time_machine)
    candidate = services.candidate_nominate(
        actor=secretary, election_id=election.pk, member_id=_vecina(federation, 2).pk
    )
    response = en_client(member).post(
        reverse("candidate_withdraw", args=[election.pk, candidate.pk])
    )
    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.withdrawn_at is None
