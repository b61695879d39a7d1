"""The election pages: calling, nominating, voting, the paper tally, the count and the results,
through the Django test client as a secretary, a member, an outsider and a visitor.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

import html
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consejo.bodies import services as services_bodies
from consejo.bodies.models import Membership
from consejo.boxes.models import Box, SealedBallot
from consejo.core.counting.blt import read_blt
from consejo.core.sealed import files, steps
from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election, Voter
from consejo.elections.selectors import candidate_labels, standing_candidates
from consejo.mandates.models import Mandate
from tests.builders import (
    COUNCIL_NAME,
    RunningElection,
    SmallFederation,
    build_running_election,
    build_small_federation,
    key_ceremony,
    make_member,
    make_secretary,
    secret_box,
    trustee_logins,
    trustee_members,
)

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024


def en_client(user: Any = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def federation(operator: Any) -> SmallFederation:
    return build_small_federation(actor=operator)


@pytest.fixture
def run(operator: Any, federation: SmallFederation, time_machine: Any) -> RunningElection:
    """A secret Scottish STV election for 4 seats, 4 candidates standing, voting open now."""
    return build_running_election(actor=operator, federation=federation, traveller=time_machine)


def _called(
    operator: Any,
    federation: SmallFederation,
    time_machine: Any,
    *,
    method: str = "scottish-stv",
    mode: str = "secret",
    seats: int | None = None,
) -> tuple[Election, Any, Any]:
    """An election in its nominations phase; returns it, its secretary and a member's login."""
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    secretary = make_secretary(actor=operator, body=federation.neighborhood)
    member = make_member(actor=operator, body=federation.neighborhood)
    logins = trustee_logins(actor=operator, body=federation.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=federation.neighborhood.pk,
        council_id=federation.council.pk,
        title="Delegados de Senkata",
        method=method,
        mode=mode,
        opens_at=now - timedelta(minutes=1) if mode == "paper" else now + timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        trustee_ids=[m.pk for m in trustee_members(logins)] if mode == "secret" else (),
    )
    if mode == "secret":
        key_ceremony(election, logins)
    return election, secretary, member


def _vecina(federation: SmallFederation, n: int) -> Any:
    return (
        Membership.objects.select_related("member")
        .get(body=federation.neighborhood, member__name=federation.neighborhood_names[n - 1])
        .member
    )


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


def _ranks(run: RunningElection, numbers: list[str]) -> dict[str, str]:
    standing = standing_candidates(run.election)
    return {f"rank-{c.pk}": n for c, n in zip(standing, numbers, strict=False)}


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


# --- closing, counting and the results ---


def sealed_page(response: Any) -> bool:
    """The confirmation of a secret ballot: the page that shows its tracker."""
    return response.status_code == 200 and "Your ballot is sealed" in text(response)


def _vote_all(run: RunningElection) -> None:
    orders = [["1", "2"], ["2", "1"], ["1", "", "2"], ["", "1", "", "2"], ["", "", "1"], ["1"]]
    for (_name, user), numbers in zip(run.voters.items(), orders, strict=True):
        response = en_client(user).post(
            reverse("ballot", args=[run.election.pk]), _ranks(run, numbers)
        )
        assert sealed_page(response)


