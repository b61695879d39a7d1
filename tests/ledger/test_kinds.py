"""The registry of ledger kinds (consejo.ledger.kinds): services append only registered kinds
with the payload their spec names; entries written under an old name read as their kind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation

from consejo.core import ledger as chain
from consejo.ledger.kinds import RENAMED, SPECS, Kind, kind_of, names_of, payload_problem
from consejo.ledger.models import LedgerEntry, LedgerHead
from consejo.ledger.selectors import kind_label, ledger_entry_list, ledger_verify
from consejo.ledger.services import ledger_append, service_instant

pytestmark = pytest.mark.django_db


def test_every_kind_has_a_spec_and_old_names_are_not_kinds() -> None:
    assert set(SPECS) == set(Kind)
    for old, new in RENAMED.items():
        assert kind_of(old) is new
        assert old not in {k.value for k in Kind}
        assert old in names_of(new)
    assert kind_of("no.such_kind") is None


@pytest.mark.parametrize("kind", list(Kind))
def test_a_payload_must_carry_its_fields_and_no_other(kind: Kind) -> None:
    spec = SPECS[kind]
    full = dict.fromkeys(spec.fields + spec.optional, 1)
    assert payload_problem(kind, full) is None
    assert payload_problem(kind, dict.fromkeys(spec.fields, 1)) is None
    assert payload_problem(kind, full | {"unknown_field": 1}) is not None
    assert payload_problem(kind, [1]) is not None
    for field in spec.fields:
        assert payload_problem(kind, {k: v for k, v in full.items() if k != field}) is not None


def test_the_append_refuses_an_unregistered_kind_or_payload_before_writing() -> None:
    before = LedgerEntry.objects.count()
    with pytest.raises(ValueError, match=r"plan\.voted payload"), transaction.atomic():
        ledger_append(Kind.PLAN_VOTED, {"plan": 1}, at=service_instant())
    with pytest.raises(ValueError, match="not a valid Kind"), transaction.atomic():
        ledger_append("plan.vote", {}, at=service_instant())  # type: ignore[arg-type]
    assert LedgerEntry.objects.count() == before


def _append_as_written_then(kind: str, payload: dict[str, Any]) -> LedgerEntry:
    """An entry as an earlier version wrote it, under its old name."""
    with transaction.atomic():
        at = service_instant(datetime(2005, 6, 9, 12, tzinfo=UTC))
        head = LedgerHead.objects.select_for_update().get(id=1)
        entry = chain.make_entry(
            seq=head.seq + 1, kind=kind, at=at, payload=payload, prev=head.hash
        )
        row = LedgerEntry.objects.create(
            seq=entry.seq,
            kind=entry.kind,
            at=entry.at,
            payload=entry.payload,
            prev=entry.prev,
            hash=entry.hash,
        )
        head.seq, head.hash, head.at = entry.seq, entry.hash, entry.at
        head.save()
    return row


def test_an_entry_under_an_old_name_verifies_and_reads_as_its_kind(operator: Any) -> None:
    old = _append_as_written_then("plan.vote", {"plan": 1, "member": 2, "choice": "yes", "by": 3})
    with transaction.atomic():
        ledger_append(
            Kind.PLAN_VOTED,
            {"plan": 1, "member": 4, "choice": "no", "by": 3},
            at=service_instant(),
        )
    assert ledger_verify().ok
    for name in ("plan.vote", "plan.voted"):
        assert [e.kind for e in ledger_entry_list(kind=name)] == ["plan.voted", "plan.vote"]
    with translation.override("en"):
        assert kind_label(old.kind) == kind_label("plan.voted") == "vote on a plan"
    client = Client()
    client.force_login(operator)
    page = client.get("/ledger/?kind=plan.vote")
    assert page.status_code == 200
    assert f"/ledger/{old.seq}/" in page.content.decode()
    from consejo.bodies.services import api_token_issue

    token = api_token_issue(user=operator, name="test")
    answer = client.get(
        "/api/v1/ledger/entries?kind=plan.voted", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert answer.status_code == 200, answer.content
    assert sorted(e["kind"] for e in json.loads(answer.content)) == [
        "plan.vote",
        "plan.voted",
    ]
