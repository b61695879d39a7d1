"""Calling an election: who elects, into which council, how many seats, by which method and
ballot, and (for a secret ballot) its trustees."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import (
    actor_ref,
    current,
    require_secretary_or_operator,
)
from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    Body,
    Federation,
    Member,
)
from consejo.boxes import services as boxes
from consejo.common.actors import Actor
from consejo.common.rows import row_of
from consejo.common.text import clean_text
from consejo.core.counting.methods import METHODS
from consejo.core.errors import InvalidInput
from consejo.core.ledger import format_instant
from consejo.elections.models import BallotMode, Election
from consejo.elections.selectors import (
    election_reference,
)
from consejo.ledger.kinds import Kind
from consejo.ledger.services import ledger_append, service_instant
from consejo.mandates.choices import Office
from consejo.mandates.electorate import elector_ids


def election_create(
    *,
    actor: Actor,
    body_id: int,
    council_id: int,
    title: str,
    method: str,
    mode: str,
    opens_at: datetime,
    closes_at: datetime,
    seats: int | None = None,
    substitutes: int | None = None,
    trustee_ids: Sequence[int] = (),
    threshold: int | None = None,
    office: str = "",
    at: datetime | None = None,
) -> Election:
    """Call an election: the electors of the electing body (its members; a council's sitting
    delegates, consejo.mandates.electorate) elect ``seats`` people into a council, or to an
    office of the body.

    The council is one the body sends delegates to (then the seats are those apportioned to the
    body there, unless no apportionment exists yet), or a committee of the body. An office
    (``office``: secretary, chair, treasurer, a committee's coordinator) is the body's own: its
    ``council_id`` is the body, it has one seat, and its substitutes (default one) take it
    if it empties. Online
    ballots need a nomination period first: voting opens after the election is called.
    ``substitutes`` defaults to as many as the seats. A secret ballot names its trustees
    (``trustee_ids``: at least three members of the body or of the council, each with a login), any
    ``threshold`` of whom open the box (default: a majority); they make the election key
    before voting opens (consejo.boxes.services.trustee_step).
    """
    title = clean_text(title, label=_("title"), max_length=200, required=True)
    if method not in METHODS:
        raise InvalidInput(_("unknown counting method: %(method)s") % {"method": method})
    if mode not in BallotMode.values:
        raise InvalidInput(_("unknown kind of ballot: %(mode)s") % {"mode": mode})
    if opens_at.tzinfo is None or closes_at.tzinfo is None:
        raise InvalidInput(_("an instant must carry its time zone"))
    try:
        opens_at, closes_at = opens_at.astimezone(UTC), closes_at.astimezone(UTC)
    except OverflowError as error:  # year 9999 in one zone can be year 10000 in UTC
        raise InvalidInput(_("an instant lies outside the years 1 to 9999")) from error
    if closes_at <= opens_at:
        raise InvalidInput(_("voting must close after it opens"))
    with transaction.atomic(durable=True):
        at = service_instant(at)
        body = row_of(Body, body_id, _("no such body"))
        council = row_of(Body, council_id, _("no such body"))
        require_secretary_or_operator(actor, body, at, gettext_noop("call an election"))
        if office:
            seats = _office_seats(body, council, office, seats)
            if substitutes is None:
                substitutes = 1
        else:
            if council.kind not in COUNCIL_KINDS:
                raise InvalidInput(_("%(body)s is not a council or committee") % {"body": council})
            delegates_to = Federation.objects.filter(
                current(at), body=body, parent=council
            ).exists()
            committee_of = Federation.objects.filter(
                current(at), body=council, parent=body
            ).exists()
            if not delegates_to and not committee_of:
                raise InvalidInput(
                    _("%(body)s neither sends delegates to %(council)s nor has it as a committee")
                    % {"body": body, "council": council}
                )
            seats = _seats(body, council, seats, delegates_to)
        if method == "irv" and seats != 1:
            # The count (consejo.core.counting.irv) refuses more than one seat: say so now, not
            # after the ballots are in.
            raise InvalidInput(
                _(
                    "instant-runoff (IRV) fills one seat and this election fills %(n)d: "
                    "choose Scottish or Meek STV"
                )
                % {"n": seats}
            )
        if substitutes is None:
            substitutes = seats
        if not 0 <= substitutes <= 100:
            raise InvalidInput(_("substitutes must be from 0 to 100"))
        if mode != BallotMode.PAPER and opens_at <= at:
            raise InvalidInput(
                _("online voting must open later than now, so that candidates can be nominated")
            )
        election = Election.objects.create(
            body=body,
            council=council,
            office=office,
            title=title,
            method=method,
            mode=mode,
            seats=seats,
            substitutes=substitutes,
            opens_at=opens_at,
            closes_at=closes_at,
            created_at=at,
            created_by_id=actor_ref(actor),
        )
        if mode != BallotMode.SECRET and trustee_ids:
            raise InvalidInput(_("only a secret ballot has trustees"))
        ledger_append(
            Kind.ELECTION_CALLED,
            {
                "election": election.pk,
                "body": body.slug,
                "council": council.slug,
                "title": title,
                "method": method,
                "mode": mode,
                "seats": seats,
                "substitutes": substitutes,
                "opens_at": format_instant(opens_at),
                "closes_at": format_instant(closes_at),
                "by": actor_ref(actor),
            }
            | ({"office": office} if office else {}),
            at=at,
        )
        if mode == BallotMode.SECRET:
            if len(trustee_ids) < 3:
                raise InvalidInput(_("a secret ballot needs at least three trustees"))
            boxes.box_prepare(
                body=body,
                purpose=election_reference(election),
                trustees=_trustees(trustee_ids),
                threshold=threshold,
                ranked=METHODS[method].ranked,
                at=at,
                eligible=elector_ids([body, council], at),
            )
    return election


def _office_seats(body: Body, council: Body, office: str, seats: int | None) -> int:
    """An office election's one seat; InvalidInput for an office that is not one, an office of
    another body, or more seats than one."""
    if office not in Office.values:
        raise InvalidInput(_("unknown office: %(office)s") % {"office": office})
    if council.pk != body.pk:
        raise InvalidInput(
            _("an office of %(body)s is elected by %(body)s itself") % {"body": body}
        )
    if seats not in (None, 1):
        raise InvalidInput(_("an office has one holder: it is elected to one seat"))
    return 1


def _trustees(member_ids: Sequence[int]) -> list[Member]:
    """The members named as trustees, in the order given; InvalidInput names every key that is
    no member's."""
    keys = [pk for pk in member_ids if type(pk) is int]  # not a bool, which would be 0 or 1
    found = Member.objects.in_bulk(keys)
    missing = [str(pk) for pk in member_ids if type(pk) is not int or pk not in found]
    if missing:
        raise InvalidInput(_("no such member: %(ids)s") % {"ids": ", ".join(missing)})
    return [found[pk] for pk in member_ids]


def _seats(body: Body, council: Body, seats: int | None, delegates_to: bool) -> int:
    apportioned = None
    if delegates_to:
        # The council's newest apportionment decides, even when it gives this body no row (an
        # older one may still list seats the body no longer holds).
        latest = (
            Apportionment.objects.filter(council=council).order_by("-computed_at", "-id").first()
        )
        if latest is not None:
            row = ApportionedSeats.objects.filter(apportionment=latest, body=body).first()
            apportioned = row.seats if row is not None else 0
            if apportioned == 0:
                raise InvalidInput(
                    _("%(body)s holds no seats in %(council)s now: nobody to elect")
                    % {"body": body, "council": council}
                )
    if apportioned is not None:
        if seats is not None and seats != apportioned:
            raise InvalidInput(
                _("%(body)s holds %(n)d seats in %(council)s; an election fills exactly those")
                % {"body": body, "n": apportioned, "council": council}
            )
        seats = apportioned
    if seats is None:
        raise InvalidInput(_("say how many seats to fill"))
    if not 1 <= seats <= 1000:
        raise InvalidInput(_("seats must be from 1 to 1000"))
    return seats
