"""Reads for the supply pages (and the API): committees, depots and their stock, recipients and
their needs, and allocation plans as the pages show them. Nothing here writes.

The current stock of an item in a depot is its newest count; the current need of a recipient is
its newest registration (0 when it has none). Permission flags (``may_*``) are computed here, at
the instant given, so that templates show and never decide; the services check again when acting.

The figures are public; the *names* of who counted, who registered a need, who proposed and who
voted are those of people acting in an office (a committee's or a commission's members, a body's
secretary), shown as the one policy says (``core.visibility``, ``Names.OFFICE``: members of the
federation; docs/privacy.md). Others see the figures and the instants, and "a member".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from consejo.bodies.authority import current, is_operator, is_secretary, names_visible
from consejo.bodies.models import Body, Member, Membership
from consejo.core.ledger import canonical_json
from consejo.core.visibility import Names
from consejo.core.votes import Tally, members_tally, vote_refusal, votes_needed
from consejo.supply.models import (
    Depot,
    Item,
    Need,
    Plan,
    PlanStatus,
    PlanVote,
    Recipient,
    Route,
    StockCount,
)

#: Rows a page lists at most (a page must stay under 60 KB); the JSON downloads hold them all.
PAGE_ROWS = 250
HISTORY_ROWS = 100


# --- the list of committees ---


@dataclass(frozen=True)
class CommitteeRow:
    committee: Body
    depots: int
    recipients: int


def supply_committee_list() -> list[CommitteeRow]:
    """The supply committees: bodies with depots or recipients, by name."""
    query = (
        Body.objects.filter(Q(depots__isnull=False) | Q(recipients_served__isnull=False))
        .annotate(
            n_depots=Count("depots", distinct=True),
            n_recipients=Count("recipients_served", distinct=True),
        )
        .order_by("name")
        .distinct()
    )
    return [CommitteeRow(b, b.n_depots, b.n_recipients) for b in query[:500]]


def item_list() -> list[Item]:
    """Every item, by name."""
    return list(Item.objects.order_by("name", "pk")[:500])


# --- current figures ---


@dataclass(frozen=True)
class Stock:
    """A depot's current stock of an item: its newest count, who made it and when."""

    item: Item
    units: int
    counted_at: datetime
    counted_by: str


@dataclass(frozen=True)
class Needed:
    item: Item
    units: int
    registered_at: datetime
    registered_by: str


def stock_current(
    depots: Iterable[Depot], *, named: set[int] | None = None
) -> dict[int, list[Stock]]:
    """The newest count of each item in each depot (by depot id; items by name); who counted,
    for the depots in ``named`` (ids; None: every depot)."""
    ids = [d.pk for d in depots]
    out: dict[int, list[Stock]] = {pk: [] for pk in ids}
    seen: set[tuple[int, int]] = set()
    rows = (
        StockCount.objects.filter(depot_id__in=ids)
        .select_related("item", "counted_by")
        .order_by("depot_id", "item_id", "-counted_at", "-id")
    )
    for row in rows:
        if (row.depot_id, row.item_id) in seen:
            continue
        seen.add((row.depot_id, row.item_id))
        who = (
            row.counted_by.name
            if row.counted_by and (named is None or row.depot_id in named)
            else ""
        )
        out[row.depot_id].append(Stock(row.item, row.units, row.counted_at, who))
    for stocks in out.values():
        stocks.sort(key=lambda s: s.item.name)
    return out


def need_current(
    recipients: Iterable[Recipient], *, named: set[int] | None = None
) -> dict[int, list[Needed]]:
    """The newest need of each item of each recipient (by recipient id; items by name); who
    registered it, for the recipients in ``named`` (ids; None: every recipient)."""
    ids = [r.pk for r in recipients]
    out: dict[int, list[Needed]] = {pk: [] for pk in ids}
    seen: set[tuple[int, int]] = set()
    rows = (
        Need.objects.filter(recipient_id__in=ids)
        .select_related("item", "registered_by")
        .order_by("recipient_id", "item_id", "-registered_at", "-id")
    )
    for row in rows:
        if (row.recipient_id, row.item_id) in seen:
            continue
        seen.add((row.recipient_id, row.item_id))
        who = (
            row.registered_by.name
            if row.registered_by and (named is None or row.recipient_id in named)
            else ""
        )
        out[row.recipient_id].append(Needed(row.item, row.units, row.registered_at, who))
    for needs in out.values():
        needs.sort(key=lambda n: n.item.name)
    return out