def test_after_the_close_the_secretary_counts_and_the_results_show_every_round(
    run: RunningElection, time_machine: Any
) -> None:
    _vote_all(run)
    time_machine.move_to(run.closes + timedelta(minutes=1), tick=False)
    plain = en_client(run.voters["votante-6"])  # neither secretary nor trustee
    member_view = plain.get(reverse("election", args=[run.election.pk]))
    assert "Count the ballots" not in text(member_view)
    assert "Close the ballot box" not in text(member_view)
    assert "voting closed" in text(member_view)
    assert "<strong>6</strong> / " in text(member_view)
    client = en_client(run.secretary)
    page = client.get(reverse("election", args=[run.election.pk]))
    assert "Count the ballots" not in text(page)  # the box is still shut
    closed = client.post(reverse("election_close", args=[run.election.pk]), follow=True)
    assert "The ballot box is closed and mixed." in messages_of(closed)[0]
    assert "0 of the 2 decryptions needed are in" in text(closed)
    # Each of two trustees downloads the box's file and brings back a decryption on its page.
    for index in (1, 2):
        trustee = en_client(run.trustees[index])
        box_page = trustee.get(reverse("box", args=[run.box.reference]))
        assert f"You are trustee {index}" in text(box_page)
        assert "decrypt your part of the mix" in text(box_page)
        download = trustee.get(reverse("box_download", args=[run.box.reference]))
        view = files.read_box(json.loads(download.content))
        assert view.you == index
        step = steps.step_decrypt(view, index, run.seeds[index])
        brought = trustee.post(
            reverse("box_step", args=[run.box.reference]), {"text": json.dumps(step)}, follow=True
        )
        assert "Step recorded. Thank you." in messages_of(brought)
    page = client.get(reverse("election", args=[run.election.pk]))
    assert "Count the ballots" in text(page)
    response = client.post(reverse("election_count", args=[run.election.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("election_results", args=[run.election.pk])
    assert "The ballots were counted and the delegates seated." in messages_of(response)
    election = Election.objects.get(pk=run.election.pk)
    body = text(response)
    for round_ in election.result["rounds"]:
        assert f'<th class="n">{round_["number"]}</th>' in body
        for name, votes in round_["votes"].items():
            assert name in body
            assert votes in body
    for name in election.result["elected"]:
        assert name in body
    assert election.seed in body
    assert f"#{election.ledger_seq}" in body
    assert "<svg" in body
    assert reverse("election_csv", args=[run.election.pk]) in body
    assert reverse("election_blt", args=[run.election.pk]) in body
    # The election page now links to the results and shows who was seated.
    after = client.get(reverse("election", args=[run.election.pk]))
    assert "See the results" in text(after)
    assert "Seated by this election" in text(after)
    # Counting twice is a message, not an error page.
    twice = client.post(reverse("election_count", args=[run.election.pk]), follow=True)
    assert "this election has already been counted" in messages_of(twice)


def test_a_member_cannot_count(run: RunningElection, time_machine: Any) -> None:
    _vote_all(run)
    time_machine.move_to(run.closes + timedelta(minutes=1), tick=False)
    response = en_client(run.voters["votante-1"]).post(
        reverse("election_count", args=[run.election.pk])
    )
    assert response.status_code == 403
    assert Election.objects.get(pk=run.election.pk).counted_at is None


def test_counting_while_voting_is_open_is_refused_with_a_message(run: RunningElection) -> None:
    response = en_client(run.secretary).post(
        reverse("election_count", args=[run.election.pk]), follow=True
    )
    assert any("voting is still open" in m for m in messages_of(response))


def test_results_and_exports_before_the_count_are_a_clear_refusal(run: RunningElection) -> None:
    for name in ("election_results", "election_csv", "election_blt"):
        response = en_client(run.secretary).get(reverse(name, args=[run.election.pk]))
        assert response.status_code == 409
        assert "has not been counted yet" in text(response)


def test_the_csv_and_blt_exports_hold_the_rounds_and_the_ballots(
    run: RunningElection, time_machine: Any
) -> None:
    _vote_all(run)
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    election = Election.objects.get(pk=run.election.pk)
    client = en_client(next(iter(run.voters.values())))
    csv = client.get(reverse("election_csv", args=[election.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    rounds = election.result["rounds"]
    assert lines[0] == "candidate," + ",".join(f"round {r['number']}" for r in rounds) + ",outcome"
    first = election.result["elected"][0]
    assert any(line.startswith(first + ",") and "elected in round" in line for line in lines)
    assert lines[-1].startswith("non-transferable,")
    blt = client.get(reverse("election_blt", args=[election.pk]))
    parsed = read_blt(blt.content.decode())
    standing = standing_candidates(election)
    assert parsed.candidates == candidate_labels(standing)
    index = {c.pk: i for i, c in enumerate(standing)}
    stored: dict[tuple[int, ...], int] = {}
    for choices, weight in Ballot.objects.filter(election=election).values_list(
        "choices", "weight"
    ):
        key = tuple(index[c] for c in choices)
        stored[key] = stored.get(key, 0) + weight
    assert dict(parsed.ballots) == stored
    assert parsed.total_weight == 6


def test_pages_of_an_election_with_twenty_candidates_weigh_under_60_kb(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    run = build_running_election(
        actor=operator, federation=federation, traveller=time_machine, candidates=20
    )
    client = en_client(run.voters["votante-1"])
    standing = standing_candidates(run.election)
    assert len(standing) == 20
    assert len(client.get(reverse("ballot", args=[run.election.pk])).content) < PAGE_LIMIT
    assert len(client.get(reverse("election", args=[run.election.pk])).content) < PAGE_LIMIT
    for i, (_name, user) in enumerate(run.voters.items()):
        numbers = [str((j + i) % 20 + 1) for j in range(20)]
        en_client(user).post(
            reverse("ballot", args=[run.election.pk]),
            {f"rank-{c.pk}": n for c, n in zip(standing, numbers, strict=True)},
        )
    run.close_and_decrypt(time_machine)
    services.election_count(actor=run.secretary, election_id=run.election.pk)
    results = client.get(reverse("election_results", args=[run.election.pk]))
    assert results.status_code == 200
    assert len(results.content) < PAGE_LIMIT


# --- paper ballots ---


def test_the_secretary_enters_a_block_vote_tally_and_counts_it(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, member = _called(
        operator, federation, time_machine, method="plurality", mode="paper"
    )
    for n in (1, 2, 3, 4, 5):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=_vecina(federation, n).pk
        )
    client = en_client(secretary)
    page = client.get(reverse("election", args=[election.pk]))
    assert "Enter the tally" in text(page)
    assert "Enter the tally" not in text(
        en_client(member).get(reverse("election", args=[election.pk]))
    )
    assert en_client(member).get(reverse("tally", args=[election.pk])).status_code == 403
    standing = standing_candidates(election)
    bad = client.post(reverse("tally", args=[election.pk]), {f"votes-{standing[0].pk}": "muchos"})
    assert bad.status_code == 400
    assert "is not a number of votes" in text(bad)
    votes = dict(zip(standing, ["40", "35", "30", "28", "0"], strict=True))
    response = client.post(
        reverse("tally", args=[election.pk]),
        {f"votes-{c.pk}": n for c, n in votes.items()},
        follow=True,
    )
    assert "The tally was entered: 133 votes." in messages_of(response)
    assert "133 votes entered." in text(response)
    # Entered: nominations are closed; the secretary may count.
    assert "Nominate a candidate" not in text(response)
    counted = client.post(reverse("election_count", args=[election.pk]), follow=True)
    result = Election.objects.get(pk=election.pk).result
    assert result["elected"] == [c.member.name for c in standing[:4]]
    assert "40" in text(counted)
    assert Mandate.objects.filter(origin=f"election:{election.pk}", role="delegate").count() == 4
    assert Mandate.objects.filter(origin=f"election:{election.pk}", role="substitute").count() == 1


def test_the_secretary_enters_a_ranked_tally_as_lines_and_a_bad_line_is_named(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, _member = _called(operator, federation, time_machine, mode="paper")
    for n in (1, 2, 3, 4, 5):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=_vecina(federation, n).pk
        )
    client = en_client(secretary)
    form = client.get(reverse("tally", args=[election.pk]))
    assert "37: 2 1 3" in text(form)
    bad = client.post(reverse("tally", args=[election.pk]), {"lines": "10: 1 2\n5: 1 9\n"})
    assert bad.status_code == 400
    assert "line 2" in text(bad)
    assert not Ballot.objects.exists()
    repeat = client.post(reverse("tally", args=[election.pk]), {"lines": "10: 1 1\n"})
    assert repeat.status_code == 400
    assert "line 1" in text(repeat)
    ok = client.post(
        reverse("tally", args=[election.pk]),
        {"lines": "# pile A\n20: 1 2\n15: 2 3\n12: 3 1\n10: 4 5\n8: 5 4 1\n"},
        follow=True,
    )
    assert "The tally was entered: 65 ballots." in messages_of(ok)
    standing = standing_candidates(election)
    assert Ballot.objects.get(weight=8).choices == [standing[4].pk, standing[3].pk, standing[0].pk]


def test_the_secretary_uploads_a_blt_tally(
    operator: Any, federation: SmallFederation, time_machine: Any
) -> None:
    election, secretary, _member = _called(operator, federation, time_machine, mode="paper")
    for n in (1, 2, 3):
        services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=_vecina(federation, n).pk
        )
    names = [f'"{name}"' for name in federation.neighborhood_names[:3]]
    blt = "3 2\n7 1 2 0\n4 3 0\n2 2 3 1 0\n0\n" + "\n".join(names) + '\n"Senkata"\n'
    upload = io.BytesIO(blt.encode())
    upload.name = "tally.blt"
    response = en_client(secretary).post(
        reverse("tally", args=[election.pk]), {"lines": "", "blt": upload}, follow=True
    )
    assert "The tally was entered: 13 ballots." in messages_of(response)
    wrong = io.BytesIO(b'2 1\n3 1 0\n0\n"Alguien"\n"Otra"\n"x"\n')
    wrong.name = "wrong.blt"
    refused = en_client(secretary).post(
        reverse("tally", args=[election.pk]), {"lines": "", "blt": wrong}
    )
    assert refused.status_code == 400
    assert "who does not stand here" in text(refused)


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
