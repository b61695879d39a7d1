"""API for supply: items, depots and their stock counts, recipients and their needs, routes, and
the allocation plans a supply committee proposes and approves by a recorded vote.

The figures of a distribution are public, like bodies: the items, what each depot holds, whom a
committee serves with what tier, need and routes, and every plan with its status, its tally, its
frozen input and output and their digests (a clinic's need is no secret, and anyone may check the
plan against the ledger). Names of people are not public: who counted, who registered a need, who
proposed a plan and how each member voted acted in an office, and are shown as the one policy says
(``core.visibility``, ``Names.OFFICE``: to members of the federation, with a token or a session;
docs/privacy.md). Writes need a token; who may do what is decided by the services at the instant
of the request.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import ConfigDict

from consejo.api.auth import TokenAuth, reader_of
from consejo.api.schemas import (
    MAX_KEY,
    NO_NUL_PATTERN,
    TOKEN,
    AddressNumber,
    AddressText,
    Latitude,
    Longitude,
    WholeNumber,
    bounds,
    errors,
    one_of,
    slug_rule,
)
from consejo.bodies.access import access_body
from consejo.bodies.authority import names_visible
from consejo.bodies.selectors import viewer_member
from consejo.common import ratelimit
from consejo.core.errors import InvalidInput
from consejo.core.visibility import Names
from consejo.core.votes import votes_needed
from consejo.supply import services
from consejo.supply.access import (
    access_depot,
    access_item,
    access_plan,
    access_recipient,
    access_supply_committee,
)
from consejo.supply.models import (
    MAX_COST,
    MAX_TIER,
    MAX_UNITS,
    Depot,
    Item,
    Need,
    Plan,
    Recipient,
    RecipientKind,
    Route,
    StockCount,
    VoteChoice,
)
from consejo.supply.selectors import (
    API_RECIPIENTS,
    HISTORY_ROWS,
    RecipientRow,
    Stock,
    committee_supply,
    item_list,
    need_list,
    plan_tally,
    plan_votes,
    recipient_row,
    stock_count_list,
)

router = Router(tags=["supply"])

Key = Annotated[AddressNumber, Path(..., ge=1, le=MAX_KEY)]
#: A short name in the address: any text but a NUL (one that names nothing is a 404).
Slug = Annotated[str, Path(..., pattern=NO_NUL_PATTERN)]
Units = Annotated[WholeNumber, bounds(0, MAX_UNITS)]
Tier = Annotated[WholeNumber, bounds(1, MAX_TIER, "1 is the highest priority")]


# --- schemas ----------------------------------------------------------------------------------


class In(Schema):
    """A request's JSON: a field the API does not know is refused (a misspelt ``"housholds"``
    is never silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class ItemIn(In):
    slug: Annotated[str, slug_rule(60)]
    name: str
    unit: str


class ItemOut(Schema):
    slug: str
    name: str
    unit: str


class StockOut(Schema):
    item: str
    units: int
    counted_at: datetime


class DepotOut(Schema):
    slug: str
    name: str
    place: str
    commission: str  # the control commission that counts its stock
    latitude: str | None
    longitude: str | None
    stock: list[StockOut]  # the newest count of each item


class NeedOut(Schema):
    item: str
    units: int
    registered_at: datetime


class RouteOut(Schema):
    depot: str
    recipient: str
    cost: int  # per unit


class RecipientOut(Schema):
    slug: str
    name: str
    kind: str
    body: str  # its own body, whose secretary registers its needs
    committee: str
    tier: int  # 1 is the highest priority
    households: int | None
    latitude: str | None
    longitude: str | None
    needs: list[NeedOut]  # the newest registration of each item
    routes: list[RouteOut]  # cheapest first


class PlanSummaryOut(Schema):
    id: int
    status: str  # "proposed", "approved", "rejected" or "superseded"
    proposed_at: datetime
    decided_at: datetime | None
    total_cost: int


