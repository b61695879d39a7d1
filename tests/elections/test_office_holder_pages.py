"""Where those elected show, through the Django test client: the body, council and member
pages after a count, the navigation, and who sees the names of those who seek and hold office
(core.visibility; docs/privacy.md) on the election page, its results, CSV and BLT.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from consejo.bodies import services as services_bodies
from consejo.elections import services
from consejo.elections.models import Election
from consejo.mandates.models import Mandate
from tests.builders import COUNCIL_NAME, RunningElection, SmallFederation, make_member
from tests.elections.pages import _vote_all, en_client, text

pytestmark = pytest.mark.django_db


# --- links from bodies and members ---


def test_the_body_page_lists_its_elections_and_the_council_page_its_seated_delegates(
    run: RunningElection, federation: SmallFederation, time_machine: Any
) -> None:
    secretary_view = en_client(run.secretary).get(
        reverse("body", args=[federation.neighborhood.slug])
    )
    assert run.election.title in text(secretary_view)
    assert reverse("election_new", args=[federation.neighborhood.slug]) in text(secretary_view)
    member_view = en_client(run.voters["votante-1"]).get(
        reverse("body", args=[federation.neighborhood.slug])
    )
    assert reverse("election_new", args=[federation.neighborhood.slug]) not in text(member_view)
    _vote_all(run)
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    elected = Election.objects.get(pk=run.election.pk).result["elected"]
    member = en_client(run.voters["votante-1"])
    council = member.get(reverse("body", args=[federation.council.slug]))
    assert "Delegates seated here" in text(council)
    for name in elected:
        assert name in text(council)
    base = member.get(reverse("body", args=[federation.neighborhood.slug]))
    assert "Our delegates" in text(base)
    assert elected[0] in text(base)
    # The anonymous web sees the seats, not who holds them.
    public = text(en_client().get(reverse("body", args=[federation.council.slug])))
    assert "Delegates seated here" in public
    assert not any(name in public for name in elected)
    assert "to see the delegates&#x27; names" in public or "to see the delegates' names" in public


def test_a_member_page_shows_the_members_mandates(
    run: RunningElection, operator: Any, time_machine: Any
) -> None:
    _vote_all(run)
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    mandate = Mandate.objects.filter(role="delegate").select_related("member").first()
    assert mandate is not None
    page = en_client(operator).get(reverse("member", args=[mandate.member_id]))
    assert page.status_code == 200
    assert COUNCIL_NAME in text(page)
    assert "delegate 1" in text(page) or "delegate" in text(page)


def test_the_navigation_links_to_the_elections(client: Client) -> None:
    assert reverse("elections") in client.get(reverse("home")).content.decode()


# ------------------------------------------------------------------------------------------------
# Who sees the names of those who seek and hold office (core.visibility; docs/privacy.md)


def _counted(run: RunningElection, time_machine: Any) -> Election:
    _vote_all(run)
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    return Election.objects.get(pk=run.election.pk)


def test_the_anonymous_web_gets_no_results_csv_or_blt_but_the_login_page(
    run: RunningElection, time_machine: Any
) -> None:
    election = _counted(run, time_machine)
    for name in ("election_results", "election_csv", "election_blt"):
        response = en_client().get(reverse(name, args=[election.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    page = text(en_client().get(reverse("election", args=[election.pk])))
    for candidate in run.candidates:
        assert candidate.member.name not in page
    assert "Log in as a member of the federation" in page


def test_a_login_with_no_membership_is_refused_the_results(
    run: RunningElection, time_machine: Any, outsider: Any
) -> None:
    election = _counted(run, time_machine)
    for name in ("election_results", "election_csv", "election_blt"):
        assert en_client(outsider).get(reverse(name, args=[election.pk])).status_code == 403


def test_a_member_anywhere_in_the_federation_sees_who_was_elected(
    run: RunningElection, time_machine: Any, operator: Any
) -> None:
    election = _counted(run, time_machine)
    other = services_bodies.body_create(
        actor=operator, name="Otra mina", slug="otra-mina", kind="mine"
    )
    miner = make_member(actor=operator, body=other, username="minero", name="Minero Lejano")
    page = text(en_client(miner).get(reverse("election_results", args=[election.pk])))
    assert election.result["elected"][0] in page
    candidates = text(en_client(miner).get(reverse("election", args=[election.pk])))
    assert all(c.member.name in candidates for c in run.candidates)


def test_an_installation_can_make_office_holders_public(
    run: RunningElection, time_machine: Any, settings: Any
) -> None:
    election = _counted(run, time_machine)
    settings.CONSEJO_PUBLIC_OFFICE_HOLDERS = True
    response = en_client().get(reverse("election_results", args=[election.pk]))
    assert response.status_code == 200
    assert election.result["elected"][0] in text(response)