def _is_member(actor: Any, body: Body, at: datetime) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return Membership.objects.filter(current(at), body=body, member__user=actor).exists()


# --- the committee's page ---


@dataclass(frozen=True)
class DepotRow:
    depot: Depot
    stock: list[Stock]


@dataclass(frozen=True)
class RecipientRow:
    recipient: Recipient
    needs: list[Needed]
    routes: list[Route]


@dataclass(frozen=True)
class TierGroup:
    tier: int
    rows: list[RecipientRow]


@dataclass(frozen=True)
class CommitteePage:
    committee: Body
    depots: list[DepotRow]
    tiers: list[TierGroup]
    recipients: int  # how many in all (the page lists at most PAGE_ROWS)
    truncated: bool
    items: list[Item]
    open_plans: list[Plan]
    plan_in_force: Plan | None
    past_plans: list[Plan]
    may_propose: bool
    may_manage: bool


def committee_page(*, committee: Body, actor: Any, at: datetime) -> CommitteePage:
    """Everything the committee's page shows ``actor`` at ``at``."""
    depots = list(Depot.objects.filter(committee=committee).order_by("name", "pk"))
    names = names_visible(actor, Names.OFFICE, at=at)
    stock = stock_current(depots, named={d.pk for d in depots} if names else set())
    query = Recipient.objects.filter(committee=committee).order_by("tier", "name", "pk")
    total = query.count()
    recipients = list(query[:PAGE_ROWS])
    needs = need_current(recipients, named=set())
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in (
        Route.objects.filter(recipient__in=recipients)
        .select_related("depot")
        .order_by("cost", "depot__name")
    ):
        routes[route.recipient_id].append(route)
    tiers: list[TierGroup] = []
    for r in recipients:
        if not tiers or tiers[-1].tier != r.tier:
            tiers.append(TierGroup(r.tier, []))
        tiers[-1].rows.append(RecipientRow(r, needs[r.pk], routes[r.pk]))
    plans = list(
        Plan.objects.filter(committee=committee)
        .select_related("proposed_by")
        .order_by("-proposed_at", "-pk")[:20]
    )
    may_manage = is_operator(actor) or is_secretary(actor, committee, at)
    return CommitteePage(
        committee=committee,
        depots=[DepotRow(d, stock[d.pk]) for d in depots],
        tiers=tiers,
        recipients=total,
        truncated=total > len(recipients),
        items=item_list(),
        open_plans=[p for p in plans if p.status == PlanStatus.PROPOSED],
        plan_in_force=Plan.objects.filter(committee=committee, status=PlanStatus.APPROVED)
        .select_related("proposed_by")
        .first(),
        past_plans=[p for p in plans if p.status in (PlanStatus.REJECTED, PlanStatus.SUPERSEDED)][
            :10
        ],
        may_propose=is_operator(actor) or _is_member(actor, committee, at),
        may_manage=may_manage,
    )


def depot_choices(*, committee: Body) -> list[tuple[int, str]]:
    """The committee's depots (id, name), for the route form."""
    return list(
        Depot.objects.filter(committee=committee).order_by("name").values_list("pk", "name")
    )


# --- a depot's page ---


@dataclass(frozen=True)
class DepotPage:
    depot: Depot
    stock: list[Stock]
    history: list[StockCount]
    names: bool  # whether the counters' names are shown
    items: list[Item]
    may_count: bool


def depot_page(*, depot: Depot, actor: Any, at: datetime) -> DepotPage:
    """A depot's current stock and its counts (newest first), and whether ``actor`` may count."""
    names = names_visible(actor, Names.OFFICE, at=at)
    return DepotPage(
        depot=depot,
        stock=stock_current([depot], named={depot.pk} if names else set())[depot.pk],
        names=names,
        history=list(
            StockCount.objects.filter(depot=depot)
            .select_related("item", "counted_by")
            .order_by("-counted_at", "-pk")[:HISTORY_ROWS]
        ),
        items=item_list(),
        may_count=is_operator(actor) or _is_member(actor, depot.commission, at),
    )