class CommitteeOut(Schema):
    slug: str
    name: str
    depots: list[DepotOut]
    recipients: list[RecipientOut]  # by tier, then short name; one page (offset, limit)
    recipients_total: int
    plans: list[PlanSummaryOut]  # the newest 50, newest first
    plan_in_force: int | None  # the approved plan, if any


class CountIn(In):
    item: str
    units: Units
    note: str = ""


class CountOut(Schema):
    id: int
    depot: str
    item: str
    units: int
    counted_at: datetime
    counted_by: str | None  # a name, for those who may see the roster
    note: str


class NeedIn(In):
    item: str
    units: Units


class NeedRegistrationOut(Schema):
    id: int
    recipient: str
    item: str
    units: int
    registered_at: datetime
    registered_by: str | None  # a name, for those who may see the roster


class RecipientIn(In):
    slug: Annotated[str, slug_rule(80)]
    name: str
    kind: Annotated[str, one_of(RecipientKind.values)]
    body: str
    tier: Tier
    households: Units | None = None
    latitude: Latitude | None = None  # both or neither
    longitude: Longitude | None = None


class DepotIn(In):
    slug: Annotated[str, slug_rule(80)]
    name: str
    commission: str  # the control commission (a committee) that counts its stock
    place: str = ""
    latitude: Latitude | None = None  # both or neither
    longitude: Longitude | None = None


class TierIn(In):
    tier: Tier


class RouteIn(In):
    depot: str
    recipient: str
    cost: Annotated[WholeNumber, bounds(0, MAX_COST, "per unit")]


class VoteIn(In):
    choice: Annotated[str, one_of(VoteChoice.values)]


class VoteOut(Schema):
    member: int
    name: str
    choice: str
    cast_at: datetime
    counted: bool  # false once the voter is no longer a member: only members' votes count


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int


class PlanOut(PlanSummaryOut):
    committee: str
    proposed_by: str | None  # a name, for those who may see the committee's roster
    problem_digest: str  # SHA-256 of the input's canonical JSON, as in the ledger
    result_digest: str
    ledger_seq: int  # the ledger entry of the proposal
    members: int  # the committee's current members
    needed: int  # yes votes that carry it: more than half of the members
    votes: TallyOut  # the votes of current members, as the rule counts them
    voters: list[VoteOut] | None  # names, for those who may see the committee's roster
    my_vote: str | None  # the reader's own vote, if any
    problem: dict[str, Any]  # the solver's input (docs/allocation.md)
    result: dict[str, Any]  # the solver's output: shipments, deliveries, levels...


# --- items ------------------------------------------------------------------------------------


@router.get(
    "/items", response={200: list[ItemOut], **errors()}, summary="Every item distributed, by name"
)
def list_items(request: HttpRequest) -> list[ItemOut]:
    return [_item_out(i) for i in item_list()]


@router.post(
    "/items",
    response={201: ItemOut, **errors(401, 403, 409)},
    auth=TokenAuth(),
    summary="Register an item (an operator or a supply committee's secretary)",
)
def create_item(request: HttpRequest, data: ItemIn) -> Status:
    item = services.item_create(actor=request.user, slug=data.slug, name=data.name, unit=data.unit)
    return Status(201, _item_out(item))


# --- committees -------------------------------------------------------------------------------


@router.get(
    "/committees/{slug}",
    response={200: CommitteeOut, **errors(404)},
    summary="A supply committee: depots with their stock, recipients with tier, needs and "
    "routes, plans",
)
def get_committee(
    request: HttpRequest,
    slug: Slug,
    offset: Annotated[AddressNumber, Query(0, ge=0, le=10**9)] = 0,
    limit: Annotated[
        AddressNumber, Query(API_RECIPIENTS, ge=1, le=API_RECIPIENTS)
    ] = API_RECIPIENTS,
) -> CommitteeOut:
    committee = access_supply_committee(actor=request.user, slug=slug)
    supply = committee_supply(committee=committee, offset=offset, limit=limit)
    return CommitteeOut(
        slug=committee.slug,
        name=committee.name,
        depots=[_depot_out(row.depot, row.stock) for row in supply.depots],
        recipients=[_recipient_out(row, committee.slug) for row in supply.recipients],
        recipients_total=supply.recipients_total,
        plans=[_summary(p) for p in supply.plans],
        plan_in_force=supply.in_force.pk if supply.in_force else None,
    )


