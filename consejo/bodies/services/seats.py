"""A council's seats: its rule, and the apportionment among its constituents, again whenever the
people they represent change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies import counts
from consejo.bodies.authority import (
    actor_ref,
    require_secretary_or_operator,
)
from consejo.bodies.dependents import Left, dependents
from consejo.bodies.models import (
    ApportionedSeats,
    Apportionment,
    ApportionmentMethod,
    Body,
)
from consejo.bodies.services._shared import _council
from consejo.common.actors import Actor
from consejo.core import apportion as core_apportion
from consejo.core.errors import InvalidInput
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant

MAX_MEMBERS_PER_SEAT = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL


def council_seats_configure(
    *,
    actor: Actor,
    council_id: int,
    method: str,
    seats: int | None = None,
    min_seats: int = 0,
    members_per_seat: int | None = None,
    at: datetime | None = None,
) -> Apportionment | None:
    """Set how a council's seats are apportioned, and apportion them now.

    ``method`` is one of the divisor or quota methods with a fixed number of ``seats``, or ``ratio``
    ("one seat per ``members_per_seat`` members, at least ``min_seats``").
    """
    if method not in ApportionmentMethod.values:
        raise InvalidInput(_("unknown apportionment method %(method)s") % {"method": method})
    if method == ApportionmentMethod.RATIO:
        if not members_per_seat or members_per_seat < 1:
            raise InvalidInput(_("the ratio needs a number of members per seat of at least 1"))
        seats = None
    else:
        if seats is None or seats < 1:
            raise InvalidInput(_("a council needs at least one seat"))
        members_per_seat = None
    if min_seats < 0:
        raise InvalidInput(_("the minimum number of seats cannot be negative"))
    if (seats or 0) > core_apportion.MAX_SEATS or min_seats > core_apportion.MAX_SEATS:
        raise InvalidInput(_("a council has at most %(n)d seats") % {"n": core_apportion.MAX_SEATS})
    if (members_per_seat or 0) > MAX_MEMBERS_PER_SEAT:
        raise InvalidInput(_("at most %(n)d members per seat") % {"n": MAX_MEMBERS_PER_SEAT})
    with transaction.atomic(durable=True):
        at = service_instant(at)
        council = _council(council_id)
        require_secretary_or_operator(actor, council, at, gettext_noop("set the seats"))
        Body.objects.filter(pk=council.pk).update(
            apportionment_method=method,
            seats=seats,
            min_seats=min_seats,
            members_per_seat=members_per_seat,
        )
        council.apportionment_method, council.seats = method, seats
        council.min_seats, council.members_per_seat = min_seats, members_per_seat
        ledger_append(
            Kind.COUNCIL_SEATS_CONFIGURED,
            {
                "council": council.slug,
                "method": method,
                "seats": seats,
                "min_seats": min_seats,
                "members_per_seat": members_per_seat,
                "by": actor_ref(actor),
            },
            at=at,
        )
        record = _reapportion(council, at=at, actor=actor, force=True)
        _follow(at=at, actor=actor, reapportioned=[council.pk] if record else [])
        return record


def _reapportion_parents(
    body: Body,
    *,
    at: datetime,
    actor: Actor,
    joined: Sequence[int] = (),
    left: Sequence[int] = (),
) -> list[int]:
    """Count the people who ``joined`` or ``left`` ``body`` in it and in every council above it
    (``bodies.counts``), then apportion again each of those councils that has a rule: each one
    counts the people of the base bodies beneath it. Five statements, whatever the federation's
    size: the councils above, two keeping the counts, two reading the councils' bases (and a
    record and its ledger entry for a council whose seats move)."""
    above = counts.councils_above(body.pk)
    counts.memberships_started(body, [council.pk for council in above], joined)
    counts.memberships_ended(body, [council.pk for council in above], left)
    return _reapportion_all([c for c in above if c.apportionment_method], at=at, actor=actor)


def _reapportion_all(councils: list[Body], *, at: datetime, actor: Actor) -> list[int]:
    """Apportion again each of ``councils`` (read inside this transaction, after the lock); their
    bases are read at once (``counts.apportionment_bases``: two queries). Returns the councils
    whose seats moved, for the mandates to follow (``bodies.dependents``)."""
    bases = counts.apportionment_bases([council.pk for council in councils])
    return [
        council.pk
        for council in councils
        if _reapportion(council, at=at, actor=actor, basis=bases[council.pk]) is not None
    ]


def _follow(
    *,
    at: datetime,
    actor: Actor,
    reapportioned: Sequence[int] = (),
    left: Sequence[Left] = (),
    unlinked: Sequence[tuple[int, int]] = (),
) -> None:
    """Let the mandates follow this act (``bodies.dependents``): those the members who left were
    given end, a delegation whose link ended ends, and delegations follow their new seats."""
    if reapportioned or left or unlinked:
        dependents().follow(
            left=left,
            reapportioned=reapportioned,
            unlinked=unlinked,
            at=at,
            by=actor_ref(actor),
        )


def _reapportion(
    council: Body,
    *,
    at: datetime,
    actor: Actor,
    force: bool = False,
    basis: counts.Basis | None = None,
) -> Apportionment | None:
    """Apportion ``council``'s seats from its constituents' current membership.

    A new record (and ledger entry) is written only when some body's seats change, or when
    ``force`` (the rule itself changed); a member joining rarely moves a seat. ``basis``: what
    the caller read for ``council`` inside this transaction, after the ledger lock (and then
    ``council`` too was read so); without it, both are read here.
    """
    if basis is None:
        # The caller's object may have been read before this transaction took the ledger lock.
        council = Body.objects.get(pk=council.pk)
        basis = counts.apportionment_bases([council.pk])[council.pk]
    if not council.apportionment_method:
        return None
    constituents, counted, latest_seats = basis.constituents, basis.represented, basis.latest_seats
    if council.apportionment_method != ApportionmentMethod.RATIO and council.min_seats * len(
        constituents
    ) > (council.seats or 0):
        # Checked whether or not anyone is a member yet: a rule that cannot work must be
        # refused when it is set (or when a body joins), not when someone below joins later.
        raise InvalidInput(
            _(
                "%(council)s has %(seats)d seats and at least %(min)d for each of its "
                "%(n)d bodies: raise its seats or lower the minimum first"
            )
            % {
                "council": council,
                "seats": council.seats or 0,
                "min": council.min_seats,
                "n": len(constituents),
            }
        )
    if not constituents or not any(counted.values()):
        # Nobody to apportion among: record that once (so that no stale seats are shown), and
        # keep the rule for when members arrive.
        if latest_seats:
            # The row first, so that the entry names it; then the row names its entry.
            record = Apportionment.objects.create(
                council=council,
                method=council.apportionment_method,
                seats=0,
                min_seats=council.min_seats,
                members_per_seat=council.members_per_seat,
                computed_at=at,
                ledger_seq=0,
            )
            entry = ledger_append(
                Kind.APPORTIONMENT_COMPUTED,
                {
                    "apportionment": record.pk,
                    "council": council.slug,
                    "method": council.apportionment_method,
                    "seats": 0,
                    "min_seats": council.min_seats,
                    "members_per_seat": council.members_per_seat,
                    "shares": [],
                    "quotas": [],
                    "ties": [],
                    "by": actor_ref(actor),
                },
                at=at,
            )
            Apportionment.objects.filter(pk=record.pk).update(ledger_seq=entry.seq)
            record.ledger_seq = entry.seq
            return record
        return None
    shares = [core_apportion.Constituency(name=b.slug, members=counted[b.pk]) for b in constituents]
    try:
        ratio = council.apportionment_method == ApportionmentMethod.RATIO
        result = core_apportion.apportion_council(
            shares,
            method=None if ratio else core_apportion.Method(council.apportionment_method),
            seats=council.seats or 0,
            members_per_seat=council.members_per_seat,
            min_seats=council.min_seats,
        )
    except InvalidInput as error:
        raise InvalidInput(
            _("the seats of %(council)s cannot be apportioned: %(error)s")
            % {"council": council, "error": error}
        ) from error
    if not force and latest_seats == {b.pk: result.seats_of(b.slug) for b in constituents}:
        return None
    by_slug = {b.slug: b.pk for b in constituents}
    # The row first, so that the entry names it; then the row names its entry.
    record = Apportionment.objects.create(
        council=council,
        method=council.apportionment_method,
        seats=result.seats,
        min_seats=result.min_seats,
        members_per_seat=result.members_per_seat,
        computed_at=at,
        ties=list(result.ties),
        ledger_seq=0,
    )
    entry = ledger_append(
        Kind.APPORTIONMENT_COMPUTED,
        {
            "apportionment": record.pk,
            "council": council.slug,
            "method": council.apportionment_method,
            "seats": result.seats,
            "min_seats": result.min_seats,
            "members_per_seat": result.members_per_seat,
            "shares": [[s.name, s.members, s.seats] for s in result.shares],
            "quotas": [core_apportion.quota_text(s.quota) for s in result.shares],
            "ties": list(result.ties),
            "by": actor_ref(actor),
        },
        at=at,
    )
    Apportionment.objects.filter(pk=record.pk).update(ledger_seq=entry.seq)
    record.ledger_seq = entry.seq
    ApportionedSeats.objects.bulk_create(
        [
            ApportionedSeats(
                apportionment=record,
                body_id=by_slug[s.name],
                members=s.members,
                quota=core_apportion.quota_text(s.quota),
                seats=s.seats,
            )
            for s in result.shares
        ]
    )
    return record
