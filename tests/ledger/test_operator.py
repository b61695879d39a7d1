"""``consejo operator add``: an operator made through the ledger, which the audit then knows."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.ledger.audit import audit

pytestmark = pytest.mark.django_db


def test_an_operator_made_by_the_command_is_recorded_and_audited(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("una-clave-larga-2026\n"))
    out = io.StringIO()
    call_command("operator", "add", "admin", stdout=out)
    assert out.getvalue().strip() == "operator admin made"
    user = get_user_model().objects.get(username="admin")
    assert (user.is_superuser, user.is_staff, user.is_active) == (True, True, True)
    assert user.check_password("una-clave-larga-2026")
    assert audit().ok


def test_an_operator_made_behind_the_ledger_is_named_by_the_audit() -> None:
    get_user_model().objects.create_superuser("intruso", password="x-long-password-1")
    found = [str(d) for d in audit().differences]
    assert len(found) == 1
    assert "auth.User" in found[0]
    assert "a row that no ledger entry made" in found[0]


def test_a_weak_password_or_a_taken_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from consejo.bodies.services import operator_create

    with pytest.raises(InvalidInput):
        operator_create(username="admin", password="corta")
    operator_create(username="admin", password="una-clave-larga-2026")
    with pytest.raises(Conflict):
        operator_create(username="admin", password="otra-clave-larga-2026")
    assert get_user_model().objects.count() == 1


def test_only_an_operator_makes_another_from_the_web(outsider: object) -> None:
    from consejo.bodies.services import operator_create

    with pytest.raises(PermissionDenied):
        operator_create(username="nuevo", password="una-clave-larga-2026", actor=outsider)
    assert not get_user_model().objects.filter(username="nuevo").exists()
