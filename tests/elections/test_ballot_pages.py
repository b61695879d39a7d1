"""The ballot pages, through the Django test client as a member, an outsider and a visitor:
the election page while voting, ranking and marking candidates, the confirmation with its tracker,
every refusal with its message (in Spanish too), voting twice or after the close, and the rate
limit.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consejo.boxes.models import SealedBallot
from consejo.elections import services
from consejo.elections.models import Ballot, Voter
from consejo.elections.selectors import standing_candidates
from tests.builders import (
    RunningElection,
    SmallFederation,
    build_running_election,
    make_member,
    make_secretary,
    secret_box,
)
from tests.elections.pages import (
    _ranks,
    _vecina,
    en_client,
    messages_of,
    sealed_page,
    text,
)

pytestmark = pytest.mark.django_db


def test_the_voting_phase_shows_the_ballot_button_to_a_member_and_turnout_to_all(
    run: RunningElection,
) -> None:
    member_page = en_client(run.voters["votante-1"]).get(
        reverse("election", args=[run.election.pk])
    )
    assert reverse("ballot", args=[run.election.pk]) in text(member_page)
    assert "Vote now" in text(member_page)
    visitor = en_client().get(reverse("election", args=[run.election.pk]))
    assert "Vote now" not in text(visitor)
    assert "Log in to vote" in text(visitor)
    assert "members have voted" in text(visitor)
    assert "voting open" in text(visitor)


# --- the ballot ---


def test_a_member_ranks_the_candidates_and_sees_the_confirmation(
    run: RunningElection,
) -> None:
    client = en_client(run.voters["votante-1"])
    form = client.get(reverse("ballot", args=[run.election.pk]))
    assert form.status_code == 200
    assert "Number the candidates in the order you prefer them." in text(form)
    assert text(form).count('type="number"') == 4
    response = client.post(
        reverse("ballot", args=[run.election.pk]), _ranks(run, ["2", "1", "", "3"])
    )
    # The confirmation is this page, with the tracker, shown once (never kept in the session).
    assert sealed_page(response)
    [tracker] = SealedBallot.objects.values_list("tracker", flat=True)
    assert tracker[:16] in text(response)
    listed = client.get(reverse("box_trackers", args=[run.box.reference]), {"q": tracker[:8]})
    assert "Found:" in text(listed)
    assert tracker[16:32] in text(listed)
    after = client.get(reverse("election", args=[run.election.pk]))
    assert "You have voted in this election." in text(after)
    assert tracker[:16] not in text(after)
    standing = standing_candidates(run.election)
    # Secret: sealed, no ballot row of its own while voting is open.
    assert secret_box(run.election) == {(standing[1].pk, standing[0].pk, standing[3].pk): 1}
    assert not Ballot.objects.exists()
    assert "<strong>1</strong> / " in text(after)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (["1", "3", "", ""], "without gaps or repeats"),
        (["1", "1", "", ""], "without gaps or repeats"),
        (["", "", "", ""], "The ballot is empty"),
        (["1", "dos", "", ""], "Write whole numbers only"),
        (["1", "²", "", ""], "Write whole numbers only"),
        (["1", "-2", "", ""], "Write whole numbers only"),
    ],
)
def test_a_bad_ranking_is_refused_with_a_message_and_nothing_is_recorded(
    run: RunningElection, numbers: list[str], message: str
) -> None:
    response = en_client(run.voters["votante-1"]).post(
        reverse("ballot", args=[run.election.pk]), _ranks(run, numbers)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Voter.objects.exists()
    assert not Ballot.objects.exists()
    # What the voter wrote is kept so that they can correct it.
    assert f'value="{numbers[0]}"' in text(response)


@pytest.mark.parametrize(
    ("numbers", "message"),
    [
        (["1", "3", "", ""], "Numere sus preferencias 1, 2, 3… sin saltos ni repeticiones"),
        (["", "", "", ""], "El voto está vacío: elija al menos una candidatura"),
    ],
)
def test_a_refused_ballot_says_why_in_spanish_at_the_top_of_the_page_and_takes_the_focus(
    run: RunningElection, numbers: list[str], message: str
) -> None:
    client = Client()  # Spanish, the default language
    client.force_login(run.voters["votante-1"])
    response = client.post(reverse("ballot", args=[run.election.pk]), _ranks(run, numbers))
    assert response.status_code == 400
    page = text(response)
    alert = f'<p class="error" role="alert" id="ballot-error" tabindex="-1" autofocus>{message}</p>'
    assert alert in page
    # Above the title and the instructions: the first thing in the page, where a phone opens.
    assert page.index(alert) < page.index("<h1>") < page.index('<ul class="choices">')


def test_a_block_vote_ballot_naming_a_non_candidate_is_refused(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    run = build_running_election(
        actor=operator, federation=federation, traveller=time_machine, method="plurality"
    )
    client = en_client(run.voters["votante-1"])
    form = client.get(reverse("ballot", args=[run.election.pk]))
    assert "Mark at most 4 candidates." in text(form)
    assert text(form).count('type="checkbox"') == 4
    standing = standing_candidates(run.election)
    response = client.post(
        reverse("ballot", args=[run.election.pk]),
        {"choice": [str(standing[0].pk), "999999"]},
    )
    assert response.status_code == 400
    assert "not a candidate" in text(response)
    ok = client.post(reverse("ballot", args=[run.election.pk]), {"choice": [str(standing[0].pk)]})
    assert sealed_page(ok)
    assert secret_box(run.election) == {(standing[0].pk,): 1}


def test_marking_more_candidates_than_seats_is_refused(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    start = timezone.now()
    time_machine.move_to(start, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    voter = make_member(actor=operator, body=federation.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=federation.neighborhood.pk,
        council_id=federation.council.pk,
        title="Bloque",
        method="plurality",
        mode="open",
        opens_at=start + timedelta(hours=1),
        closes_at=start + timedelta(days=1),
    )
    for n in range(1, 7):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=_vecina(federation, n).pk
        )
    time_machine.move_to(start + timedelta(hours=2), tick=False)
    standing = standing_candidates(election)
    response = en_client(voter).post(
        reverse("ballot", args=[election.pk]), {"choice": [str(c.pk) for c in standing[:5]]}
    )
    assert response.status_code == 400
    assert "at most 4" in text(response)
    assert not Ballot.objects.exists()


def test_an_approval_ballot_takes_any_number_of_marks(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    run = build_running_election(
        actor=operator, federation=federation, traveller=time_machine, method="approval"
    )
    client = en_client(run.voters["votante-2"])
    assert "Mark every candidate you approve of." in text(
        client.get(reverse("ballot", args=[run.election.pk]))
    )
    standing = standing_candidates(run.election)
    response = client.post(
        reverse("ballot", args=[run.election.pk]), {"choice": [str(c.pk) for c in standing]}
    )
    assert sealed_page(response)
    [choices] = secret_box(run.election)
    assert len(choices) == 4


def test_voting_twice_says_so_clearly(run: RunningElection) -> None:
    client = en_client(run.voters["votante-1"])
    client.post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"]))
    again = client.post(
        reverse("ballot", args=[run.election.pk]), _ranks(run, ["2", "1"]), follow=True
    )
    assert again.status_code == 200
    assert "you have already voted in this election" in messages_of(again)
    assert sum(secret_box(run.election).values()) == 1
    form = client.get(reverse("ballot", args=[run.election.pk]), follow=True)
    assert "You have already voted in this election." in messages_of(form)


def test_someone_who_is_not_a_member_gets_the_403_page(run: RunningElection, outsider: Any) -> None:
    client = en_client(outsider)
    assert client.get(reverse("ballot", args=[run.election.pk])).status_code == 403
    response = client.post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"]))
    assert response.status_code == 403
    assert "You may not vote in this election" in text(response)
    assert not Voter.objects.exists()


def test_a_member_of_another_body_cannot_vote_either(
    run: RunningElection, operator: Any, federation: SmallFederation
) -> None:
    miner = make_member(actor=operator, body=federation.mine, username="minero", name="M. Choque")
    response = en_client(miner).post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"]))
    assert response.status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(run: RunningElection) -> None:
    response = en_client().get(reverse("ballot", args=[run.election.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_voting_after_the_close_is_refused_with_a_message(
    run: RunningElection, time_machine: Any
) -> None:
    client = en_client(run.voters["votante-1"])
    time_machine.move_to(run.closes + timedelta(minutes=1), tick=False)
    response = client.post(
        reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"]), follow=True
    )
    assert response.status_code == 200
    assert any("voting is not open" in m for m in messages_of(response))
    assert not Ballot.objects.exists()
    form = client.get(reverse("ballot", args=[run.election.pk]), follow=True)
    assert "This ballot is not open now." in messages_of(form)


def test_ballot_submissions_are_rate_limited_per_person(run: RunningElection) -> None:
    client = en_client(run.voters["votante-1"])
    for _ in range(20):
        client.post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1", "3"]))
    limited = client.post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"]))
    assert limited.status_code == 429
    assert "Too many attempts" in text(limited)
    assert not Ballot.objects.exists()
    # Someone else still votes.
    other = en_client(run.voters["votante-2"])
    assert sealed_page(other.post(reverse("ballot", args=[run.election.pk]), _ranks(run, ["1"])))
