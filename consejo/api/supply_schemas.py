"""The API's schemas for supply (its answers and the bodies it takes) and the functions that
shape the rows and plans the selectors read into them (consejo.api.supply)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Schema
from pydantic import ConfigDict

from consejo.api.auth import reader_of
from consejo.api.schemas import (
    MAX_KEY,
    NO_NUL_PATTERN,
    AddressNumber,
    Latitude,
    Longitude,
    WholeNumber,
    bounds,
    one_of,
    slug_rule,
)
from consejo.bodies.authority import names_visible
from consejo.bodies.selectors import viewer_member
from consejo.core.allocation.limits import MAX_COST, MAX_TIER, MAX_UNITS
from consejo.core.errors import InvalidInput
from consejo.core.visibility import Names
from consejo.core.votes import votes_needed
from consejo.supply import services
from consejo.supply.choices import RecipientKind, VoteChoice
from consejo.supply.selectors import (
    RecipientRow,
    Stock,
    plan_tally,
    plan_votes,
)

if TYPE_CHECKING:  # the models only name types here: interfaces never import them
    from consejo.supply.models import Depot, Item, Need, Plan, Recipient, Route, StockCount

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


# --- shaping ----------------------------------------------------------------------------------


def degrees(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def place_in(latitude: Decimal | None, longitude: Decimal | None) -> services.Place | None:
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        raise InvalidInput(_("give both the latitude and the longitude, or neither"))
    return services.Place(latitude=latitude, longitude=longitude)


def depot_out(depot: Depot, stock: list[Stock]) -> DepotOut:
    return DepotOut(
        slug=depot.slug,
        name=depot.name,
        place=depot.place,
        commission=depot.commission.slug,
        latitude=degrees(depot.latitude),
        longitude=degrees(depot.longitude),
        stock=[StockOut(item=s.item.slug, units=s.units, counted_at=s.counted_at) for s in stock],
    )


def item_out(item: Item) -> ItemOut:
    return ItemOut(slug=item.slug, name=item.name, unit=item.unit)


def recipient_out(row: RecipientRow, committee: str) -> RecipientOut:
    r: Recipient = row.recipient
    return RecipientOut(
        slug=r.slug,
        name=r.name,
        kind=r.kind,
        body=r.body.slug,
        committee=committee,
        tier=r.tier,
        households=r.households,
        latitude=degrees(r.latitude),
        longitude=degrees(r.longitude),
        needs=[
            NeedOut(item=n.item.slug, units=n.units, registered_at=n.registered_at)
            for n in row.needs
        ],
        routes=[route_out(route, r.slug) for route in row.routes],
    )


def route_out(route: Route, recipient: str) -> RouteOut:
    return RouteOut(depot=route.depot.slug, recipient=recipient, cost=route.cost)


def count_out(count: StockCount, names: bool) -> CountOut:
    return CountOut(
        id=count.pk,
        depot=count.depot.slug,
        item=count.item.slug,
        units=count.units,
        counted_at=count.counted_at,
        counted_by=count.counted_by.name if names and count.counted_by else None,
        note=count.note,
    )


def need_out(need: Need, names: bool) -> NeedRegistrationOut:
    return NeedRegistrationOut(
        id=need.pk,
        recipient=need.recipient.slug,
        item=need.item.slug,
        units=need.units,
        registered_at=need.registered_at,
        registered_by=need.registered_by.name if names and need.registered_by else None,
    )


def plan_summary_out(plan: Plan) -> PlanSummaryOut:
    return PlanSummaryOut(
        id=plan.pk,
        status=plan.status,
        proposed_at=plan.proposed_at,
        decided_at=plan.decided_at,
        total_cost=plan.total_cost,
    )


def plan_out(request: HttpRequest, plan: Plan) -> PlanOut:
    at = timezone.now()
    reader = reader_of(request)
    names = names_visible(reader, Names.OFFICE, at=at)
    votes = plan_votes(plan=plan)
    counted, present = plan_tally(plan=plan, at=at)
    tally = TallyOut(yes=counted.yes, no=counted.no, abstain=counted.abstain)
    me = viewer_member(reader) if getattr(reader, "is_authenticated", False) else None
    members = len(present)
    return PlanOut(
        **plan_summary_out(plan).dict(),
        committee=plan.committee.slug,
        proposed_by=proposer(plan) if names else None,
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


def proposer(plan: Plan) -> str | None:
    user = plan.proposed_by
    if user is None:
        return None
    member = getattr(user, "member", None)
    return member.name if member is not None else user.get_username()
