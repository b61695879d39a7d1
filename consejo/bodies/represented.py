"""How many people a body represents: the basis on which a council's seats are apportioned.

Rule: a base body represents its current members. A council (or committee) represents every person
holding a current membership in a base body beneath it, through current federation links, each
person counted once however many of those bodies they belong to. Memberships *in* councils are not
counted: the people holding them (delegates, secretaries) are already counted in their base bodies.
So a national congress made of city councils is apportioned by the workers and residents behind
each council, not by the handful of delegates each one seats. The rule as a pure function:
``consejo.core.represented``; the counts kept as memberships and links change:
``consejo.bodies.counts``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count

from consejo.bodies.authority import current
from consejo.bodies.models import COUNCIL_KINDS, Body, Federation, Membership, RepresentedCount
from consejo.core.federation import reachable
from consejo.core.ledger import parse_instant
from consejo.ledger.models import LedgerHead


def federation_links(at: datetime) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """The current links as two maps: child → parents and parent → children (one query)."""
    parents: dict[int, list[int]] = defaultdict(list)
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in Federation.objects.filter(current(at)).values_list("body_id", "parent_id"):
        parents[child].append(parent)
        children[parent].append(child)
    return dict(parents), dict(children)


def represented_counts(bodies: list[Body], at: datetime) -> dict[int, int]:
    """The number of people each of ``bodies`` represents at ``at`` (see the module's rule).

    At or after the newest ledger entry (a page shown now) the counts kept by
    ``consejo.bodies.counts`` are read: two queries, whatever the federation's size. An earlier
    instant (a page of the past) is counted from the memberships then in force.
    """
    if not bodies:
        return {}
    head = LedgerHead.objects.filter(id=1).values_list("at", flat=True).first()
    if not head or at >= parse_instant(head):
        return kept_counts(b.pk for b in bodies)
    return recounted(bodies, at)


def kept_counts(body_ids: Iterable[int]) -> dict[int, int]:
    """The kept number of people each body represents at the ledger's head (one query); for a
    service, which holds the head's lock and has just updated the counts."""
    ids = list(body_ids)
    counts = dict.fromkeys(ids, 0)
    counts.update(
        RepresentedCount.objects.filter(body_id__in=ids).values_list("body_id", "members")
    )
    return counts


def recounted(bodies: list[Body], at: datetime) -> dict[int, int]:
    """The number of people each of ``bodies`` represents at ``at``, counted from the memberships
    in force then: one query for the links, one grouped count for the base bodies, and one
    distinct count per council among ``bodies`` (its cost grows with the federation)."""
    _parents, children = federation_links(at)
    base_ids = [b.pk for b in bodies if not b.is_council]
    counts: dict[int, int] = dict.fromkeys((b.pk for b in bodies), 0)
    if base_ids:
        counts.update(_member_counts(base_ids, at))
    councils = [b for b in bodies if b.is_council]
    if councils:
        kinds = dict(Body.objects.values_list("pk", "kind"))
        for council in councils:
            below = [
                pk for pk in reachable(children, council.pk) if kinds.get(pk) not in COUNCIL_KINDS
            ]
            if below:
                counts[council.pk] = (
                    Membership.objects.filter(current(at), body_id__in=below)
                    .values("member_id")
                    .distinct()
                    .count()
                )
    return counts


def _member_counts(body_ids: list[int], at: datetime) -> dict[int, int]:
    return dict(
        Membership.objects.filter(current(at), body_id__in=body_ids)
        .values("body_id")
        .annotate(n=Count("id"))
        .values_list("body_id", "n")
    )