# --- a recipient's page ---


@dataclass(frozen=True)
class Received:
    """What a recipient gets of an item in a plan."""

    item: str
    need: int
    units: int
    percent: str
    depots: list[tuple[str, int]]


@dataclass(frozen=True)
class RecipientPage:
    recipient: Recipient
    needs: list[Needed]
    history: list[Need]
    names: bool  # whether the names of who registered are shown
    routes: list[Route]
    items: list[Item]
    plan_in_force: Plan | None
    received: list[Received]
    unreachable: bool
    may_register: bool
    may_route: bool
    depots: list[tuple[int, str]]  # the committee's depots, for the route form


def recipient_page(*, recipient: Recipient, actor: Any, at: datetime) -> RecipientPage:
    """A recipient's needs (current and past), routes, what it gets in the plan in force."""
    plan = (
        Plan.objects.filter(committee_id=recipient.committee_id, status=PlanStatus.APPROVED)
        .order_by("-decided_at")
        .first()
    )
    received: list[Received] = []
    unreachable = False
    if plan is not None:
        result = plan.result or {}
        item_names = _item_names(plan)
        depots = Depot.objects.filter(committee_id=plan.committee_id)
        depot_names = dict(depots.values_list("slug", "name"))
        sent: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for s in result.get("shipments", []):
            if s["recipient"] == recipient.slug:
                sent[s["item"]].append((depot_names.get(s["depot"], s["depot"]), s["units"]))
        for d in result.get("deliveries", []):
            if d["recipient"] == recipient.slug:
                received.append(
                    Received(
                        item=item_names.get(d["item"], d["item"]),
                        need=d["need"],
                        units=d["units"],
                        percent=_percent(d["units"], d["need"]),
                        depots=sent.get(d["item"], []),
                    )
                )
        unreachable = recipient.slug in result.get("unreachable", [])
    names = names_visible(actor, Names.OFFICE, at=at)
    may_route = is_operator(actor) or is_secretary(actor, recipient.committee, at)
    return RecipientPage(
        recipient=recipient,
        needs=need_current([recipient], named={recipient.pk} if names else set())[recipient.pk],
        names=names,
        history=list(
            Need.objects.filter(recipient=recipient)
            .select_related("item", "registered_by")
            .order_by("-registered_at", "-pk")[:HISTORY_ROWS]
        ),
        routes=list(
            Route.objects.filter(recipient=recipient).select_related("depot").order_by("cost")
        ),
        items=item_list(),
        plan_in_force=plan,
        received=received,
        unreachable=unreachable,
        may_register=is_operator(actor) or is_secretary(actor, recipient.body, at),
        may_route=may_route,
        depots=depot_choices(committee=recipient.committee) if may_route else [],
    )


# --- a plan's page ---


@dataclass(frozen=True)
class VoteRow:
    name: str
    choice: str
    cast_at: datetime
    counted: bool  # False once the voter is no longer a member: the rule counts current members


@dataclass(frozen=True)
class PlanRow:
    """One line of the plan table: a recipient and an item."""

    slug: str
    name: str
    item: str
    need: int
    units: int
    percent: str
    depots: str


@dataclass(frozen=True)
class TierTable:
    tier: int
    rows: list[PlanRow]


@dataclass(frozen=True)
class FillBar:
    """One bar of the fill chart (SVG coordinates as text: no locale writes a decimal comma)."""

    tier: int
    item: str
    percent: str
    width: str
    text_x: str
    y: int


@dataclass(frozen=True)
class PlanMap:
    """An inline SVG scatter of depots and recipients, projected simply from latitude and
    longitude (equirectangular, longitude scaled by the cosine of the mean latitude)."""

    width: int
    height: int
    depots: list[tuple[str, str, str, str, str]]  # x, y, name; where its label goes, anchor
    recipients_path: str  # one dot per recipient ("M x y h0"), drawn with round caps
    shipments_path: str  # one segment per shipment


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    proposed_by: str
    votes: list[VoteRow]
    yes: int
    no: int
    abstain: int
    members: int
    needed: int
    my_vote: str
    may_vote: bool
    tables: list[TierTable]
    rows: int  # rows in all (the page shows at most PAGE_ROWS)
    truncated: bool
    bars: list[FillBar]
    chart_height: int
    map: PlanMap | None
    remainders: list[tuple[str, str, int]]  # depot, item, units
    unreachable: list[str]
    items: dict[str, str]
    shipped: int


