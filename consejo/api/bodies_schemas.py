"""The shapes of the bodies API: what it takes (*In) and what it answers (*Out), and the
functions that build the answers from the selectors' rows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from ninja import Schema
from pydantic import Field, Strict

from consejo.api.schemas import (
    WHOLE,
    AddressText,
    Flag,
    one_of,
    slug_rule,
)
from consejo.bodies import services
from consejo.bodies.choices import ApportionmentMethod, BodyKind, CouncilLevel, Sector
from consejo.bodies.services import MAX_MEMBERS_PER_SEAT
from consejo.core.apportion import MAX_SEATS

if TYPE_CHECKING:  # the models only name types here: interfaces never import them
    from consejo.bodies.models import Body, Federation, Membership


class BodyOut(Schema):
    slug: str
    name: str
    kind: str
    level: str
    place: str
    members: int  # people it represents: its members, or for a council those beneath it
    parents: list[str]


class SeatsOut(Schema):
    body: str
    members: int
    quota: str
    seats: int


class ApportionmentOut(Schema):
    council: str
    method: str
    seats: int
    min_seats: int
    members_per_seat: int | None
    computed_at: datetime
    ledger_seq: int
    rows: list[SeatsOut]


class BodyDetailOut(BodyOut):
    children: list[str]
    apportionment: ApportionmentOut | None
    seats_in_councils: dict[str, int | None]


class BodyIn(Schema):
    name: str
    slug: Annotated[str, slug_rule(80)]
    kind: Annotated[str, one_of(BodyKind.values)]
    level: Annotated[str, one_of(["", *CouncilLevel.values], "councils and committees only")] = ""
    place: str = ""
    description: str = ""
    parent: str | None = None


class SeatsIn(Schema):
    method: Annotated[str, one_of(ApportionmentMethod.values)]
    # Refused here whatever the method, though one of them ignores it: what the schema admits
    # is what the server accepts.
    seats: Annotated[int, Strict(), Field(ge=1, le=MAX_SEATS), WHOLE] | None = None
    min_seats: Annotated[int, Strict(), Field(ge=0, le=MAX_SEATS), WHOLE] = 0
    members_per_seat: (
        Annotated[int, Strict(), Field(ge=1, le=MAX_MEMBERS_PER_SEAT), WHOLE] | None
    ) = None


class LinkIn(Schema):
    body: str


class LinkOut(Schema):
    link: int
    body: str
    council: str
    start: datetime
    end: datetime | None


class MemberIn(Schema):
    name: str
    sector: Annotated[str, one_of(Sector.values)]
    phone: Annotated[
        str,
        Field(
            description="digits, spaces, ( ) . - and a leading +; 6 to 15 digits",
            json_schema_extra={"pattern": r"^\s*(\+?[0-9 ().-]{6,30})?\s*$"},
        ),
    ] = ""
    same_name_ok: Flag = False  # a different person with a name already on the roster


class MembershipOut(Schema):
    membership: int
    member: int
    name: str
    body: str
    sector: str
    role: str
    start: datetime
    end: datetime | None


def membership_out(m: Membership) -> MembershipOut:
    return MembershipOut(
        membership=m.pk,
        member=m.member_id,
        name=m.member.name,
        body=m.body.slug,
        sector=m.sector,
        role=m.role,
        start=m.start,
        end=m.end,
    )


def body_out(body: Body, members: int, parents: list[str]) -> BodyOut:
    return BodyOut(
        slug=body.slug,
        name=body.name,
        kind=body.kind,
        level=body.level,
        place=body.place,
        members=members,
        parents=parents,
    )


def link_out(link: Federation) -> LinkOut:
    return LinkOut(
        link=link.pk, body=link.body.slug, council=link.parent.slug, start=link.start, end=link.end
    )


class LoginGrantIn(Schema):
    username: AddressText


class LoginCodeOut(Schema):
    member: int
    user: int
    username: str
    code: str  # shown once: stored only as a keyed digest, never in the ledger
    expires: datetime


class LoginCardOut(LoginCodeOut):
    name: str


class LoginCardsOut(Schema):
    body: str
    cards: list[LoginCardOut]
    skipped: int


class LoginStateOut(Schema):
    user: int
    active: bool


def code_out(issued: services.IssuedCode) -> LoginCodeOut:
    return LoginCodeOut(
        member=issued.member.pk,
        user=issued.user.pk,
        username=issued.username,
        code=issued.printed,
        expires=issued.expires,
    )
