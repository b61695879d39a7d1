"""The ledger's pages: newest first, page by page, and one page per entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consejo.bodies import services
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry
from consejo.ledger.selectors import LEDGER_PAGE_SIZE
from tests.builders import build_small_federation

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(operator: Any) -> int:
    federation = build_small_federation(actor=operator)
    for i in range(LEDGER_PAGE_SIZE + 5):
        services.member_add(
            actor=operator, body_id=federation.mine.pk, name=f"Minero {i:03d}", sector="miner"
        )
    return LedgerEntry.objects.count()


def test_the_ledger_is_paged_newest_first(entries: int) -> None:
    first = Client().get("/ledger/").content.decode()
    assert f'<a href="/ledger/{entries}/">{entries}</a>' in first
    assert f'<a href="/ledger/{entries - LEDGER_PAGE_SIZE}/">' not in first
    assert 'href="?page=2">más antiguos →</a>' in first
    second = Client().get("/ledger/?page=2").content.decode()
    assert f'<a href="/ledger/{entries - LEDGER_PAGE_SIZE}/">' in second
    assert "← más recientes" in second
    # A page number out of range is the nearest page, not an error.
    assert Client().get("/ledger/?page=999999").status_code == 200
    assert Client().get("/ledger/?page=abc").status_code == 200


def test_an_entry_has_its_own_page_with_its_hashes_and_for_members_its_payload(
    entries: int, operator: Any
) -> None:
    entry = LedgerEntry.objects.get(seq=entries)
    public = Client().get(f"/ledger/{entry.seq}/").content.decode()
    assert f'<dd class="hash">{entry.hash}</dd>' in public
    assert f'<a href="/ledger/{entry.seq - 1}/">{entry.prev}</a>' in public
    assert "afiliación iniciada" in public  # the kind, in the reader's language
    assert "&quot;sector&quot;" not in public  # payloads say who belongs where: not to the public
    member = Client()
    member.force_login(operator)
    page = member.get(f"/ledger/{entry.seq}/").content.decode()
    assert '<pre class="payload">' in page
    assert "&quot;sector&quot;: &quot;miner&quot;" in page
    assert Client().get(f"/ledger/{entries + 1}/").status_code == 404


def test_every_kind_the_code_writes_is_registered_by_name() -> None:
    """Services name kinds from the registry (``Kind.X``), never as string literals."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "consejo"
    literal, named = set(), set()
    for source in root.rglob("*.py"):
        text = source.read_text()
        literal |= set(re.findall(r'ledger_append(?:_many)?\(\s*"([a-z_.]+)"', text))
        named |= set(re.findall(r"\bKind\.([A-Z_]+)", text))
    assert literal == set()
    assert named
    assert named <= {k.name for k in Kind}, named - {k.name for k in Kind}