@router.post(
    "/committees/{slug}/recipients",
    response={201: RecipientOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register a recipient the committee serves, with its tier (the committee's secretary)",
)
def register_recipient(request: HttpRequest, slug: Slug, data: RecipientIn) -> Status:
    committee = access_supply_committee(actor=request.user, slug=slug)
    body = access_body(actor=request.user, slug=data.body)
    recipient = services.recipient_register(
        actor=request.user,
        committee=committee,
        body=body,
        slug=data.slug,
        name=data.name,
        kind=data.kind,
        tier=data.tier,
        households=data.households,
        location=_place(data.latitude, data.longitude),
    )
    # Read back as stored (the coordinates as the database keeps them).
    recipient = access_recipient(actor=request.user, slug=recipient.slug)
    return Status(201, _recipient_out(recipient_row(recipient=recipient), committee.slug))


@router.post(
    "/committees/{slug}/depots",
    response={201: DepotOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register a depot whose stock the committee allocates and a control commission "
    "counts (the committee's secretary)",
)
def register_depot(request: HttpRequest, slug: Slug, data: DepotIn) -> Status:
    committee = access_supply_committee(actor=request.user, slug=slug)
    commission = access_supply_committee(actor=request.user, slug=data.commission)
    depot = services.depot_create(
        actor=request.user,
        committee=committee,
        commission=commission,
        slug=data.slug,
        name=data.name,
        place=data.place,
        location=_place(data.latitude, data.longitude),
    )
    depot = access_depot(actor=request.user, slug=depot.slug)
    return Status(201, _depot_out(depot, []))


@router.post(
    "/committees/{slug}/plans",
    # 429: proposals are limited per member (issue 8, item 10).
    response={201: PlanOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Propose an allocation plan from the committee's current figures (a member)",
)
def propose_plan(request: HttpRequest, slug: Slug) -> Status | HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    # Counted together with the committee page's proposals: the API is no way around the limit.
    ratelimit.enforce(ratelimit.PROPOSALS, actor=request.user, via="API")
    plan = services.plan_propose(actor=request.user, committee=committee)
    return Status(201, _plan_out(request, access_plan(actor=request.user, plan_id=plan.pk)))


# --- depots and their counts ------------------------------------------------------------------


@router.get(
    "/depots/{slug}/counts",
    response={200: list[CountOut], **errors(404)},
    summary="A depot's stock counts, newest first (?item=slug; names for those who may see the "
    "roster)",
)
def list_counts(
    request: HttpRequest,
    slug: Slug,
    item: AddressText = "",
    limit: Annotated[AddressNumber, Query(HISTORY_ROWS, ge=1, le=500)] = HISTORY_ROWS,
) -> list[CountOut]:
    depot = access_depot(actor=request.user, slug=slug)
    counted = access_item(actor=request.user, slug=item) if item else None
    reader = reader_of(request)
    at = timezone.now()
    names = names_visible(reader, Names.OFFICE, at=at)
    return [_count_out(c, names) for c in stock_count_list(depot=depot, item=counted, limit=limit)]


@router.post(
    "/depots/{slug}/counts",
    response={201: CountOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Record a count of an item in the depot (a member of its control commission)",
)
def record_count(request: HttpRequest, slug: Slug, data: CountIn) -> Status:
    depot = access_depot(actor=request.user, slug=slug)
    item = access_item(actor=request.user, slug=data.item)
    count = services.stock_count_record(
        actor=request.user, depot_id=depot.pk, item_id=item.pk, units=data.units, note=data.note
    )
    return Status(201, _count_out(count, names=True))


# --- recipients and their needs ---------------------------------------------------------------


@router.get(
    "/recipients/{slug}/needs",
    response={200: list[NeedRegistrationOut], **errors(404)},
    summary="A recipient's registrations of need, newest first (?item=slug; names for those who "
    "may see the roster)",
)
def list_needs(
    request: HttpRequest,
    slug: Slug,
    item: AddressText = "",
    limit: Annotated[AddressNumber, Query(HISTORY_ROWS, ge=1, le=500)] = HISTORY_ROWS,
) -> list[NeedRegistrationOut]:
    recipient = access_recipient(actor=request.user, slug=slug)
    needed = access_item(actor=request.user, slug=item) if item else None
    reader = reader_of(request)
    at = timezone.now()
    names = names_visible(reader, Names.OFFICE, at=at)
    registrations = need_list(recipient=recipient, item=needed, limit=limit)
    return [_need_out(n, names) for n in registrations]


@router.post(
    "/recipients/{slug}/needs",
    response={201: NeedRegistrationOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register how many units of an item the recipient needs (its own body's secretary)",
)
def register_need(request: HttpRequest, slug: Slug, data: NeedIn) -> Status:
    recipient = access_recipient(actor=request.user, slug=slug)
    item = access_item(actor=request.user, slug=data.item)
    need = services.need_register(
        actor=request.user, recipient_id=recipient.pk, item_id=item.pk, units=data.units
    )
    return Status(201, _need_out(need, names=True))


@router.put(
    "/recipients/{slug}/tier",
    response={200: RecipientOut, **errors(*TOKEN, 409)},
    summary="Change a recipient's priority tier (its committee's secretary)",
    auth=TokenAuth(),
)
def set_tier(request: HttpRequest, slug: Slug, data: TierIn) -> RecipientOut:
    recipient = access_recipient(actor=request.user, slug=slug)
    services.recipient_tier_set(actor=request.user, recipient_id=recipient.pk, tier=data.tier)
    recipient = access_recipient(actor=request.user, slug=slug)
    return _recipient_out(recipient_row(recipient=recipient), recipient.committee.slug)


# --- routes -----------------------------------------------------------------------------------


@router.api_operation(
    ["PUT", "POST"],
    "/routes",
    response={200: RouteOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Say that a depot reaches a recipient at a cost per unit, or change the cost "
    "(the committee's secretary)",
)
def set_route(request: HttpRequest, data: RouteIn) -> RouteOut:
    depot = access_depot(actor=request.user, slug=data.depot)
    recipient = access_recipient(actor=request.user, slug=data.recipient)
    route = services.route_set(
        actor=request.user, depot_id=depot.pk, recipient_id=recipient.pk, cost=data.cost
    )
    return RouteOut(depot=depot.slug, recipient=recipient.slug, cost=route.cost)


# --- plans ------------------------------------------------------------------------------------


@router.get(
    "/plans/{plan_id}",
    response={200: PlanOut, **errors(404)},
    summary="An allocation plan: status, tally, digests, input and output (names of voters for "
    "those who may see the roster)",
)
def get_plan(request: HttpRequest, plan_id: Key) -> PlanOut:
    return _plan_out(request, access_plan(actor=request.user, plan_id=plan_id))


@router.post(
    "/plans/{plan_id}/votes",
    response={201: PlanOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Vote on a proposed plan, by name: yes, no or abstain (members of the committee; once)",
)
def vote(request: HttpRequest, plan_id: Key, data: VoteIn) -> Status | HttpResponse:
    plan = access_plan(actor=request.user, plan_id=plan_id)
    # The same bucket as the plan's page: the API is no way around its limit.
    ratelimit.enforce(ratelimit.PLAN_VOTES, actor=request.user, via="API")
    services.plan_vote(actor=request.user, plan_id=plan.pk, choice=data.choice)
    return Status(201, _plan_out(request, access_plan(actor=request.user, plan_id=plan.pk)))


# --- shaping ----------------------------------------------------------------------------------


def _degrees(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _place(latitude: Decimal | None, longitude: Decimal | None) -> services.Place | None:
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise InvalidInput(_("give both the latitude and the longitude, or neither"))
    return services.Place(latitude=latitude, longitude=longitude)


def _depot_out(depot: Depot, stock: list[Stock]) -> DepotOut:
    return DepotOut(
        slug=depot.slug,
        name=depot.name,
        place=depot.place,
        commission=depot.commission.slug,
        latitude=_degrees(depot.latitude),
        longitude=_degrees(depot.longitude),
        stock=[StockOut(item=s.item.slug, units=s.units, counted_at=s.counted_at) for s in stock],
    )


def _item_out(item: Item) -> ItemOut:
    return ItemOut(slug=item.slug, name=item.name, unit=item.unit)


def _recipient_out(row: RecipientRow, committee: str) -> RecipientOut:
    r: Recipient = row.recipient
    return RecipientOut(
        slug=r.slug,
        name=r.name,
        kind=r.kind,
        body=r.body.slug,
        committee=committee,
        tier=r.tier,
        households=r.households,
        latitude=_degrees(r.latitude),
        longitude=_degrees(r.longitude),
        needs=[
            NeedOut(item=n.item.slug, units=n.units, registered_at=n.registered_at)
            for n in row.needs
        ],
        routes=[_route_out(route, r.slug) for route in row.routes],
    )


def _route_out(route: Route, recipient: str) -> RouteOut:
    return RouteOut(depot=route.depot.slug, recipient=recipient, cost=route.cost)


def _count_out(count: StockCount, names: bool) -> CountOut:
    return CountOut(
        id=count.pk,
        depot=count.depot.slug,
        item=count.item.slug,
        units=count.units,
        counted_at=count.counted_at,
        counted_by=count.counted_by.name if names and count.counted_by else None,
        note=count.note,
    )


def _need_out(need: Need, names: bool) -> NeedRegistrationOut:
    return NeedRegistrationOut(
        id=need.pk,
        recipient=need.recipient.slug,
        item=need.item.slug,
        units=need.units,
        registered_at=need.registered_at,
        registered_by=need.registered_by.name if names and need.registered_by else None,
    )


def _summary(plan: Plan) -> PlanSummaryOut:
    return PlanSummaryOut(
        id=plan.pk,
        status=plan.status,
        proposed_at=plan.proposed_at,
        decided_at=plan.decided_at,
        total_cost=plan.total_cost,
    )


def _plan_out(request: HttpRequest, plan: Plan) -> PlanOut:
    at = timezone.now()
    reader = reader_of(request)
    names = names_visible(reader, Names.OFFICE, at=at)
    votes = plan_votes(plan=plan)
    counted, present = plan_tally(plan=plan, at=at)
    tally = TallyOut(yes=counted.yes, no=counted.no, abstain=counted.abstain)
    me = viewer_member(reader) if getattr(reader, "is_authenticated", False) else None
    members = len(present)
    return PlanOut(
        **_summary(plan).dict(),
        committee=plan.committee.slug,
        proposed_by=_proposer(plan) if names else None,
        problem_digest=plan.problem_digest,
        result_digest=plan.result_digest,
        ledger_seq=plan.ledger_seq,
        members=members,
        needed=votes_needed(members),
        votes=tally,
        voters=[
            VoteOut(
                member=v.member_id,
                name=v.member.name,
                choice=v.choice,
                cast_at=v.cast_at,
                counted=v.member_id in present,
            )
            for v in votes
        ]
        if names
        else None,
        my_vote=next((v.choice for v in votes if me is not None and v.member_id == me[0]), None),
        problem=plan.problem,
        result=plan.result,
    )


def _proposer(plan: Plan) -> str | None:
    user = plan.proposed_by
    if user is None:
        return None
    member = getattr(user, "member", None)
    return member.name if member is not None else user.get_username()
