"""Reads for a plan's page (its vote, its table, its fill chart and its map), its JSON files,
and the tally of its vote that the service and the API count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consejo.bodies.authority import current, names_visible
from consejo.bodies.models import Body, Member, Membership
from consejo.common.actors import Actor
from consejo.core.charts import bar_place, chart_height, label_beside, map_frame
from consejo.core.ledger import canonical_json
from consejo.core.visibility import Names
from consejo.core.votes import Tally, members_tally, vote_refusal, votes_needed
from consejo.supply.models import Depot, Item, Plan, PlanStatus, PlanVote, Recipient
from consejo.supply.selectors.figures import PAGE_ROWS, is_current_member, percent


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


CHART_BAR_WIDTH = 240  # of the chart's 300 units; the percentage is written after the bar


def plan_item_names(plan: Plan) -> dict[str, str]:
    """The names of a plan's items, by short name (the short name where an item is gone)."""
    slugs = [i["id"] for i in (plan.problem or {}).get("items", [])]
    found = dict(Item.objects.filter(slug__in=slugs).values_list("slug", "name"))
    return {s: found.get(s, s) for s in slugs}


def _name(user: Any) -> str:
    if user is None:
        return ""
    member = Member.objects.filter(user=user).first()
    return member.name if member else str(user.get_username())


def plan_page(*, plan: Plan, actor: Actor, at: datetime) -> PlanPage:
    """Everything the plan's page shows: the vote so far, the table, the chart, the map."""
    problem = plan.problem or {}
    result = plan.result or {}
    items = plan_item_names(plan)
    votes = plan_votes(plan=plan)
    present = committee_member_ids(committee=plan.committee, at=at)
    tally = members_tally(((v.member_id, v.choice) for v in votes), present)
    members = len(present)
    me = None
    if getattr(actor, "is_authenticated", False) and actor.is_active:
        me = Member.objects.filter(user_id=actor.pk).first()
    my_vote = next((v.choice for v in votes if me is not None and v.member_id == me.pk), "")
    is_member = me is not None and is_current_member(actor, plan.committee, at)
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
                percent=percent(d["units"], d["need"]),
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
        place = bar_place(i, share * CHART_BAR_WIDTH)
        bars.append(
            FillBar(
                tier=tier,
                item=items.get(item, item),
                percent=percent(units, need),
                width=place.width,
                text_x=place.text_x,
                y=place.y,
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
        chart_height=chart_height(len(bars)),
        map=_plan_map(plan, depot_rows, recipients, result.get("shipments", [])),
        remainders=remainders,
        unreachable=unreachable,
        items=items,
        shipped=shipped,
    )


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
    frame = map_frame([*depot_places.values(), *places.values()])
    if frame is None:
        return None
    project = frame.project

    lines = []
    for s in shipments[:5000]:
        a, b = depot_places.get(s["depot"]), places.get(s["recipient"])
        if a and b:
            (x1, y1), (x2, y2) = project(a), project(b)
            lines.append(f"M{x1} {y1}L{x2} {y2}")
    return PlanMap(
        width=frame.width,
        height=frame.height,
        depots=[_depot_mark(*project(p), depots[slug].name) for slug, p in depot_places.items()],
        recipients_path="".join(f"M{x} {y}h0" for x, y in map(project, places.values())),
        shipments_path="".join(sorted(set(lines))),
    )


def _depot_mark(x: str, y: str, name: str) -> tuple[str, str, str, str, str]:
    """A depot on the map, labelled beside it, towards the middle (so the label stays inside)."""
    return x, y, name, *label_beside(x)


def plan_json(plan: Plan, which: str) -> str:
    """The plan's input (``problem``) or output (``result``) as canonical JSON (RFC 8785): the
    bytes whose SHA-256 is the digest in the ledger."""
    return canonical_json(plan.problem if which == "input" else plan.result)


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
