"""Secret ballots stay secret (DESIGN.md): the database records *that* a member voted and,
separately, the ballot sealed to the trustees' key; the count opens only the mix, with k
trustees' checked partial decryptions, and writes ballots that follow neither the voters nor the
order of voting. An adversary holding every table, every system column, the ledger and k − 1
trustees' cards cannot tell who cast which ballot."""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, models

from consejo.bodies.models import Member
from consejo.boxes import ceremony
from consejo.boxes.models import Box, SealedBallot
from consejo.boxes.selectors import box_trackers
from consejo.core.sealed import ballots
from consejo.core.sealed.elgamal import CIPHERTEXT_BYTES
from consejo.elections import services
from consejo.elections.models import Ballot, Election, Voter
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from tests.builders import (
    CEREMONIES,
    SmallFederation,
    build_small_federation,
    key_ceremony,
    make_member,
    make_secretary,
    secret_box,
    trustee_logins,
    trustee_members,
)
from tests.conftest import CLOCK_START

pytestmark = pytest.mark.django_db

T0 = CLOCK_START
OPENS = T0 + timedelta(hours=2)
CLOSES = T0 + timedelta(hours=10)
VOTERS = 30


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
    trackers: list[str]  # what each voter was shown, in the same order (secret ballots)


def cast_ballots(
    operator: Any,
    fed: SmallFederation,
    clock: Callable[[datetime], datetime],
    mode: str,
    *,
    voters: int = VOTERS,
) -> Cast:
    secretary = make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")
    logins = trustee_logins(actor=operator, body=fed.neighborhood) if mode == "secret" else {}
    election = services.election_create(
        actor=secretary,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Delegados de Senkata",
        method="scottish-stv",
        mode=mode,
        opens_at=OPENS,
        closes_at=CLOSES,
        trustee_ids=[m.pk for m in trustee_members(logins)],
    )
    if logins:
        key_ceremony(election, logins)
    standing = [Member.objects.get(name=name) for name in fed.neighborhood_names[:5]]
    keys = [
        services.candidate_nominate(actor=secretary, election_id=election.pk, member_id=m.pk).pk
        for m in standing
    ]
    users = [
        make_member(actor=operator, body=fed.neighborhood, username=f"votante-{i}", name=f"V{i}")
        for i in range(voters)
    ]
    # Distinct rankings of 5 candidates (325 of them), in an order that sorts neither way.
    rankings = [p for k in range(1, 6) for p in itertools.permutations(keys, k)]
    order = random.Random(2005).sample(rankings, voters)
    trackers = []
    for i, (user, ranking) in enumerate(zip(users, order, strict=True)):
        clock(OPENS + timedelta(minutes=i))
        trackers.append(
            services.ballot_cast(actor=user, election_id=election.pk, choices=list(ranking))
        )
    return Cast(
        election=election,
        secretary=secretary,
        candidates=keys,
        names={k: m.name for k, m in zip(keys, standing, strict=True)},
        order=order,
        voters=[Member.objects.get(user=u) for u in users],
        trackers=[t for t in trackers if t is not None],
    )


@pytest.fixture
def secret(operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]) -> Cast:
    return cast_ballots(operator, fed, clock, "secret")


def monotone(sequence: list[int]) -> bool:
    pairs = list(itertools.pairwise(sequence))
    return all(a < b for a, b in pairs) or all(a > b for a, b in pairs)


def box_of(election: Election) -> Box:
    return Box.objects.get(purpose=f"election:{election.pk}")


def close_and_decrypt(
    secret: Cast, clock: Callable[[datetime], datetime], trustees: list[int] | None = None
) -> Box:
    clock(CLOSES)
    services.election_close(actor=secret.secretary, election_id=secret.election.pk)
    box = box_of(secret.election)
    logins, seeds = CEREMONIES[box.reference]
    ceremony.decrypt(box, logins, seeds, trustees or sorted(logins)[: box.threshold])
    return box


