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

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from consejo.api.auth import TokenAuth, reader_of
from consejo.api.schemas import (
    TOKEN,
    AddressNumber,
    AddressText,
    errors,
)
from consejo.api.supply_schemas import (
    CommitteeOut,
    CountIn,
    CountOut,
    DepotIn,
    DepotOut,
    ItemIn,
    ItemOut,
    Key,
    NeedIn,
    NeedRegistrationOut,
    PlanOut,
    RecipientIn,
    RecipientOut,
    RouteIn,
    RouteOut,
    Slug,
    TierIn,
    VoteIn,
    count_out,
    depot_out,
    item_out,
    need_out,
    place_in,
    plan_out,
    plan_summary_out,
    recipient_out,
)
from consejo.bodies.access import lookup_body
from consejo.bodies.authority import names_visible
from consejo.common import ratelimit
from consejo.core.visibility import Names
from consejo.supply import services
from consejo.supply.access import (
    lookup_depot,
    lookup_item,
    lookup_plan,
    lookup_recipient,
    lookup_supply_committee,
)
from consejo.supply.selectors import (
    API_RECIPIENTS,
    HISTORY_ROWS,
    committee_supply,
    item_list,
    need_list,
    recipient_row,
    stock_count_list,
)

router = Router(tags=["supply"])


# --- items ------------------------------------------------------------------------------------


@router.get(
    "/items", response={200: list[ItemOut], **errors()}, summary="Every item distributed, by name"
)
def list_items(request: HttpRequest) -> list[ItemOut]:
    return [item_out(i) for i in item_list()]


@router.post(
    "/items",
    response={201: ItemOut, **errors(401, 403, 409)},
    auth=TokenAuth(),
    summary="Register an item (an operator or a supply committee's secretary)",
)
def create_item(request: HttpRequest, data: ItemIn) -> Status:
    item = services.item_create(actor=request.user, slug=data.slug, name=data.name, unit=data.unit)
    return Status(201, item_out(item))


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
    committee = lookup_supply_committee(slug=slug)
    supply = committee_supply(committee=committee, offset=offset, limit=limit)
    return CommitteeOut(
        slug=committee.slug,
        name=committee.name,
        depots=[depot_out(row.depot, row.stock) for row in supply.depots],
        recipients=[recipient_out(row, committee.slug) for row in supply.recipients],
        recipients_total=supply.recipients_total,
        plans=[plan_summary_out(p) for p in supply.plans],
        plan_in_force=supply.in_force.pk if supply.in_force else None,
    )


