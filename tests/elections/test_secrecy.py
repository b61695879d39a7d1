"""Secret ballots stay secret (DESIGN.md): the database records *that* a member voted and,
separately, the ballot, with nothing that links them: no member, no timestamp, no sequential id,
and no order that follows the order of voting, in the tables or in the ledger."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection, models

from consejo.bodies.models import Member
from consejo.elections import services
from consejo.elections.models import Ballot, BallotBox, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.builders import SmallFederation, build_small_federation, make_member, make_secretary

pytestmark = pytest.mark.django_db

T0 = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)
OPENS = T0 + timedelta(hours=2)
CLOSES = T0 + timedelta(hours=10)
VOTERS = 30


@pytest.fixture
def clock(time_machine: Any) -> Callable[[datetime], datetime]:
    def move(instant: datetime) -> datetime:
        time_machine.move_to(instant, tick=False)
        return instant

    move(T0)
    return move


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    return build_small_federation(actor=operator)


@dataclass(frozen=True)
class Cast:
    """An election in which VOTERS members voted, each a different ballot, in a known order."""

    election: Election
    secretary: Any
    candidates: list[int]  # candidate keys, in ballot-paper order (by name)
    names: dict[int, str]
    order: list[tuple[int, ...]]  # the ballots in the order they were cast
    voters: list[Member]  # who cast them, in the same order


def cast_ballots(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime], mode: str
) -> Cast:
    secretary = make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")
    election = services.election_create(
        actor=secretary,
        body=fed.neighborhood,
        council=fed.council,
        title="Delegados de Senkata",
        method="scottish-stv",
        mode=mode,
        opens_at=OPENS,
        closes_at=CLOSES,
    )
    standing = [Member.objects.get(name=name) for name in fed.neighborhood_names[:5]]
    keys = [
        services.candidate_nominate(actor=secretary, election_id=election.pk, member=m).pk
        for m in standing
    ]
    users = [
        make_member(actor=operator, body=fed.neighborhood, username=f"votante-{i}", name=f"V{i}")
        for i in range(VOTERS)
    ]
    # Distinct rankings of 5 candidates (325 of them), in an order that sorts neither way.
    rankings = [p for k in range(1, 6) for p in itertools.permutations(keys, k)]
    order = random.Random(2005).sample(rankings, VOTERS)
    for i, (user, ranking) in enumerate(zip(users, order, strict=True)):
        clock(OPENS + timedelta(minutes=i))
        services.ballot_cast(actor=user, election_id=election.pk, choices=list(ranking))
    return Cast(
        election=election,
        secretary=secretary,
        candidates=keys,
        names={k: m.name for k, m in zip(keys, standing, strict=True)},
        order=order,
        voters=[Member.objects.get(user=u) for u in users],
    )


@pytest.fixture
def secret(operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]) -> Cast:
    return cast_ballots(operator, fed, clock, "secret")


def monotone(sequence: list[int]) -> bool:
    pairs = list(itertools.pairwise(sequence))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


def count_now(secret: Cast, clock: Callable[[datetime], datetime]) -> None:
    clock(CLOSES)
    services.election_count(actor=secret.secretary, election_id=secret.election.pk)


def box_rankings(election: Election) -> list[tuple[int, ...]]:
    """The rankings in the election's secret ballot box, one per ballot, sorted."""
    counts = BallotBox.objects.get(election=election).counts
    return sorted(
        tuple(int(c) for c in key.split(",")) for key, n in counts.items() for _ in range(n)
    )


def test_while_voting_a_secret_ballot_is_only_a_count_in_the_box(secret: Cast) -> None:
    assert box_rankings(secret.election) == sorted(secret.order)
    # No row per ballot: nothing whose key, position or transaction could follow its voter.
    assert not Ballot.objects.filter(election=secret.election).exists()
    voters = Voter.objects.filter(election=secret.election)
    assert sorted(voters.values_list("member_id", flat=True)) == sorted(m.pk for m in secret.voters)


def test_the_count_turns_the_box_into_ballots_that_name_no_voter(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    count_now(secret, clock)
    ballots = Ballot.objects.filter(election=secret.election)
    assert not ballots.filter(member__isnull=False).exists()
    assert sorted(
        tuple(choices)
        for choices, weight in ballots.values_list("choices", "weight")
        for _ in range(weight)
    ) == sorted(secret.order)
    assert BallotBox.objects.get(election=secret.election).counts == {}


def test_neither_ballots_nor_voters_carry_a_time_or_a_link_to_each_other() -> None:
    timed = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)
    for model in (Ballot, BallotBox, Voter):
        fields = model._meta.get_fields()
        assert [f.name for f in fields if isinstance(f, timed)] == [], model
    # Nothing relates a Voter row to a Ballot row, in either direction.
    assert not [f for f in Ballot._meta.get_fields() if f.related_model is Voter]
    assert not [f for f in Voter._meta.get_fields() if f.related_model is Ballot]
    # A new column on Ballot or the box must be weighed against secrecy before it is added here.
    assert sorted(f.name for f in Ballot._meta.concrete_fields) == [
        "choices",
        "election",
        "id",
        "member",
        "weight",
    ]
    assert sorted(f.name for f in BallotBox._meta.concrete_fields) == ["counts", "election"]
    # The key is drawn at random, not counted up by the database.
    assert not isinstance(Ballot._meta.pk, models.AutoField)
    assert Ballot._meta.pk is not None
    assert Ballot._meta.pk.default is not models.NOT_PROVIDED