CHART_ROW = 40
CHART_BAR_WIDTH = 240  # of the chart's 300 units; the percentage is written after the bar


def _percent(units: int, need: int) -> str:
    return f"{Decimal(units) * 100 / Decimal(need):.1f}" if need else "-"


def _item_names(plan: Plan) -> dict[str, str]:
    slugs = [i["id"] for i in (plan.problem or {}).get("items", [])]
    found = dict(Item.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return {s: found.get(s, s) for s in slugs}


def _name(user: Any) -> str:
    if user is None:
        return ""
    member = Member.objects.filter(user=user).first()
    return member.name if member else str(user.get_username())


def plan_page(*, plan: Plan, actor: Any, at: datetime) -> PlanPage:
    """Everything the plan's page shows: the vote so far, the table, the chart, the map."""
    problem = plan.problem or {}
    result = plan.result or {}
    items = _item_names(plan)
    votes = plan_votes(plan=plan)
    present = committee_member_ids(committee=plan.committee, at=at)
    tally = members_tally(((v.member_id, v.choice) for v in votes), present)
    members = len(present)
    me = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        me = Member.objects.filter(user=actor).first()
    my_vote = next((v.choice for v in votes if me is not None and v.member_id == me.pk), "")
    is_member = me is not None and _is_member(actor, plan.committee, at)
    names = names_visible(actor, Names.OFFICE, at=at)

    recipients = {r["id"]: r for r in problem.get("recipients", [])}
    depot_slugs = [d["id"] for d in problem.get("depots", [])]
    depot_rows = {d.slug: d for d in Depot.objects.filter(slug__in=depot_slugs)}
    depot_names = {s: d.name for s, d in depot_rows.items()}
    # Tier by tier (a stable sort: within a tier, the order of the output).
    deliveries = sorted(result.get("deliveries", []), key=lambda d: int(d["tier"]))
    shown = deliveries[:PAGE_ROWS]
    shown_slugs = {d["recipient"] for d in shown}
    recipient_rows = {
        r.slug: r
        for r in Recipient.objects.filter(slug__in=shown_slugs | set(result.get("unreachable", [])))
    }
    sent: dict[tuple[str, str], list[str]] = defaultdict(list)
    shipped = 0
    for s in result.get("shipments", []):
        shipped += int(s["units"])
        if s["recipient"] in shown_slugs:
            name = depot_names.get(s["depot"], s["depot"])
            sent[(s["recipient"], s["item"])].append(f"{name} ({s['units']})")
    tables: list[TierTable] = []
    for d in shown:
        if not tables or tables[-1].tier != d["tier"]:
            tables.append(TierTable(d["tier"], []))
        row = recipient_rows.get(d["recipient"])
        tables[-1].rows.append(
            PlanRow(
                slug=d["recipient"],
                name=row.name if row else d["recipient"],
                item=items.get(d["item"], d["item"]),
                need=d["need"],
                units=d["units"],
                percent=_percent(d["units"], d["need"]),
                depots=", ".join(sent.get((d["recipient"], d["item"]), [])),
            )
        )

    # The chart: one bar per tier and item, its fill (units over need).
    totals: dict[tuple[int, str], list[int]] = {}
    for d in deliveries:
        pair = totals.setdefault((d["tier"], d["item"]), [0, 0])
        pair[0] += int(d["units"])
        pair[1] += int(d["need"])
    bars = []
    for i, ((tier, item), (units, need)) in enumerate(sorted(totals.items())):
        share = units / need if need else 0.0
        width = share * CHART_BAR_WIDTH
        bars.append(
            FillBar(
                tier=tier,
                item=items.get(item, item),
                percent=_percent(units, need),
                width=f"{width:.2f}",
                text_x=f"{width + 3:.2f}",
                y=i * CHART_ROW,
            )
        )
    remainders = [
        (depot_names.get(r["depot"], r["depot"]), items.get(r["item"], r["item"]), r["units"])
        for r in result.get("remainders", [])
    ]
    unreachable = [
        recipient_rows[s].name if s in recipient_rows else s for s in result.get("unreachable", [])
    ]
    return PlanPage(
        plan=plan,
        proposed_by=_name(plan.proposed_by) if names else "",
        votes=[
            VoteRow(v.member.name if names else "", v.choice, v.cast_at, v.member_id in present)
            for v in votes
        ],
        yes=tally.yes,
        no=tally.no,
        abstain=tally.abstain,
        members=members,
        needed=votes_needed(members),
        my_vote=my_vote,
        may_vote=vote_refusal(
            entitled=is_member, open_=plan.status == PlanStatus.PROPOSED, has_voted=bool(my_vote)
        )
        is None,
        tables=tables,
        rows=len(deliveries),
        truncated=len(deliveries) > len(shown),
        bars=bars,
        chart_height=max(len(bars), 1) * CHART_ROW,
        map=_plan_map(plan, depot_rows, recipients, result.get("shipments", [])),
        remainders=remainders,
        unreachable=unreachable,
        items=items,
        shipped=shipped,
    )


MAP_WIDTH = 300
MAP_MAX_HEIGHT = 240
MAP_PAD = 8


def _plan_map(
    plan: Plan,
    depots: dict[str, Depot],
    recipients: dict[str, Any],
    shipments: list[dict[str, Any]],
) -> PlanMap | None:
    """The map, or None when no depot and no recipient has coordinates."""
    places: dict[str, tuple[float, float]] = {}
    depot_places: dict[str, tuple[float, float]] = {}
    for slug, d in depots.items():
        if d.latitude is not None and d.longitude is not None:
            depot_places[slug] = (float(d.latitude), float(d.longitude))
    located = Recipient.objects.filter(
        committee=plan.committee, latitude__isnull=False, longitude__isnull=False
    ).values_list("slug", "latitude", "longitude")
    for slug, lat, lon in located[:5000]:
        if slug in recipients and lat is not None and lon is not None:
            places[slug] = (float(lat), float(lon))
    points = [*depot_places.values(), *places.values()]
    if not points:
        return None
    mean_lat = sum(p[0] for p in points) / len(points)
    scale_x = math.cos(math.radians(mean_lat))
    xs = [p[1] * scale_x for p in points]
    ys = [-p[0] for p in points]
    span_x = max(xs) - min(xs)
    span_y = max(ys) - min(ys)
    inner = MAP_WIDTH - 2 * MAP_PAD
    span = max(span_x, span_y * inner / (MAP_MAX_HEIGHT - 2 * MAP_PAD), 1e-9)
    unit = inner / span
    height = max(60, min(MAP_MAX_HEIGHT, round(span_y * unit) + 2 * MAP_PAD))
    off_x = MAP_PAD + (inner - span_x * unit) / 2
    off_y = MAP_PAD + ((height - 2 * MAP_PAD) - span_y * unit) / 2
    min_x, min_y = min(xs), min(ys)

    def project(p: tuple[float, float]) -> tuple[str, str]:
        x = off_x + (p[1] * scale_x - min_x) * unit
        y = off_y + (-p[0] - min_y) * unit
        return f"{x:.1f}", f"{y:.1f}"

    lines = []
    for s in shipments[:5000]:
        a, b = depot_places.get(s["depot"]), places.get(s["recipient"])
        if a and b:
            (x1, y1), (x2, y2) = project(a), project(b)
            lines.append(f"M{x1} {y1}L{x2} {y2}")
    return PlanMap(
        width=MAP_WIDTH,
        height=height,
        depots=[_depot_mark(*project(p), depots[slug].name) for slug, p in depot_places.items()],
        recipients_path="".join(f"M{x} {y}h0" for x, y in map(project, places.values())),
        shipments_path="".join(sorted(set(lines))),
    )


def _depot_mark(x: str, y: str, name: str) -> tuple[str, str, str, str, str]:
    """A depot on the map, labelled beside it, towards the middle (so the label stays inside)."""
    left = float(x) < MAP_WIDTH / 2
    label_x = f"{float(x) + (7 if left else -7):.1f}"
    return x, y, name, label_x, "start" if left else "end"


def plan_json(plan: Plan, which: str) -> str:
    """The plan's input (``problem``) or output (``result``) as canonical JSON (RFC 8785): the
    bytes whose SHA-256 is the digest in the ledger."""
    return canonical_json(plan.problem if which == "input" else plan.result)


# --- reads for the API (consejo/api/supply.py) ---

#: Recipients the API lists at most in one answer (``offset`` pages on).
API_RECIPIENTS = 1000


@dataclass(frozen=True)
class CommitteeSupply:
    """What a supply committee distributes: its depots with their current stock, the recipients
    it serves (one page of them, by tier and short name) with their needs and routes, and its
    newest plans (without their input and output)."""

    committee: Body
    depots: list[DepotRow]
    recipients: list[RecipientRow]
    recipients_total: int
    plans: list[Plan]
    in_force: Plan | None  # the approved plan, however old


def committee_supply(
    *, committee: Body, offset: int = 0, limit: int = API_RECIPIENTS, plans: int = 50
) -> CommitteeSupply:
    """A committee's figures as the API gives them: a fixed number of queries, whatever the
    number of depots and recipients."""
    depots = list(
        Depot.objects.filter(committee=committee).select_related("commission").order_by("slug")
    )
    stock = stock_current(depots)
    query = Recipient.objects.filter(committee=committee).order_by("tier", "slug", "pk")
    recipients = list(query.select_related("body")[offset : offset + limit])
    needs = need_current(recipients)
    routes: dict[int, list[Route]] = defaultdict(list)
    for route in (
        Route.objects.filter(recipient__in=recipients)
        .select_related("depot")
        .order_by("cost", "depot__slug")
    ):
        routes[route.recipient_id].append(route)
    return CommitteeSupply(
        committee=committee,
        depots=[DepotRow(d, stock[d.pk]) for d in depots],
        recipients=[RecipientRow(r, needs[r.pk], routes[r.pk]) for r in recipients],
        recipients_total=query.count(),
        plans=list(
            Plan.objects.filter(committee=committee)
            .defer("problem", "result")
            .order_by("-proposed_at", "-pk")[:plans]
        ),
        in_force=Plan.objects.filter(committee=committee, status=PlanStatus.APPROVED)
        .defer("problem", "result")
        .first(),
    )


def stock_count_list(
    *, depot: Depot, item: Item | None = None, limit: int = HISTORY_ROWS
) -> list[StockCount]:
    """A depot's counts, newest first (of one item, or of every item), with who counted."""
    query = StockCount.objects.filter(depot=depot)
    if item is not None:
        query = query.filter(item=item)
    return list(query.select_related("item", "counted_by").order_by("-counted_at", "-pk")[:limit])


def need_list(
    *, recipient: Recipient, item: Item | None = None, limit: int = HISTORY_ROWS
) -> list[Need]:
    """A recipient's registrations of need, newest first, with who registered them."""
    query = Need.objects.filter(recipient=recipient)
    if item is not None:
        query = query.filter(item=item)
    return list(
        query.select_related("item", "registered_by").order_by("-registered_at", "-pk")[:limit]
    )


def plan_votes(*, plan: Plan) -> list[PlanVote]:
    """The recorded votes on a plan, in the order cast, with the members' names."""
    return list(
        PlanVote.objects.filter(plan=plan).select_related("member").order_by("cast_at", "pk")
    )


def committee_member_ids(*, committee: Body, at: datetime) -> set[int]:
    """The committee's current members (their ids): a plan is carried by more than half of them,
    and only their votes count (consejo.supply.services.plan_vote)."""
    return set(
        Membership.objects.filter(current(at), body=committee).values_list("member_id", flat=True)
    )


def plan_tally(*, plan: Plan, at: datetime) -> tuple[Tally, set[int]]:
    """The tally of a plan's vote that counts at ``at`` (``core.votes.members_tally``: the votes
    of the committee's members then) and those members' ids."""
    members = committee_member_ids(committee=plan.committee, at=at)
    votes = PlanVote.objects.filter(plan=plan).values_list("member_id", "choice")
    return members_tally(votes, members), members


def recipient_row(*, recipient: Recipient) -> RecipientRow:
    """One recipient with its current needs and its routes, cheapest first."""
    routes = list(
        Route.objects.filter(recipient=recipient)
        .select_related("depot")
        .order_by("cost", "depot__slug")
    )
    return RecipientRow(recipient, need_current([recipient])[recipient.pk], routes)