def count_now(secret: Cast, clock: Callable[[datetime], datetime]) -> None:
    close_and_decrypt(secret, clock)
    services.election_count(actor=secret.secretary, election_id=secret.election.pk)


def test_while_voting_a_secret_ballot_is_only_ciphertext(secret: Cast) -> None:
    box = box_of(secret.election)
    rows = list(SealedBallot.objects.filter(box=box).values_list("data", "tracker"))
    assert len(rows) == VOTERS
    # Every sealed ballot has the same size, whatever it says: a ciphertext per candidate.
    assert {len(bytes(data)) for data, _ in rows} == {5 * CIPHERTEXT_BYTES}
    assert all(tracker == ballots.tracker(bytes(data)) for data, tracker in rows)
    assert not Ballot.objects.filter(election=secret.election).exists()
    voters = Voter.objects.filter(election=secret.election)
    assert sorted(voters.values_list("member_id", flat=True)) == sorted(m.pk for m in secret.voters)
    # Opened with the trustees' cards (in memory, as only the trustees together could), the box
    # holds exactly what was cast.
    assert sorted(r for r, n in secret_box(secret.election).items() for _ in range(n)) == sorted(
        secret.order
    )


def test_each_voter_gets_a_tracker_found_in_the_published_list(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    cast = cast_ballots(operator, fed, clock, "secret", voters=3)
    published = box_trackers(box_of(cast.election))
    assert sorted(cast.trackers) == published
    assert len(set(published)) == 3


def test_the_count_turns_the_box_into_ballots_that_name_no_voter(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    count_now(secret, clock)
    ballots_ = Ballot.objects.filter(election=secret.election)
    assert not ballots_.filter(member__isnull=False).exists()
    assert sorted(
        tuple(choices)
        for choices, weight in ballots_.values_list("choices", "weight")
        for _ in range(weight)
    ) == sorted(secret.order)


def test_neither_ballots_nor_voters_carry_a_time_or_a_link_to_each_other() -> None:
    timed = (models.DateTimeField, models.DateField, models.TimeField, models.DurationField)
    for model in (Ballot, SealedBallot, Voter):
        fields = model._meta.get_fields()
        assert [f.name for f in fields if isinstance(f, timed)] == [], model
    # Nothing relates a Voter row to a ballot row, in either direction.
    for ballot_model in (Ballot, SealedBallot):
        assert not [f for f in ballot_model._meta.get_fields() if f.related_model is Voter]
        assert not [f for f in Voter._meta.get_fields() if f.related_model is ballot_model]
    # A new column on a ballot must be weighed against secrecy before it is added here.
    assert sorted(f.name for f in Ballot._meta.concrete_fields) == [
        "choices",
        "election",
        "id",
        "member",
        "weight",
    ]
    assert sorted(f.name for f in SealedBallot._meta.concrete_fields) == [
        "box",
        "data",
        "id",
        "tracker",
    ]
    # The keys are drawn at random, not counted up by the database.
    for model in (Ballot, SealedBallot):
        pk = model._meta.pk
        assert pk is not None
        assert not isinstance(pk, models.AutoField)
        assert pk.default is not models.NOT_PROVIDED


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
def test_no_transaction_id_links_a_counted_ballot_to_its_voter(
    secret: Cast, clock: Callable[[datetime], datetime]
) -> None:
    # Every row a transaction writes carries its id (xmin), as does the ballot.cast entry that
    # names the voter. A sealed ballot shares its voter's (it is ciphertext: see the game
    # below); the counted ballots are written by the count's transaction, from the mix.
    cast = transaction_ids(
        f"SELECT xmin::text FROM {LedgerEntry._meta.db_table} WHERE kind = %s ORDER BY seq",  # noqa: S608
        ["ballot.cast"],
    )
    assert len(set(cast)) == VOTERS
    count_now(secret, clock)
    counted = transaction_ids(f"SELECT xmin::text FROM {Ballot._meta.db_table}")  # noqa: S608
    assert len(counted) == VOTERS
    assert not set(counted) & set(cast)


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
