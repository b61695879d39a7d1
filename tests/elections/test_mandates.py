"""The count seats the delegation (consejo.mandates.services.delegation_seat, through
consejo.elections.services.election_count), and the database keeps one open seat per person."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from consejo.bodies.models import Member
from consejo.core.errors import Conflict
from consejo.elections import services
from consejo.elections.models import Election
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import ledger_verify
from consejo.mandates.models import Mandate
from tests.builders import SmallFederation, build_small_federation, make_secretary
from tests.conftest import CLOCK_START

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


T0 = CLOCK_START


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    return build_small_federation(actor=operator)


@pytest.fixture
def secretary(operator: Any, fed: SmallFederation) -> Any:
    return make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")


def people(fed: SmallFederation, *indexes: int) -> list[Member]:
    return [Member.objects.get(name=fed.neighborhood_names[i]) for i in indexes]


def paper_election(
    actor: Any,
    *,
    body: Any,
    council: Any,
    standing: list[Member],
    votes: list[int],
    substitutes: int,
    method: str = "plurality",
) -> Election:
    """A paper election, open now, in which ``standing[i]`` gets ``votes[i]`` ballots; counted."""
    election = services.election_create(
        actor=actor,
        body_id=body.pk,
        council_id=council.pk,
        title=f"Delegados de {body.name}",
        method=method,
        mode="paper",
        opens_at=datetime.now(tz=UTC),
        closes_at=datetime.now(tz=UTC) + timedelta(hours=4),
        substitutes=substitutes,
    )
    keys = [
        services.candidate_nominate(actor=actor, election_id=election.pk, member_id=m.pk).pk
        for m in standing
    ]
    services.paper_tally_enter(
        actor=actor,
        election_id=election.pk,
        ballots=[([key], n) for key, n in zip(keys, votes, strict=True)],
    )
    return services.election_count(actor=actor, election_id=election.pk)


def open_mandates(**filters: Any) -> list[tuple[str, str, int]]:
    return list(
        Mandate.objects.filter(end__isnull=True, office="", **filters)
        .order_by("role", "rank")
        .values_list("member__name", "role", "rank")
    )


def test_the_count_seats_the_elected_in_order_then_the_runners_up_as_substitutes(
    secretary: Any, fed: SmallFederation
) -> None:
    standing = people(fed, 0, 1, 2, 3, 4, 5, 6)
    # Plurality, 4 seats: votes make the order of merit 3, 0, 5, 1 | 6, 2 | 4.
    election = paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=standing,
        votes=[40, 30, 12, 50, 5, 35, 20],
        substitutes=2,
    )
    names = fed.neighborhood_names
    assert election.result is not None
    assert election.result["elected"] == [names[3], names[0], names[5], names[1]]
    assert open_mandates(origin=f"election:{election.pk}") == [
        (names[3], "delegate", 1),
        (names[0], "delegate", 2),
        (names[5], "delegate", 3),
        (names[1], "delegate", 4),
        (names[6], "substitute", 1),
        (names[2], "substitute", 2),
    ]
    seated = Mandate.objects.filter(origin=f"election:{election.pk}")
    assert {(m.constituency, m.council, m.start) for m in seated} == {
        (fed.neighborhood, fed.council, election.counted_at)
    }
    started = [
        payload
        for payload in (
            json.loads(p)
            for p in LedgerEntry.objects.filter(kind="mandate.started")
            .order_by("seq")
            .values_list("payload", flat=True)
        )
        if payload["origin"] == f"election:{election.pk}"  # not the secretary's office
    ]
    named = [(Member.objects.get(pk=s["member"]).name, s["role"], s["rank"]) for s in started]
    assert named == open_mandates(origin=f"election:{election.pk}")
    assert not any("name" in s for s in started)  # the ledger carries ids (docs/privacy.md)
    assert all(
        s["council"] == "el-alto-council" and s["constituency"] == "senkata" for s in started
    )
    # The count's own entry comes before the mandates it creates.
    counted_seq = LedgerEntry.objects.get(kind="election.counted").seq
    assert {
        e.seq
        for e in LedgerEntry.objects.filter(kind="mandate.started")
        if json.loads(e.payload)["origin"] == f"election:{election.pk}"
    } == set(range(counted_seq + 1, counted_seq + 7))


def test_stv_substitutes_follow_the_order_of_merit_not_the_alphabet(
    secretary: Any, fed: SmallFederation
) -> None:
    a, b, c, d, e, f, g = people(fed, 0, 1, 2, 3, 4, 5, 6)
    election = services.election_create(
        actor=secretary,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Delegados de Senkata",
        method="scottish-stv",
        mode="paper",
        opens_at=datetime.now(tz=UTC),
        closes_at=datetime.now(tz=UTC) + timedelta(hours=4),
        substitutes=2,
    )
    key = {
        m.pk: services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=m.pk
        ).pk
        for m in (a, b, c, d, e, f, g)
    }
    # Quota 119 // 5 + 1 = 24: A, B, C elected at once; G is excluded (to F: 10), then E (9),
    # then F (10, to D), and D takes the fourth seat. Runners-up in merit: F, E, then G.
    services.paper_tally_enter(
        actor=secretary,
        election_id=election.pk,
        ballots=[
            ([key[a.pk]], 30),
            ([key[b.pk]], 30),
            ([key[c.pk]], 30),
            ([key[d.pk]], 12),
            ([key[e.pk]], 9),
            ([key[f.pk], key[d.pk]], 6),
            ([key[g.pk], key[f.pk]], 4),
        ],
    )
    counted = services.election_count(actor=secretary, election_id=election.pk)
    assert counted.result is not None
    assert counted.result["order_of_merit"][4:] == [f.name, e.name, g.name]
    assert open_mandates(origin=f"election:{election.pk}", role="substitute") == [
        (f.name, "substitute", 1),
        (e.name, "substitute", 2),
    ]


def test_no_substitutes_when_none_are_asked_for(secretary: Any, fed: SmallFederation) -> None:
    election = paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 1, 2, 3, 4, 5),
        votes=[6, 5, 4, 3, 2, 1],
        substitutes=0,
    )
    assert [role for _n, role, _r in open_mandates(origin=f"election:{election.pk}")] == [
        "delegate"
    ] * 4


def test_a_new_election_replaces_the_delegation_at_its_instant_and_leaves_other_bodies_alone(
    operator: Any, secretary: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    mine_secretary = make_secretary(actor=operator, body=fed.mine, username="sec-huanuni")
    miners = [Member.objects.get(name=name) for name in fed.mine_names[:2]]
    mine = paper_election(
        mine_secretary,
        body=fed.mine,
        council=fed.council,
        standing=miners,
        votes=[7, 5],
        substitutes=1,
    )
    first = paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 1, 2, 3, 4),
        votes=[9, 8, 7, 6, 5],
        substitutes=1,
    )
    clock(T0 + timedelta(days=30))
    second = paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 10, 11, 12, 13, 14),  # person 0 is elected again
        votes=[3, 9, 8, 7, 6, 5],
        substitutes=2,
    )
    names = fed.neighborhood_names
    ended = Mandate.objects.filter(origin=f"election:{first.pk}")
    assert ended.count() == 5
    assert {(m.end, m.ended_by, m.end_reason) for m in ended} == {
        (second.counted_at, f"election:{second.pk}", "replaced")
    }
    assert open_mandates(constituency=fed.neighborhood) == [
        (names[10], "delegate", 1),
        (names[11], "delegate", 2),
        (names[12], "delegate", 3),
        (names[13], "delegate", 4),
        (names[14], "substitute", 1),
        (names[0], "substitute", 2),
    ]
    # The mine's delegation into the same council is untouched.
    assert open_mandates(constituency=fed.mine) == [
        (fed.mine_names[0], "delegate", 1),
        (fed.mine_names[1], "substitute", 1),
    ]
    assert all(m.end is None for m in Mandate.objects.filter(origin=f"election:{mine.pk}"))
    ended_entries = [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind="mandate.ended").values_list("payload", flat=True)
    ]
    assert sorted(e["mandate"] for e in ended_entries) == sorted(m.pk for m in ended)
    assert all(e["reason"] == "replaced" for e in ended_entries)
    assert all(e["replaced_by"] == second.pk for e in ended_entries)
    assert ledger_verify().ok


def test_a_delegation_is_not_replaced_at_the_instant_it_was_seated(
    secretary: Any, fed: SmallFederation
) -> None:
    paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 1, 2, 3, 4),
        votes=[9, 8, 7, 6, 5],
        substitutes=1,
    )
    before = (LedgerEntry.objects.count(), open_mandates())
    with pytest.raises(Conflict, match="at the instant it was seated"):
        paper_election(
            secretary,
            body=fed.neighborhood,
            council=fed.council,
            standing=people(fed, 5, 6, 7, 8),
            votes=[4, 3, 2, 1],
            substitutes=0,
        )
    # The refused count left nothing behind: not counted, the old delegation still sitting.
    latest = Election.objects.order_by("-pk").first()
    assert latest is not None
    assert latest.counted_at is None
    assert latest.result is None
    assert not Mandate.objects.filter(origin=f"election:{latest.pk}").exists()
    assert LedgerEntry.objects.filter(kind="election.counted").count() == 1
    assert open_mandates() == before[1]


# --- the database constraints --------------------------------------------------------------------


@pytest.fixture
def seated(secretary: Any, fed: SmallFederation) -> Election:
    return paper_election(
        secretary,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 1, 2, 3, 4),
        votes=[9, 8, 7, 6, 5],
        substitutes=1,
    )


def raw_mandate(election: Election, member: Member, **fields: Any) -> Mandate:
    values: dict[str, Any] = {
        "member": member,
        "constituency": election.body,
        "council": election.council,
        "role": "substitute",
        "rank": 9,
        "origin": f"election:{election.pk}",
        "start": election.counted_at,
    }
    values.update(fields)
    return Mandate.objects.create(**values)


def test_a_member_holds_one_open_seat_per_constituency_and_council(
    fed: SmallFederation, seated: Election
) -> None:
    delegate = Mandate.objects.get(origin=f"election:{seated.pk}", role="delegate", rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_mandate(seated, delegate.member)
    # An ended seat does not count: the same person may hold it again.
    assert seated.counted_at is not None
    raw_mandate(
        seated,
        delegate.member,
        start=seated.counted_at - timedelta(days=9),
        end=seated.counted_at - timedelta(days=1),
    )
    # Nor does a seat held for another constituency.
    raw_mandate(seated, delegate.member, constituency=fed.mine)


def test_one_open_seat_per_rank(fed: SmallFederation, seated: Election) -> None:
    outsider_to_the_delegation = people(fed, 20)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_mandate(seated, outsider_to_the_delegation, role="delegate", rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_mandate(seated, outsider_to_the_delegation, role="substitute", rank=1)
    raw_mandate(seated, outsider_to_the_delegation, role="substitute", rank=2)


@pytest.mark.parametrize(
    "fields",
    [
        {"rank": 0},
        {"end": T0 - timedelta(days=1)},  # ends before it starts
    ],
)
def test_a_mandate_has_a_positive_rank_and_ends_after_it_starts(
    fed: SmallFederation, seated: Election, fields: dict[str, Any]
) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_mandate(seated, people(fed, 20)[0], **fields)


@pytest.mark.django_db(transaction=True)
def test_the_migration_to_references_keeps_each_mandates_election_both_ways(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # The operator holds the elections: no office mandate exists before the graph's migration.
    first = paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 0, 1, 2, 3, 4),
        votes=[9, 8, 7, 6, 5],
        substitutes=1,
    )
    clock(T0 + timedelta(days=1))
    second = paper_election(
        operator,
        body=fed.neighborhood,
        council=fed.council,
        standing=people(fed, 5, 6, 7, 8, 9),
        votes=[9, 8, 7, 6, 5],
        substitutes=1,
    )
    before = sorted(Mandate.objects.values_list("pk", "origin", "ended_by"))
    assert {(o, e) for _pk, o, e in before} == {
        (f"election:{first.pk}", f"election:{second.pk}"),
        (f"election:{second.pk}", ""),
    }
    executor = MigrationExecutor(connection)
    executor.migrate([("mandates", "0001_initial")])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, election_id, replaced_by_id FROM mandates_mandate ORDER BY id")
        old = cursor.fetchall()
    assert old == [
        (pk, int(o.partition(":")[2]), int(e.partition(":")[2]) if e else None)
        for pk, o, e in before
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(Mandate.objects.values_list("pk", "origin", "ended_by")) == before
