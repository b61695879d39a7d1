"""The admin of elections and mandates: it reads, it never writes except through the count
service (an action), and it keeps secret ballots secret (no order of voting, no voter)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.mandates.models import Mandate
from tests.builders import RunningElection, build_running_election, build_small_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(operator: Any) -> Client:
    client = Client()
    client.force_login(operator)
    return client


def run(operator: Any, time_machine: Any, mode: str = "secret") -> RunningElection:
    federation = build_small_federation(actor=operator)
    return build_running_election(
        actor=operator, federation=federation, traveller=time_machine, mode=mode
    )


def vote_in_reverse_order_of_names(election: RunningElection) -> list[list[int]]:
    """Every voter votes, the last by name first; returns the ballots in the order cast."""
    ids = [c.pk for c in election.candidates]
    cast = []
    for i, (_name, user) in enumerate(sorted(election.voters.items(), reverse=True)):
        choices = [ids[(i + k) % len(ids)] for k in range(3)]
        services.ballot_cast(actor=user, election_id=election.election.pk, choices=choices)
        cast.append(choices)
    return cast


def counted(operator: Any, time_machine: Any, mode: str = "secret") -> RunningElection:
    election = run(operator, time_machine, mode)
    vote_in_reverse_order_of_names(election)
    election.close_and_decrypt(time_machine)
    services.election_count(actor=election.secretary, election_id=election.election.pk)
    return election


def test_every_changelist_and_change_page_opens_for_the_operator(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    counted(operator, time_machine)
    pages = {
        "election": Election.objects.first(),
        "candidate": Candidate.objects.first(),
        "voter": Voter.objects.first(),
        "ballot": Ballot.objects.first(),
    }
    for model, row in pages.items():
        assert row is not None
        listing = admin_client.get(f"/admin/elections/{model}/")
        assert listing.status_code == 200, model
        change = admin_client.get(f"/admin/elections/{model}/{row.pk}/change/")
        assert change.status_code == 200, model
    mandate = Mandate.objects.first()
    assert mandate is not None
    assert admin_client.get("/admin/mandates/mandate/").status_code == 200
    assert admin_client.get(f"/admin/mandates/mandate/{mandate.pk}/change/").status_code == 200
    for query in ("?q=Senkata", "?method__exact=scottish-stv", "?counted_at__isnull=True"):
        assert admin_client.get(f"/admin/elections/election/{query}").status_code == 200
    assert admin_client.get("/admin/mandates/mandate/?role__exact=delegate").status_code == 200


def test_the_election_list_shows_the_phase(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine)
    with_english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = admin_client.get("/admin/elections/election/", **with_english).content.decode()
    assert election.election.title in page
    assert "voting" in page


def test_the_admin_changes_nothing_itself(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = counted(operator, time_machine)
    for model in ("election", "candidate", "voter", "ballot"):
        assert admin_client.get(f"/admin/elections/{model}/add/").status_code == 403
    pk = election.election.pk
    response = admin_client.post(f"/admin/elections/election/{pk}/change/", {"title": "Otra"})
    assert response.status_code == 403
    assert admin_client.post(f"/admin/elections/election/{pk}/delete/").status_code == 403
    assert Election.objects.get(pk=pk).title == election.election.title


def test_the_count_action_counts_and_seats_the_delegation(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine)
    vote_in_reverse_order_of_names(election)
    election.close_and_decrypt(time_machine)
    response = admin_client.post(
        "/admin/elections/election/",
        {"action": "count_elections", "_selected_action": [election.election.pk]},
    )
    assert response.status_code == 302
    assert Election.objects.get(pk=election.election.pk).counted_at is not None
    # Four seats, four candidates: four delegates and nobody left to be a substitute.
    assert Mandate.objects.filter(origin=f"election:{election.election.pk}").count() == 4
    levels = {m.level_tag for m in get_messages(response.wsgi_request)}
    assert levels == {"success"}


def test_the_count_action_reports_a_refusal_and_counts_nothing(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine)
    vote_in_reverse_order_of_names(election)  # voting is still open
    response = admin_client.post(
        "/admin/elections/election/",
        {"action": "count_elections", "_selected_action": [election.election.pk]},
    )
    assert response.status_code == 302
    assert Election.objects.get(pk=election.election.pk).counted_at is None
    assert not Mandate.objects.filter(office="").exists()  # no seats; offices are mandates too
    errors = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert len(errors) == 1
    assert election.election.title in errors[0]


def test_voters_are_listed_by_name_not_in_the_order_they_voted(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine)
    vote_in_reverse_order_of_names(election)
    page = admin_client.get("/admin/elections/voter/").content.decode()
    names = sorted(user.member.name for user in election.voters.values())
    positions = [page.index(name) for name in names]
    assert positions == sorted(positions)


def test_secret_ballots_show_no_voter_and_come_sorted_by_what_they_say(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine)
    cast = vote_in_reverse_order_of_names(election)
    # Secret ballots become rows when they are counted (until then they are the box's counts).
    election.close_and_decrypt(time_machine)
    services.election_count(actor=election.secretary, election_id=election.election.pk)
    page = admin_client.get("/admin/elections/ballot/").content.decode()
    for user in election.voters.values():
        assert user.member.name not in page
    shown = sorted(str(choices) for choices in cast)
    positions = [page.index(text) for text in shown]
    assert positions == sorted(positions)
    assert "column-id" not in page
    assert "column-choices" in page


def test_an_open_ballot_shows_its_voter(
    admin_client: Client, operator: Any, time_machine: Any
) -> None:
    election = run(operator, time_machine, mode="open")
    vote_in_reverse_order_of_names(election)
    page = admin_client.get("/admin/elections/ballot/").content.decode()
    for user in election.voters.values():
        assert user.member.name in page
