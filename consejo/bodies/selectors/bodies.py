"""The federation's tree, a body's page and roster, its councils and links."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from consejo.bodies.authority import (
    acting_offices,
    actor_ref,
    current,
    is_operator,
    is_secretary,
    may_see_roster,
    office_bodies,
)
from consejo.bodies.dependents import dependents
from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    Body,
    BodyKind,
    Federation,
    Member,
    Membership,
    Sector,
)
from consejo.bodies.represented import federation_links, represented_counts
from consejo.common.actors import Actor
from consejo.core.errors import Conflict
from consejo.core.federation import may_create_under, reachable
from consejo.core.offices import check_membership_may_end


@dataclass
class TreeNode:
    body: Body
    members: int
    seats_here: int | None = None  # seats this body holds in the node above it
    base_bodies: int | None = None  # when the tree stops at councils: base bodies not shown
    children: list[TreeNode] = field(default_factory=list)


@dataclass(frozen=True)
class SeatsInCouncil:
    """The seats a body holds in one parent council, with the apportionment that gave them."""

    council: Body
    link: Federation
    seats: int | None
    apportionment: Apportionment | None


@dataclass(frozen=True)
class BodyPage:
    body: Body
    members: int  # current memberships of this body itself
    represented: int  # people it represents (= members for a base body)
    is_council: bool
    is_committee: bool  # a committee is shown by its own members (it represents nobody)
    by_sector: list[tuple[str, int]]
    parents: list[SeatsInCouncil]
    children: list[tuple[Body, int, int | None]]  # body, members, seats in this council
    apportionment: Apportionment | None
    roster: Page[Membership] | None  # None when the viewer may not see names
    search: str
    can_see_members: bool
    can_manage: bool
    #: the one secretary membership whose End is not offered (the body would be left headless)
    sole_secretary: int | None = None


def _shown_as_council(body: Body) -> bool:
    """Whether a page counts ``body`` by the people it represents (a council) rather than by its
    own members (a base body, or a committee: its members are elected to it, not represented)."""
    return body.kind == BodyKind.COUNCIL


def member_counts(at: datetime, body_ids: list[int] | None = None) -> dict[int, int]:
    """Current number of members of each body (one grouped query)."""
    rows = Membership.objects.filter(current(at))
    if body_ids is not None:
        rows = rows.filter(body_id__in=body_ids)
    return dict(rows.values("body_id").annotate(n=Count("id")).values_list("body_id", "n"))


def latest_apportionments(council_ids: list[int]) -> dict[int, Apportionment]:
    """The newest apportionment of each council, with its rows and their bodies (two queries)."""
    latest: dict[int, Apportionment] = {}
    rows = (
        Apportionment.objects.filter(council_id__in=council_ids)
        .order_by("council_id", "-computed_at", "-id")
        .prefetch_related(
            Prefetch("rows", queryset=ApportionedSeats.objects.select_related("body"))
        )
    )
    for record in rows:
        latest.setdefault(record.council_id, record)
    return latest


def federation_tree(*, at: datetime, councils_only: bool = False) -> list[TreeNode]:
    """The federation from its top councils down to the base bodies (or, with ``councils_only``,
    down to the councils, each with the number of base bodies directly under it: the home page
    stays small however large the federation grows).

    A body that sends delegates to several councils appears under each of them.
    """
    bodies = {b.pk: b for b in Body.objects.all()}
    links = list(Federation.objects.filter(current(at)).values_list("body_id", "parent_id"))
    # Councils show the people they represent (consejo.bodies.represented); bodies, their members.
    counts = member_counts(at)
    # A committee is counted by its own members: its commissions represent nobody beneath.
    counts.update(represented_counts([b for b in bodies.values() if _shown_as_council(b)], at))
    seats: dict[tuple[int, int], int] = {}
    for council_id, record in latest_apportionments(list(bodies)).items():
        for row in record.rows.all():
            seats[(row.body_id, council_id)] = row.seats
    children: dict[int, list[int]] = defaultdict(list)
    has_parent: set[int] = set()
    for child, parent in links:
        children[parent].append(child)
        has_parent.add(child)

    def build(body_id: int, parent_id: int | None, path: frozenset[int]) -> TreeNode:
        node = TreeNode(
            body=bodies[body_id],
            members=counts.get(body_id, 0),
            seats_here=seats.get((body_id, parent_id)) if parent_id else None,
        )
        kids = sorted(children.get(body_id, []), key=lambda pk: bodies[pk].name)
        if councils_only:
            node.base_bodies = sum(1 for kid in kids if not bodies[kid].is_council)
            kids = [kid for kid in kids if bodies[kid].is_council]
        node.children = [build(kid, body_id, path | {kid}) for kid in kids if kid not in path]
        return node

    roots = sorted((pk for pk in bodies if pk not in has_parent), key=lambda pk: bodies[pk].name)
    if councils_only:
        roots = [pk for pk in roots if bodies[pk].is_council]
    # Councils first (the top of the federation), then unaffiliated base bodies.
    roots.sort(key=lambda pk: not bodies[pk].is_council)
    return [build(pk, None, frozenset({pk})) for pk in roots]


ROSTER_PAGE_SIZE = 40  # keeps a secretary's page well under 60 KB on a slow link


def membership_list(*, body: Body, at: datetime, search: str = "") -> QuerySet[Membership]:
    """A body's current memberships, secretaries first, then by name; ``search`` matches names."""
    rows = Membership.objects.filter(current(at), body=body).select_related("member")
    if search:
        rows = rows.filter(member__name__icontains=search)
    return rows.order_by("-role", "member__name", "pk")


