"""The paper tally and the count (consejo.elections.services.counting), on SQLite and on
PostgreSQL: a tally entered, replaced and refused line by line; the count after voting closes and
the box is opened, once, with its result, its seed, its ledger entries and the mandates it seats.

State is built through the services; the clock is moved with ``time_machine`` (never a mocked
``now``), starting on 9 June 2005 so that every instant follows the previous one in the ledger.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from consejo.boxes import ceremony
from consejo.boxes.models import Box
from consejo.core.elections import lot_seed
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.elections import services
from consejo.elections.models import Ballot, Candidate, Election
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.models import Mandate
from tests.builders import CEREMONIES, SmallFederation, make_member
from tests.elections.instants import CLOSES, OPENS
from tests.elections.services.calls import call, stand
from tests.elections.services.reads import entries, roster_member, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def open_box(secretary: Any, election: Election) -> None:
    """Close and mix a secret election's box, and have its first k trustees decrypt the mix."""
    services.election_close(actor=secretary, election_id=election.pk)
    box = Box.objects.get(purpose=f"election:{election.pk}")
    logins, seeds = CEREMONIES[box.reference]
    ceremony.decrypt(box, logins, seeds, sorted(logins)[: box.threshold])


# --- the paper tally -----------------------------------------------------------------------------


@pytest.fixture
def paper(
    secretary: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> tuple[Election, list[int]]:
    """A paper Scottish STV election with three candidates, the assembly voting."""
    election = call(secretary, fed, mode="paper", substitutes=1)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(3)))
    clock(OPENS + timedelta(minutes=30))
    return election, keys


def test_a_tally_groups_identical_ballots_and_records_their_weights(
    secretary: Any, fed: SmallFederation, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper
    total = services.paper_tally_enter(
        actor=secretary,
        election_id=election.pk,
        ballots=[([a, b], 12), ([c], 5), ([a, b], 3), ([b, c, a], 1)],
    )
    assert total == 21
    rows = sorted(
        (tuple(ch), w, m) for ch, w, m in Ballot.objects.values_list("choices", "weight", "member")
    )
    assert rows == [((a, b), 15, None), ((b, c, a), 1, None), ((c,), 5, None)]
    [tally] = entries("tally.entered")
    assert tally["total"] == 21
    assert tally["by"] == secretary.pk
    assert tally["ballots"] == sorted([[[a, b], 15], [[c], 5], [[b, c, a], 1]])


def test_a_new_tally_replaces_the_previous_one_and_the_ledger_keeps_both(
    secretary: Any, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([a], 10)])
    services.paper_tally_enter(
        actor=secretary, election_id=election.pk, ballots=[([b], 7), ([c, a], 2)]
    )
    assert sorted(Ballot.objects.values_list("choices", "weight")) == [([b], 7), ([c, a], 2)]
    assert [t["total"] for t in entries("tally.entered")] == [10, 9]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (lambda a, b, c: [([a], 3), ([a, a], 1)], "line 2: the ballot names a candidate twice"),
        (lambda a, b, c: [([a], 0)], "line 1: the number of ballots"),
        (lambda a, b, c: [([a], 1), ([b], 2), ([b], -4)], "line 3: the number of ballots"),
        (lambda a, b, c: [([a], 10_000_001)], "line 1: the number of ballots"),
        (lambda a, b, c: [([b], 1), ([], 4)], "line 2: the ballot is empty"),
        (lambda a, b, c: [([c + 999], 1)], "line 1: .*not a candidate"),
        (lambda a, b, c: [], "holds no ballots"),
    ],
)
def test_a_bad_tally_names_the_line_and_writes_nothing(
    secretary: Any,
    paper: tuple[Election, list[int]],
    lines: Callable[[int, int, int], list[tuple[list[int], int]]],
    message: str,
) -> None:
    election, keys = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[([keys[0]], 1)])
    before = snapshot()
    with pytest.raises(InvalidInput, match=message):
        services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=lines(*keys))
    assert snapshot() == before
    assert list(Ballot.objects.values_list("choices", "weight")) == [([keys[0]], 1)]


def test_only_the_secretary_enters_a_tally(
    vecina: Any, operator: Any, paper: tuple[Election, list[int]]
) -> None:
    election, keys = paper
    with pytest.raises(PermissionDenied):
        services.paper_tally_enter(actor=vecina, election_id=election.pk, ballots=[(keys, 1)])
    assert not Ballot.objects.exists()
    assert services.paper_tally_enter(actor=operator, election_id=election.pk, ballots=[(keys, 1)])


