"""API for bodies, members and apportioned seats."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from consejo.api.auth import TokenAuth
from consejo.api.bodies_schemas import (
    ApportionmentOut,
    BodyDetailOut,
    BodyIn,
    BodyOut,
    LinkIn,
    LinkOut,
    LoginCardOut,
    LoginCardsOut,
    LoginCodeOut,
    LoginGrantIn,
    LoginStateOut,
    MemberIn,
    MembershipOut,
    SeatsIn,
    SeatsOut,
    body_out,
    code_out,
    link_out,
    membership_out,
)
from consejo.api.schemas import (
    MAX_KEY,
    NO_NUL_PATTERN,
    TOKEN,
    AddressNumber,
    AddressText,
    errors,
)
from consejo.bodies import services
from consejo.bodies.access import access_member, access_roster, lookup_body, lookup_link
from consejo.bodies.represented import represented_counts
from consejo.bodies.selectors import body_list, body_page, membership_list

router = Router(tags=["bodies"])

#: A body's short name in the address: any text but a NUL (one that names no body is a 404).
Slug = Annotated[str, Path(..., pattern=NO_NUL_PATTERN)]
LinkId = Annotated[AddressNumber, Path(..., ge=1, le=MAX_KEY)]
MemberId = Annotated[AddressNumber, Path(..., ge=1, le=MAX_KEY)]


@router.get(
    "/",
    response={200: list[BodyOut], **errors()},
    summary="All bodies with their current member counts",
)
def list_bodies(request: HttpRequest) -> list[BodyOut]:
    at = timezone.now()
    bodies, parents = body_list(at=at)
    counts = represented_counts(bodies, at)
    return [body_out(b, counts.get(b.pk, 0), parents.get(b.pk, [])) for b in bodies]


@router.get(
    "/{slug}",
    response={200: BodyDetailOut, **errors(404)},
    summary="One body, its links and its seats",
)
def get_body(request: HttpRequest, slug: Slug) -> BodyDetailOut:
    at = timezone.now()
    body = lookup_body(slug=slug)
    d = body_page(body=body, actor=request.user, at=at)
    record = d.apportionment
    return BodyDetailOut(
        **body_out(body, d.represented, [p.council.slug for p in d.parents]).dict(),
        children=[child.slug for child, _members, _seats in d.children],
        apportionment=None
        if record is None
        else ApportionmentOut(
            council=body.slug,
            method=record.method,
            seats=record.seats,
            min_seats=record.min_seats,
            members_per_seat=record.members_per_seat,
            computed_at=record.computed_at,
            ledger_seq=record.ledger_seq,
            rows=[
                SeatsOut(body=r.body.slug, members=r.members, quota=r.quota, seats=r.seats)
                for r in record.rows.all()
            ],
        ),
        seats_in_councils={p.council.slug: p.seats for p in d.parents},
    )


@router.post(
    "/{slug}/members",
    response={201: MembershipOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register a member of a body (its secretary)",
)
def add_member(request: HttpRequest, slug: Slug, data: MemberIn) -> Status:
    body = lookup_body(slug=slug)
    membership = services.member_add(
        actor=request.user,
        body_id=body.pk,
        name=data.name,
        sector=data.sector,
        phone=data.phone,
        same_name_ok=data.same_name_ok,
    )
    return Status(201, membership_out(membership))


@router.get(
    "/{slug}/members",
    response={200: list[MembershipOut], **errors(*TOKEN)},
    auth=TokenAuth(),
    summary="The current members of a body (authenticated)",
)
def list_members(
    request: HttpRequest,
    slug: Slug,
    q: AddressText = "",
    offset: Annotated[AddressNumber, Query(0, ge=0, le=10**9)] = 0,
    limit: Annotated[AddressNumber, Query(100, ge=1, le=500)] = 100,
) -> list[MembershipOut]:
    body = access_roster(actor=request.user, body=lookup_body(slug=slug))
    rows = membership_list(body=body, at=timezone.now(), search=q.strip())
    return [membership_out(m) for m in rows[offset : offset + limit]]


@router.post(
    "/",
    response={201: BodyDetailOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Create a body (operator, or a council's secretary creating a body under that council)",
)
def create_body(request: HttpRequest, data: BodyIn) -> Status:
    parent = lookup_body(slug=data.parent) if data.parent else None
    body = services.body_create(
        actor=request.user,
        name=data.name,
        slug=data.slug,
        kind=data.kind,
        level=data.level,
        place=data.place,
        description=data.description,
        parent_id=parent.pk if parent is not None else None,
    )
    return Status(201, get_body(request, body.slug))


@router.post(
    "/{slug}/seats",
    response={200: BodyDetailOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Set how a council's seats are apportioned, and apportion them (its secretary)",
)
def set_seats(request: HttpRequest, slug: Slug, data: SeatsIn) -> BodyDetailOut:
    council = lookup_body(slug=slug)
    services.council_seats_configure(
        actor=request.user,
        council_id=council.pk,
        method=data.method,
        seats=data.seats,
        min_seats=data.min_seats,
        members_per_seat=data.members_per_seat,
    )
    return get_body(request, slug)


@router.post(
    "/{slug}/links",
    response={201: LinkOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="A body joins this council: it sends delegates here from now on (its secretary)",
)
def add_link(request: HttpRequest, slug: Slug, data: LinkIn) -> Status:
    council = lookup_body(slug=slug)
    body = lookup_body(slug=data.body)
    link = services.federation_link(actor=request.user, body_id=body.pk, parent_id=council.pk)
    return Status(201, link_out(link))


@router.post(
    "/{slug}/links/{link_id}/end",
    response={200: LinkOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="End a body's link to this council (its secretary)",
)
def end_link(request: HttpRequest, slug: Slug, link_id: LinkId) -> LinkOut:
    council = lookup_body(slug=slug)
    lookup_link(council=council, link_id=link_id)
    link = services.federation_unlink(actor=request.user, link_id=link_id)
    return link_out(link)


# --- logins: one-time codes, never a password chosen by someone else ---------------------------


@router.post(
    "/members/{member_id}/login",
    response={201: LoginCodeOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Give a member a login: a login name and a one-time code with which the member sets "
    "their own password at /login/code/ (a secretary of the member's body, or an operator)",
)
def grant_login(request: HttpRequest, member_id: MemberId, data: LoginGrantIn) -> Status:
    member = access_member(actor=request.user, member_id=member_id)
    issued = services.member_login_grant(
        actor=request.user, member_id=member.pk, username=data.username
    )
    return Status(201, code_out(issued))


@router.post(
    "/members/{member_id}/login/reset",
    response={201: LoginCodeOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Reset a member's login: the password, sessions and API tokens stop working, and a "
    "new one-time code is issued (the same people as a grant)",
)
def reset_login(request: HttpRequest, member_id: MemberId) -> Status:
    member = access_member(actor=request.user, member_id=member_id)
    issued = services.member_login_reset(actor=request.user, member_id=member.pk)
    return Status(201, code_out(issued))


@router.post(
    "/members/{member_id}/login/{action}",
    response={200: LoginStateOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Disable or enable a member's login (operators): action is disable or enable",
)
def set_login_active(
    request: HttpRequest, member_id: MemberId, action: Literal["disable", "enable"]
) -> LoginStateOut:
    member = access_member(actor=request.user, member_id=member_id)
    service = services.login_enable if action == "enable" else services.login_disable
    user = service(actor=request.user, user_id=member.user_id or 0)
    return LoginStateOut(user=user.pk, active=user.is_active)


@router.post(
    "/{slug}/login-cards",
    response={201: LoginCardsOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Issue one-time login cards for a body's roster: a new login for members without "
    "one, a new code for logins whose owner set no password yet (its secretary, or an operator)",
)
def issue_login_cards(request: HttpRequest, slug: Slug) -> Status:
    body = lookup_body(slug=slug)
    printed = services.login_cards_issue(actor=request.user, body_id=body.pk)
    cards = [
        LoginCardOut(name=card.member.name, **code_out(card).model_dump()) for card in printed.cards
    ]
    return Status(201, LoginCardsOut(body=body.slug, cards=cards, skipped=printed.skipped))