def body_page(
    *, body: Body, actor: Actor, at: datetime, roster_page: int | str = 1, search: str = ""
) -> BodyPage:
    """Everything the body page shows, with the viewer's rights precomputed."""
    parent_links = list(Federation.objects.filter(current(at), body=body).select_related("parent"))
    child_links = list(Federation.objects.filter(current(at), parent=body).select_related("body"))
    council_ids = [link.parent_id for link in parent_links] + [body.pk]
    latest = latest_apportionments(council_ids)
    parents = []
    for link in parent_links:
        record = latest.get(link.parent_id)
        seats = None
        if record is not None:
            seats = next((row.seats for row in record.rows.all() if row.body_id == body.pk), None)
        parents.append(SeatsInCouncil(link.parent, link, seats, record))
    apportionment = latest.get(body.pk)
    own_seats = (
        {row.body_id: row.seats for row in apportionment.rows.all()} if apportionment else {}
    )
    counts = represented_counts([body, *(link.body for link in child_links)], at)
    own = member_counts(at, [body.pk, *(link.body_id for link in child_links)])
    own_members = own.get(body.pk, 0)
    for link in child_links:
        if not _shown_as_council(link.body):
            counts[link.body_id] = own.get(link.body_id, 0)
    children = sorted(
        (
            (link.body, counts.get(link.body_id, 0), own_seats.get(link.body_id))
            for link in child_links
        ),
        key=lambda item: item[0].name,
    )
    by_sector = [
        (str(Sector(sector).label), n)
        for sector, n in Membership.objects.filter(current(at), body=body)
        .values("sector")
        .annotate(n=Count("id"))
        .order_by("-n", "sector")
        .values_list("sector", "n")
    ]
    can_manage = is_operator(actor) or is_secretary(actor, body, at)
    # Rosters are sensitive in a crisis: only members see names, never the public.
    can_see_members = may_see_roster(actor, body, at)
    roster: Page[Membership] | None = None
    if can_see_members:
        paginator = Paginator(membership_list(body=body, at=at, search=search), ROSTER_PAGE_SIZE)
        roster = paginator.get_page(roster_page)
    return BodyPage(
        body=body,
        members=own_members,
        represented=counts.get(body.pk, 0),
        is_council=body.is_council,
        is_committee=body.kind == BodyKind.COMMITTEE,
        by_sector=by_sector,
        parents=parents,
        children=children,
        apportionment=apportionment,
        roster=roster,
        search=search,
        can_see_members=can_see_members,
        can_manage=can_manage,
        sole_secretary=sole_secretary_membership(body=body, at=at) if can_manage else None,
    )