def test_no_tally_before_voting_opens_nor_for_an_online_election(
    secretary: Any, fed: SmallFederation, running: tuple[Election, list[int]]
) -> None:
    online, keys = running
    with pytest.raises(InvalidInput, match="voted online"):
        services.paper_tally_enter(actor=secretary, election_id=online.pk, ballots=[(keys[:1], 1)])
    later = call(
        secretary,
        fed,
        mode="paper",
        opens_at=OPENS + timedelta(hours=1),
        closes_at=OPENS + timedelta(hours=3),
    )
    [key] = stand(secretary, later, roster_member(fed, 9))
    with pytest.raises(InvalidInput, match="has not voted yet"):
        services.paper_tally_enter(actor=secretary, election_id=later.pk, ballots=[([key], 1)])
    assert not Ballot.objects.exists()


def test_no_tally_once_the_election_is_counted(
    secretary: Any, paper: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = paper
    services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[(keys, 4)])
    services.election_count(actor=secretary, election_id=election.pk)
    before = snapshot()
    with pytest.raises(Conflict, match="already been counted"):
        services.paper_tally_enter(actor=secretary, election_id=election.pk, ballots=[(keys, 5)])
    assert snapshot() == before


# --- the count -----------------------------------------------------------------------------------


def test_online_ballots_are_counted_only_after_voting_closes(
    secretary: Any, vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:2])
    clock(CLOSES - timedelta(microseconds=1))
    before = snapshot()
    with pytest.raises(Conflict, match="still open"):
        services.election_count(actor=secretary, election_id=election.pk)
    assert snapshot() == before
    clock(CLOSES)
    open_box(secretary, election)
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.counted_at == CLOSES


def test_a_paper_election_is_not_counted_before_it_opens(
    secretary: Any, fed: SmallFederation
) -> None:
    election = call(secretary, fed, mode="paper")
    stand(secretary, election, roster_member(fed, 0))
    with pytest.raises(Conflict, match="not voted yet"):
        services.election_count(actor=secretary, election_id=election.pk)


def test_an_election_is_counted_once(
    secretary: Any, vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:1])
    clock(CLOSES + timedelta(hours=1))
    open_box(secretary, election)
    services.election_count(actor=secretary, election_id=election.pk)
    clock(CLOSES + timedelta(hours=2))
    before = snapshot()
    with pytest.raises(Conflict, match="already been counted"):
        services.election_count(actor=secretary, election_id=election.pk)
    assert snapshot() == before


def test_an_election_without_ballots_or_candidates_is_not_counted(
    secretary: Any, fed: SmallFederation, running: tuple[Election, list[int]], clock: Any
) -> None:
    election, _keys = running
    empty = call(
        secretary,
        fed,
        title="Nadie se presenta",
        opens_at=CLOSES - timedelta(hours=1),
        closes_at=CLOSES,
    )
    clock(CLOSES)
    before = snapshot()
    with pytest.raises(Conflict, match="no ballots"):
        services.election_count(actor=secretary, election_id=election.pk)
    with pytest.raises(Conflict, match="nobody stands"):
        services.election_count(actor=secretary, election_id=empty.pk)
    assert snapshot() == before
    assert Election.objects.get(pk=election.pk).counted_at is None


def test_only_the_secretary_counts(
    vecina: Any, running: tuple[Election, list[int]], clock: Callable[..., datetime]
) -> None:
    election, keys = running
    services.ballot_cast(actor=vecina, election_id=election.pk, choices=keys[:1])
    clock(CLOSES)
    with pytest.raises(PermissionDenied):
        services.election_count(actor=vecina, election_id=election.pk)
    assert Election.objects.get(pk=election.pk).counted_at is None


def cast_many(
    fed: SmallFederation, operator: Any, election: Election, ballots: list[list[int]]
) -> None:
    for i, choices in enumerate(ballots):
        user = make_member(
            actor=operator, body=fed.neighborhood, username=f"votante-{i}", name=f"Votante {i:02d}"
        )
        services.ballot_cast(actor=user, election_id=election.pk, choices=choices)


