"""Services take ids (consejo.common.rows.row_of): a key that names no row is NotFound and
writes nothing, whatever its type; a bool is no key (Python counts it as 0 or 1). A row a
constraint refuses (row_created) is a Conflict that leaves the transaction usable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, strategies as st
from hypothesis.extra.django import TestCase

from consejo.bodies import services
from consejo.bodies.models import Body, Member
from consejo.common.rows import row_created, row_of
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.elections import services as elections
from consejo.ledger.models import LedgerEntry
from consejo.supply import services as supply
from tests.builders import build_small_federation


@pytest.mark.django_db
def test_a_row_is_read_by_its_key_and_locked_on_request(operator: Any) -> None:
    body = services.body_create(actor=operator, name="Mina", slug="mina", kind="mine")
    assert row_of(Body, body.pk, "no such body") == body
    assert row_of(Body.objects.filter(kind="mine"), body.pk, "no such body", lock=True) == body
    with pytest.raises(NotFound, match="no such body"):
        row_of(Body.objects.filter(kind="council"), body.pk, "no such body")


@pytest.mark.django_db
def test_a_row_a_constraint_refuses_is_a_conflict_and_the_transaction_goes_on() -> None:
    at = datetime(2005, 6, 1, tzinfo=UTC)
    first = row_created(Body, "taken", name="Mina", slug="mina", kind="mine", created_at=at)
    with pytest.raises(Conflict, match=r"^taken$"):
        row_created(Body, "taken", name="Otra", slug="mina", kind="mine", created_at=at)
    # Only the refused insert was rolled back: the transaction still reads and writes.
    assert list(Body.objects.values_list("pk", flat=True)) == [first.pk]
    row_created(Body, "taken", name="Otra", slug="otra", kind="mine", created_at=at)
    assert Body.objects.count() == 2


NOT_KEYS = st.one_of(
    st.booleans(),
    st.none(),
    st.text(max_size=20),
    st.floats(allow_nan=True),
    st.integers(min_value=10**6, max_value=10**40),
    st.integers(max_value=0),
)


class TestKeysThatNameNoRow(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        from django.contrib.auth import get_user_model

        cls.operator = get_user_model().objects.create_superuser("op-rows", password="x")
        cls.fed = build_small_federation(actor=cls.operator)

    @given(key=NOT_KEYS)
    def test_row_of_refuses_anything_that_is_not_a_key_of_a_row(self, key: object) -> None:
        with pytest.raises(NotFound, match="no such member"):
            row_of(Member, key, "no such member")

    @given(key=NOT_KEYS)
    def test_a_service_given_no_row_refuses_and_writes_nothing(self, key: Any) -> None:
        before = (LedgerEntry.objects.count(), Member.objects.count())
        with pytest.raises(NotFound):
            services.member_add(actor=self.operator, body_id=key, name="Ana", sector="worker")
        with pytest.raises(NotFound):
            supply.plan_propose(actor=self.operator, committee_id=key)
        assert (LedgerEntry.objects.count(), Member.objects.count()) == before

    def test_unknown_trustees_are_named(self) -> None:
        members = list(Member.objects.filter(memberships__body=self.fed.neighborhood)[:2])
        opens = datetime.now(UTC) + timedelta(days=1)
        with pytest.raises(InvalidInput, match=r": 999999, True$"):
            elections.election_create(
                actor=self.operator,
                body_id=self.fed.neighborhood.pk,
                council_id=self.fed.council.pk,
                title="Delegados",
                method="scottish-stv",
                mode="secret",
                opens_at=opens,
                closes_at=opens + timedelta(days=1),
                trustee_ids=[members[0].pk, 999_999, members[1].pk, True],  # type: ignore[list-item]
            )