def sole_secretary_membership(*, body: Body, at: datetime) -> int | None:
    """The id of the membership of ``body``'s only acting officer, which may not end while no
    substitute waits (``core.offices.leaves_body_headless``); None otherwise."""
    holders = list(acting_offices(at).filter(council=body).values_list("member_id", flat=True)[:2])
    if len(holders) != 1 or not dependents().leaves_headless(
        member_id=holders[0], body_id=body.pk, at=at
    ):
        return None
    return (
        Membership.objects.filter(current(at), body=body, member_id=holders[0])
        .values_list("pk", flat=True)
        .first()
    )


def membership_end_refusal(*, membership: Membership, at: datetime) -> Conflict | None:
    """Why ``membership`` may not end now, as the service would say it (``core.offices``), or
    None: the confirmation page is not shown for an end that would be refused."""
    if dependents().leaves_headless(
        member_id=membership.member_id, body_id=membership.body_id, at=at
    ):
        try:
            check_membership_may_end(leaving_holds_office=True, other_holders=0, substitutes=0)
        except Conflict as refusal:
            return refusal
    return None


def member_memberships(member: Member) -> QuerySet[Membership]:
    """All of a member's memberships, current and past, newest first."""
    return member.memberships.select_related("body").order_by("-start")


def home_summary(*, at: datetime) -> dict[str, int]:
    """The federation at a glance: how many bodies, councils and members there are now."""
    return {
        "bodies": Body.objects.exclude(kind__in=COUNCIL_KINDS).count(),
        "councils": Body.objects.filter(kind=BodyKind.COUNCIL).count(),
        "members": Membership.objects.filter(current(at)).values("member_id").distinct().count(),
        "memberships": Membership.objects.filter(current(at)).count(),
    }


def body_list(*, at: datetime) -> tuple[list[Body], dict[int, list[str]]]:
    """All bodies, and the short names of each one's current parent councils (two queries)."""
    bodies = list(Body.objects.order_by("name"))
    parents: dict[int, list[str]] = defaultdict(list)
    for body_id, parent_slug in Federation.objects.filter(current(at)).values_list(
        "body_id", "parent__slug"
    ):
        parents[body_id].append(parent_slug)
    return bodies, dict(parents)


def councils_managed(*, actor: Actor, at: datetime) -> list[Body]:
    """The councils under which ``actor`` may create bodies now: all for an operator, else those
    whose secretary ``actor`` is."""
    councils = Body.objects.filter(kind__in=COUNCIL_KINDS)
    if is_operator(actor):
        return list(councils.order_by("name"))
    user_id = actor_ref(actor)
    if user_id is None:
        return []
    return list(councils.filter(pk__in=office_bodies(actor, at)).order_by("name"))


def creatable_kinds() -> list[tuple[str, str]]:
    """The kinds of body a council's secretary may create under the council (the form's choices),
    as ``core.federation.may_create_under`` decides: committees only."""
    return [
        (value, str(label))
        for value, label in BodyKind.choices
        if may_create_under(kind=value, operator=False, secretary_of_council=True)
    ]


def linkable_bodies(*, council: Body, actor: Actor, at: datetime) -> list[Body]:
    """Bodies ``actor`` could link to ``council`` now (for the link form's list).

    An operator may link any body; anyone else only bodies whose secretary they are (a link needs
    both sides, see ``services.federation_link``). Never the council itself, a body already
    linked, nor a council above it (that would be a cycle). Empty: the form is not shown.
    """
    parents, _children = federation_links(at)
    excluded = {council.pk} | reachable(parents, council.pk)
    excluded |= set(
        Federation.objects.filter(current(at), parent=council).values_list("body_id", flat=True)
    )
    candidates = Body.objects.exclude(pk__in=excluded)
    if not is_operator(actor):
        user_id = actor_ref(actor)
        if user_id is None or not is_secretary(actor, council, at):
            return []
        candidates = candidates.filter(pk__in=office_bodies(actor, at))
    return list(candidates.order_by("name")[:200])


def child_links(*, council: Body, at: datetime) -> list[Federation]:
    """The current links into ``council``, with their bodies."""
    return list(
        Federation.objects.filter(current(at), parent=council)
        .select_related("body")
        .order_by("body__name")
    )