def test_ballot_keys_do_not_follow_the_order_of_voting(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    count_now(secret, clock)
    position = {ranking: i for i, ranking in enumerate(secret.order)}
    by_key = [
        position[tuple(choices)]
        for choices in Ballot.objects.filter(election=secret.election)
        .order_by("pk")
        .values_list("choices", flat=True)
    ]
    assert sorted(by_key) == list(range(VOTERS))
    # Random keys put 30 ballots in casting order (or its reverse) with probability 2/30!.
    assert not monotone(by_key), by_key


def test_the_stored_order_of_ballots_does_not_follow_the_order_of_voting(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    # An unordered SELECT, a dump or a backup lists rows in the order they were stored
    # (SQLite's rowid, PostgreSQL's heap): counted ballots are stored sorted by what they say.
    count_now(secret, clock)
    physical = "rowid" if connection.vendor == "sqlite" else "ctid"
    table = Ballot._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT choices FROM {table} ORDER BY {physical}")  # noqa: S608
        stored = [json.loads(row[0]) if isinstance(row[0], str) else row[0] for row in cursor]
    assert stored == sorted(stored)
    position = {ranking: i for i, ranking in enumerate(secret.order)}
    assert not monotone([position[tuple(choices)] for choices in stored])


def transaction_ids(sql: str, params: list[object] | None = None) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return [row[0] for row in cursor]


@pytest.mark.postgres_only
def test_no_transaction_id_links_a_secret_ballot_to_its_voter(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    # Every row a transaction writes carries its id (xmin); the ballot.cast entry that names the
    # voter carries it too. While voting, the box bears only the last voter's transaction.
    cast = transaction_ids(
        f"SELECT xmin::text FROM {LedgerEntry._meta.db_table} WHERE kind = %s ORDER BY seq",  # noqa: S608
        ["ballot.cast"],
    )
    assert len(set(cast)) == VOTERS
    box = transaction_ids(f"SELECT xmin::text FROM {BallotBox._meta.db_table}")  # noqa: S608
    assert set(box) & set(cast) <= {cast[-1]}
    count_now(secret, clock)
    ballots = transaction_ids(f"SELECT xmin::text FROM {Ballot._meta.db_table}")  # noqa: S608
    assert len(ballots) == VOTERS
    assert not set(ballots) & set(cast)


def ledger(kind: str) -> list[dict[str, Any]]:
    return [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind=kind)
        .order_by("seq")
        .values_list("payload", flat=True)
    ]


def test_the_ledger_records_that_members_voted_never_what(secret: Cast) -> None:
    cast = ledger("ballot.cast")
    assert cast == [{"election": secret.election.pk, "member": m.pk} for m in secret.voters]
    names = set(secret.names.values())
    for entry in LedgerEntry.objects.filter(kind="ballot.cast").values_list("payload", flat=True):
        assert not any(name in entry for name in names)


def test_the_count_publishes_the_ballots_grouped_and_sorted_not_in_casting_order(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    count_now(secret, clock)
    [counted] = ledger("election.counted")
    ballot_paper = secret.candidates  # by name, as the count numbers them
    assert counted["candidates"] == ballot_paper  # candidate ids: the ledger carries no names
    expected = sorted(tuple(ballot_paper.index(k) for k in ranking) for ranking in secret.order)
    assert counted["ballots"] == [[[ballot_paper[i] for i in r], 1] for r in expected]
    in_casting_order = [[list(r), 1] for r in secret.order]
    assert counted["ballots"] != in_casting_order
    assert sorted(map(json.dumps, counted["ballots"])) == sorted(map(json.dumps, in_casting_order))
    assert ledger_verify().ok


def test_an_open_ballot_carries_its_voter_by_design(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    public = cast_ballots(operator, fed, clock, "open")
    ballots = dict(
        Ballot.objects.filter(election=public.election).values_list("member_id", "choices")
    )
    assert ballots == {m.pk: list(r) for m, r in zip(public.voters, public.order, strict=True)}
    assert ledger("ballot.cast") == [
        {
            "election": public.election.pk,
            "member": m.pk,
            "choices": list(r),
        }
        for m, r in zip(public.voters, public.order, strict=True)
    ]