def test_the_count_records_the_result_the_seed_and_every_ledger_entry(
    operator: Any,
    secretary: Any,
    fed: SmallFederation,
    running: tuple[Election, list[int]],
    clock: Callable[..., datetime],
) -> None:
    election, keys = running
    a, b, c, d = keys[:4]
    names = {k: Candidate.objects.get(pk=k).member.name for k in (a, b, c, d)}
    # Scottish STV, 4 seats, 11 ballots: Droop quota 11 // 5 + 1 = 3.
    ballots = [[a, b]] * 4 + [[b]] * 3 + [[c, d]] * 2 + [[d]] + [[a, c]]
    cast_many(fed, operator, election, ballots)
    clock(CLOSES)
    open_box(secretary, election)
    counted = services.election_count(actor=secretary, election_id=election.pk)

    stored = Election.objects.get(pk=election.pk)
    assert stored.counted_at == CLOSES
    result = stored.result
    assert result is not None
    assert result["method"] == "scottish-stv"
    assert result["valid_ballots"] == 11
    assert result["rounds"]
    assert all("votes" in r for r in result["rounds"])
    assert set(result["elected"]) == {names[a], names[b], names[c], names[d]}
    assert result["elected"][:2] == [names[a], names[b]]
    assert sorted(result["order_of_merit"]) == sorted(names.values())
    assert result["order_of_merit"][: len(result["elected"])] == result["elected"]

    # The seed of the lot is drawn from the ledger head just before the count's own entry.
    entry = LedgerEntry.objects.get(seq=stored.ledger_seq)
    assert entry.kind == "election.counted"
    previous = LedgerEntry.objects.get(seq=entry.seq - 1)
    assert entry.prev == previous.hash
    assert stored.seed == result["seed"] == str(lot_seed(previous.hash))
    assert counted.seed == stored.seed

    payload = json.loads(entry.payload)
    assert payload["election"] == election.pk
    assert payload["seed"] == stored.seed
    # Candidate ids, never names (docs/privacy.md).
    key_of = {name: key for key, name in names.items()}
    assert payload["elected"] == [key_of[name] for name in result["elected"]]
    assert payload["candidates"] == sorted(names, key=names.__getitem__)
    assert sum(weight for _ranking, weight in payload["ballots"]) == 11
    assert [a, b] in [ranking for ranking, _w in payload["ballots"]]
    assert payload["substitutes"] == []  # every standing candidate was elected
    assert payload["by"] == secretary.pk

    kinds = set(LedgerEntry.objects.values_list("kind", flat=True))
    assert {
        "election.called",
        "candidate.nominated",
        "candidate.withdrawn",
        "ballot.cast",
        "election.counted",
        "mandate.started",
    } <= kinds
    assert len(entries("ballot.cast")) == 11
    started = [m for m in entries("mandate.started") if m["origin"].startswith("election:")]
    members = {Candidate.objects.get(pk=key_of[name]).member_id for name in result["elected"]}
    assert [m["member"] for m in started]
    assert {m["member"] for m in started} == members
    assert all(m["election"] == election.pk and m["role"] == "delegate" for m in started)
    verdict = ledger_verify()
    assert verdict.ok, str(verdict)


def test_fewer_standing_candidates_than_seats_are_all_elected(
    secretary: Any, paper: tuple[Election, list[int]]
) -> None:
    election, (a, b, c) = paper  # 4 seats, 3 standing
    services.paper_tally_enter(
        actor=secretary, election_id=election.pk, ballots=[([a], 5), ([b, a], 2)]
    )
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.result is not None
    assert len(counted.result["elected"]) == 3
    delegates = Mandate.objects.filter(origin=f"election:{election.pk}", role="delegate")
    assert sorted(delegates.values_list("member__candidacies__pk", flat=True)) == sorted([a, b, c])
    assert not Mandate.objects.filter(origin=f"election:{election.pk}", role="substitute").exists()
    assert ledger_verify().ok


def test_a_schulze_count_orders_the_runners_up_by_its_ranking(
    secretary: Any, fed: SmallFederation, clock: Callable[..., datetime]
) -> None:
    election = call(secretary, fed, mode="paper", method="schulze", substitutes=2)
    keys = stand(secretary, election, *(roster_member(fed, i) for i in range(6)))
    clock(OPENS)
    # A clear order of preference: candidate 5 first, then 4, ... candidate 0 last.
    services.paper_tally_enter(
        actor=secretary,
        election_id=election.pk,
        ballots=[(list(reversed(keys)), 10), (keys, 3)],
    )
    counted = services.election_count(actor=secretary, election_id=election.pk)
    result = counted.result
    assert result is not None
    expected = [fed.neighborhood_names[i] for i in reversed(range(6))]
    assert result["ranking"] == expected
    assert result["order_of_merit"] == expected
    assert result["elected"] == expected[:4]
    substitutes = Mandate.objects.filter(
        origin=f"election:{election.pk}", role="substitute"
    ).order_by("rank")
    assert [m.member.name for m in substitutes] == expected[4:6]
