"""The kept represented-member counts always equal the rule recomputed from scratch.

Hypothesis draws sequences of joins, leaves, links, unlinks and provisional secretaries
appointed, each through its service, over a small federation whose links it also draws (councils
of councils, a base body in two councils, a committee); after every step the rows and totals
that ``consejo.bodies.counts`` kept must be exactly what ``consejo.core.represented`` computes
from the memberships and links in force, and ``represented_counts`` must agree with the recount
from the memberships. The migration that fills the counts is run backward and forward.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.extra.django import TestCase

from consejo.bodies import services
from consejo.bodies.models import (
    COUNCIL_KINDS,
    Body,
    BodyKind,
    Federation,
    Member,
    Membership,
    RepresentedCount,
    RepresentedMember,
)
from consejo.bodies.represented import recounted, represented_counts
from consejo.core.errors import ConsejoError
from consejo.core.represented import represented_rows, represented_totals
from consejo.mandates.models import Mandate
from consejo.mandates.services import secretary_appoint_provisional

T0 = datetime(2031, 3, 1, 9, 0, tzinfo=UTC)
BASES = ("mine", "plant", "school", "market")
COUNCILS = ("district", "city", "national")
BODIES = (*BASES, *COUNCILS, "supply-committee")
PEOPLE = 5

joins = st.tuples(st.just("join"), st.integers(0, PEOPLE - 1), st.sampled_from(BODIES))
leaves = st.tuples(st.just("leave"), st.integers(0, PEOPLE - 1), st.sampled_from(BODIES))
#: A member made the body's provisional secretary: one membership ends, another starts.
appointments = st.tuples(st.just("appoint"), st.integers(0, PEOPLE - 1), st.sampled_from(BODIES))
#: The links a federation like El Alto's has: base bodies in a district, the city or both (a
#: union local in two councils), councils of councils, a committee as the city's organ.
PLAUSIBLE = (
    *((base, "district") for base in BASES[:3]),
    *((base, "city") for base in BASES[1:]),
    ("market", "national"),
    ("district", "city"),
    ("city", "national"),
    ("district", "national"),
    ("supply-committee", "city"),
    ("mine", "supply-committee"),
)
links = st.sampled_from(PLAUSIBLE).map(lambda pair: ("link", *pair))
unlinks = st.sampled_from(PLAUSIBLE).map(lambda pair: ("unlink", *pair))


def kept_state() -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    rows = {(r.council_id, r.member_id): r.bodies for r in RepresentedMember.objects.all()}
    totals = {c.body_id: c.members for c in RepresentedCount.objects.all() if c.members}
    return rows, totals


def recomputed_state() -> tuple[dict[tuple[int, int], int], dict[int, int]]:
    memberships = list(
        Membership.objects.filter(end__isnull=True).values_list("member_id", "body_id")
    )
    in_force = list(Federation.objects.filter(end__isnull=True).values_list("body_id", "parent_id"))
    councils = set(Body.objects.filter(kind__in=COUNCIL_KINDS).values_list("pk", flat=True))
    return (
        represented_rows(memberships, in_force, councils),
        represented_totals(memberships, in_force, councils),
    )


class KeptCountsEqualTheRule(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        with time_machine.travel(T0 - timedelta(days=1), tick=False):
            cls.operator = get_user_model().objects.create_superuser("op", password="op-pass-12")
            cls.bodies = {}
            for slug in BODIES:
                kind = (
                    BodyKind.COUNCIL
                    if slug in COUNCILS
                    else BodyKind.COMMITTEE
                    if slug == "supply-committee"
                    else BodyKind.WORKPLACE
                )
                cls.bodies[slug] = services.body_create(
                    actor=cls.operator, name=slug.title(), slug=slug, kind=kind
                )
            for slug in COUNCILS:
                # Apportioned as people come and go, so that every step also reapportions.
                services.council_seats_configure(
                    actor=cls.operator,
                    council_id=cls.bodies[slug].pk,
                    method="ratio",
                    members_per_seat=2,
                )

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        federation=st.lists(st.sampled_from(PLAUSIBLE), unique=True),
        steps=st.lists(st.one_of(joins, joins, leaves, links, unlinks, appointments), max_size=30),
    )
    def test_after_every_step(
        self, federation: list[tuple[str, str]], steps: list[tuple[str, Any, str]]
    ) -> None:
        people: dict[int, Member] = {}
        steps = [("link", *pair) for pair in federation] + steps
        with time_machine.travel(T0 + timedelta(days=1), tick=False):
            for number, step in enumerate(steps, start=1):
                at = T0 + timedelta(seconds=number)
                self._apply(step, people, at)
                assert kept_state() == recomputed_state(), step
                everyone = list(Body.objects.all())
                assert represented_counts(everyone, at) == recounted(everyone, at)

    def _apply(self, step: tuple[str, Any, str], people: dict[int, Member], at: datetime) -> None:
        action, first, second = step
        try:
            if action == "join":
                body = self.bodies[second]
                if first in people:
                    services.membership_start(
                        actor=self.operator,
                        member_id=people[first].pk,
                        body_id=body.pk,
                        sector="worker",
                        at=at,
                    )
                else:
                    people[first] = services.member_add(
                        actor=self.operator,
                        body_id=body.pk,
                        name=f"P{first}",
                        sector="worker",
                        at=at,
                    ).member
            elif action in ("leave", "appoint") and first in people:
                open_one = Membership.objects.filter(
                    member=people[first], body=self.bodies[second], end__isnull=True
                ).first()
                if open_one is not None and action == "leave":
                    services.membership_end(actor=self.operator, membership_id=open_one.pk, at=at)
                elif (
                    open_one is not None
                    and not Mandate.objects.filter(
                        member=people[first], council=self.bodies[second], end__isnull=True
                    ).exists()
                ):
                    # An office is a mandate: the counts must not move (nobody joins or leaves).
                    secretary_appoint_provisional(
                        actor=self.operator, membership_id=open_one.pk, reason="none left", at=at
                    )
            elif action == "link":
                services.federation_link(
                    actor=self.operator,
                    body_id=self.bodies[first].pk,
                    parent_id=self.bodies[second].pk,
                    at=at,
                )
            elif action == "unlink":
                link = Federation.objects.filter(
                    body=self.bodies[first], parent=self.bodies[second], end__isnull=True
                ).first()
                if link is not None:
                    services.federation_unlink(actor=self.operator, link_id=link.pk, at=at)
        except ConsejoError:
            pass  # refused (already a member, a cycle, …): the counts must not have moved


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_counts_from_the_memberships_and_runs_both_ways(
    operator: Any,
) -> None:
    national = services.body_create(
        actor=operator, name="National", slug="national", kind=BodyKind.COUNCIL
    )
    city = services.body_create(
        actor=operator, name="City", slug="city", kind=BodyKind.COUNCIL, parent_id=national.pk
    )
    mine = services.body_create(
        actor=operator, name="Mine", slug="mine", kind=BodyKind.MINE, parent_id=city.pk
    )
    plant = services.body_create(
        actor=operator, name="Plant", slug="plant", kind=BodyKind.WORKPLACE, parent_id=national.pk
    )
    miner = services.member_add(
        actor=operator, body_id=mine.pk, name="Miner", sector="miner"
    ).member
    services.membership_start(actor=operator, member_id=miner.pk, body_id=plant.pk, sector="worker")
    gone = services.member_add(actor=operator, body_id=plant.pk, name="Gone", sector="worker")
    services.membership_end(actor=operator, membership_id=gone.pk)
    services.member_add(actor=operator, body_id=plant.pk, name="Stays", sector="worker")
    kept = kept_state()
    assert kept == recomputed_state()
    assert kept[1][national.pk] == 2  # the miner, in both bodies, counted once; and Stays

    executor = MigrationExecutor(connection)
    executor.migrate([("bodies", "0002_provisional_secretaries_and_phones_per_body")])
    executor.loader.build_graph()
    # Forward to every app's newest migration: those that depend on bodies.0003 went back too.
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert kept_state() == kept


@pytest.mark.django_db
def test_the_audit_names_a_represented_count_edited_behind_the_services(operator: Any) -> None:
    from consejo.ledger.audit import audit

    city = services.body_create(actor=operator, name="City", slug="city", kind=BodyKind.COUNCIL)
    mine = services.body_create(
        actor=operator, name="Mine", slug="mine", kind=BodyKind.MINE, parent_id=city.pk
    )
    miner = services.member_add(
        actor=operator, body_id=mine.pk, name="Miner", sector="miner"
    ).member
    assert not [d for d in audit().differences if d.table.startswith("bodies.Represented")]
    RepresentedCount.objects.filter(body=city).update(members=40)
    RepresentedMember.objects.filter(council=city, member=miner).update(bodies=2)
    named = {(d.table, d.row, d.field) for d in audit().differences}
    assert ("bodies.RepresentedCount", str(city.pk), "members") in named
    assert ("bodies.RepresentedMember", f"{city.pk}/{miner.pk}", "bodies") in named
