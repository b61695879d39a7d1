"""The pages of closing, counting and the results, through the Django test client as a
secretary, trustees and members: the box closed and decrypted on the trustees' pages, the count,
every round of the results, the CSV and BLT exports, the weight of the pages, and the paper tally
entered as votes, as lines or as a BLT file.

Pages are asked for in English (``Accept-Language: en``) so that the assertions read the same
whether or not the Spanish catalog has the new messages yet.
"""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from consejo.core.counting.blt import read_blt
from consejo.core.sealed import files, steps
from consejo.elections import services
from consejo.elections.models import Ballot, Election
from consejo.elections.selectors import candidate_labels, standing_candidates
from consejo.mandates.models import Mandate
from tests.builders import RunningElection, SmallFederation, build_running_election
from tests.elections.pages import (
    _called,
    _vecina,
    _vote_all,
    en_client,
    messages_of,
    text,
)

pytestmark = pytest.mark.django_db

PAGE_LIMIT = 60 * 1024


# --- closing, counting and the results ---


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