@router.post(
    "/committees/{slug}/recipients",
    response={201: RecipientOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register a recipient the committee serves, with its tier (the committee's secretary)",
)
def register_recipient(request: HttpRequest, slug: Slug, data: RecipientIn) -> Status:
    committee = lookup_supply_committee(slug=slug)
    body = lookup_body(slug=data.body)
    recipient = services.recipient_register(
        actor=request.user,
        committee_id=committee.pk,
        body_id=body.pk,
        slug=data.slug,
        name=data.name,
        kind=data.kind,
        tier=data.tier,
        households=data.households,
        location=place_in(data.latitude, data.longitude),
    )
    # Read back as stored (the coordinates as the database keeps them).
    recipient = lookup_recipient(slug=recipient.slug)
    return Status(201, recipient_out(recipient_row(recipient=recipient), committee.slug))


@router.post(
    "/committees/{slug}/depots",
    response={201: DepotOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register a depot whose stock the committee allocates and a control commission "
    "counts (the committee's secretary)",
)
def register_depot(request: HttpRequest, slug: Slug, data: DepotIn) -> Status:
    committee = lookup_supply_committee(slug=slug)
    commission = lookup_supply_committee(slug=data.commission)
    depot = services.depot_create(
        actor=request.user,
        committee_id=committee.pk,
        commission_id=commission.pk,
        slug=data.slug,
        name=data.name,
        place=data.place,
        location=place_in(data.latitude, data.longitude),
    )
    depot = lookup_depot(slug=depot.slug)
    return Status(201, depot_out(depot, []))


@router.post(
    "/committees/{slug}/plans",
    # 429: proposals are limited per member (issue 8, item 10).
    response={201: PlanOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Propose an allocation plan from the committee's current figures (a member)",
)
def propose_plan(request: HttpRequest, slug: Slug) -> Status | HttpResponse:
    committee = lookup_supply_committee(slug=slug)
    # Counted together with the committee page's proposals: the API is no way around the limit.
    ratelimit.enforce(ratelimit.PROPOSALS, actor=request.user, via="API")
    plan = services.plan_propose(actor=request.user, committee_id=committee.pk)
    return Status(201, plan_out(request, lookup_plan(plan_id=plan.pk)))


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
    depot = lookup_depot(slug=slug)
    counted = lookup_item(slug=item) if item else None
    reader = reader_of(request)
    at = timezone.now()
    names = names_visible(reader, Names.OFFICE, at=at)
    return [count_out(c, names) for c in stock_count_list(depot=depot, item=counted, limit=limit)]


@router.post(
    "/depots/{slug}/counts",
    response={201: CountOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Record a count of an item in the depot (a member of its control commission)",
)
def record_count(request: HttpRequest, slug: Slug, data: CountIn) -> Status:
    depot = lookup_depot(slug=slug)
    item = lookup_item(slug=data.item)
    count = services.stock_count_record(
        actor=request.user, depot_id=depot.pk, item_id=item.pk, units=data.units, note=data.note
    )
    return Status(201, count_out(count, names=True))


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
    recipient = lookup_recipient(slug=slug)
    needed = lookup_item(slug=item) if item else None
    reader = reader_of(request)
    at = timezone.now()
    names = names_visible(reader, Names.OFFICE, at=at)
    registrations = need_list(recipient=recipient, item=needed, limit=limit)
    return [need_out(n, names) for n in registrations]


@router.post(
    "/recipients/{slug}/needs",
    response={201: NeedRegistrationOut, **errors(*TOKEN, 409)},
    auth=TokenAuth(),
    summary="Register how many units of an item the recipient needs (its own body's secretary)",
)
def register_need(request: HttpRequest, slug: Slug, data: NeedIn) -> Status:
    recipient = lookup_recipient(slug=slug)
    item = lookup_item(slug=data.item)
    need = services.need_register(
        actor=request.user, recipient_id=recipient.pk, item_id=item.pk, units=data.units
    )
    return Status(201, need_out(need, names=True))


@router.put(
    "/recipients/{slug}/tier",
    response={200: RecipientOut, **errors(*TOKEN, 409)},
    summary="Change a recipient's priority tier (its committee's secretary)",
    auth=TokenAuth(),
)
def set_tier(request: HttpRequest, slug: Slug, data: TierIn) -> RecipientOut:
    recipient = lookup_recipient(slug=slug)
    services.recipient_tier_set(actor=request.user, recipient_id=recipient.pk, tier=data.tier)
    recipient = lookup_recipient(slug=slug)
    return recipient_out(recipient_row(recipient=recipient), recipient.committee.slug)


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
    depot = lookup_depot(slug=data.depot)
    recipient = lookup_recipient(slug=data.recipient)
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
    return plan_out(request, lookup_plan(plan_id=plan_id))


@router.post(
    "/plans/{plan_id}/votes",
    response={201: PlanOut, **errors(*TOKEN, 409, 429)},
    auth=TokenAuth(),
    summary="Vote on a proposed plan, by name: yes, no or abstain (members of the committee; once)",
)
def vote(request: HttpRequest, plan_id: Key, data: VoteIn) -> Status | HttpResponse:
    plan = lookup_plan(plan_id=plan_id)
    # The same bucket as the plan's page: the API is no way around its limit.
    ratelimit.enforce(ratelimit.PLAN_VOTES, actor=request.user, via="API")
    services.plan_vote(actor=request.user, plan_id=plan.pk, choice=data.choice)
    return Status(201, plan_out(request, lookup_plan(plan_id=plan.pk)))
