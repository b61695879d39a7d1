"""What rests on the bodies' rows and lives above them: the mandates a body gives (its seats in
councils and its offices), and the seats apportioned to it. The bodies app states here what it
asks of them, as a protocol: who holds a body's acting offices (its authority checks read
them), and what must follow its changes;
the mandates app registers the one implementation at start-up (``MandatesConfig.ready``), as
every app registers its replayers with the audit.

Mandates sit above bodies in the order of the apps (docs/architecture.md): a mandate names the
bodies and members it joins, so bodies cannot import them. Yet a member who leaves a body loses,
at that instant, the seats and offices it gave her (issue 11), and a reapportionment that lowers
a body's seats makes its last delegates substitutes, in the same transaction as the change that
caused it. Nothing registered, nothing done quietly: :func:`dependents` refuses, so that a
missing registration fails loudly instead of leaving mandates that outlive their ground.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet


@dataclass(frozen=True)
class Left:
    """A membership that ended: ``member_id`` left ``body_id``."""

    membership_id: int
    member_id: int
    body_id: int


class Dependents(Protocol):
    """The mandates app's part (consejo.mandates.dependents.MandateDependents)."""

    def acting_offices(self, at: datetime) -> QuerySet[Any]:
        """The mandates in force at ``at`` of the offices that act for their body
        (``core.offices.ACTING_OFFICES``), their holders only: rows with ``member`` and
        ``council`` (the body whose office it is)."""
        ...

    def leaves_headless(self, *, member_id: int, body_id: int, at: datetime) -> bool:
        """Whether ``member_id`` leaving ``body_id`` at ``at`` would leave it with nobody in
        an acting office and no substitute to take one (``core.offices.leaves_body_headless``)."""
        ...

    def follow(
        self,
        *,
        left: Sequence[Left],
        reapportioned: Sequence[int],
        unlinked: Sequence[tuple[int, int]],
        at: datetime,
        by: int | None,
    ) -> None:
        """What follows, at ``at``, one act of a bodies service: the mandates each body of
        ``left`` gave the member who left it end, with everything held through them; so does
        the delegation of each (body, council) link ``unlinked``; and the delegations concerned,
        with those of the councils ``reapportioned``, are brought to their new seats."""
        ...


_registered: list[Dependents] = []


def register_dependents(implementation: Dependents) -> None:
    """Register what follows the bodies' changes (from ``MandatesConfig.ready``); a second
    registration replaces the first."""
    _registered[:] = [implementation]


def dependents() -> Dependents:
    """The registered implementation; ImproperlyConfigured when the mandates app is missing."""
    if not _registered:
        raise ImproperlyConfigured("consejo.mandates is not installed: mandates cannot follow")
    return _registered[0]
