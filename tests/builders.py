"""Shared builders: small, realistic state made through the services (the one write path).

Only Django users are made directly (``django_user_model``); every body, member, membership,
federation link and apportionment goes through ``consejo.bodies.services``, so each builder also
writes the ledger entries a real installation would hold.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.utils import timezone

from consejo.bodies import services
from consejo.bodies.models import (
    ApportionmentMethod,
    Body,
    BodyKind,
    CouncilLevel,
    Member,
    Membership,
    Sector,
)
from consejo.bodies.services import RosterRow
from consejo.mandates.services import secretary_appoint_provisional

COUNCIL_NAME = "Consejo Vecinal y Obrero de El Alto"
NEIGHBORHOOD_NAME = "Junta Vecinal de Senkata"
MINE_NAME = "Sindicato Mixto de Trabajadores Mineros de Huanuni"
NEIGHBORHOOD_MEMBERS = 30
MINE_MEMBERS = 12
COUNCIL_SEATS = 5


@dataclass(frozen=True)
class SmallFederation:
    """A city council with two base bodies, their rosters imported and its seats apportioned.

    Hamilton, 5 seats over 30 + 12 members: quotas 3.5714 and 1.4286, seats 4 and 1.
    """

    council: Body
    neighborhood: Body
    mine: Body
    neighborhood_names: tuple[str, ...]
    mine_names: tuple[str, ...]

    @property
    def bodies(self) -> tuple[Body, Body]:
        return (self.neighborhood, self.mine)


def roster(prefix: str, n: int, sector: str) -> list[RosterRow]:
    """``n`` rows named ``"<prefix> 01"``, ``"<prefix> 02"``... of one sector, without phones."""
    return [RosterRow(name=f"{prefix} {i:02d}", sector=sector) for i in range(1, n + 1)]


def build_small_federation(*, actor: Any) -> SmallFederation:
    """Build the federation of :class:`SmallFederation` as ``actor`` (an operator)."""
    council = services.body_create(
        actor=actor,
        name=COUNCIL_NAME,
        slug="el-alto-council",
        kind=BodyKind.COUNCIL,
        level=CouncilLevel.CITY,
        place="El Alto",
    )
    neighborhood = services.body_create(
        actor=actor,
        name=NEIGHBORHOOD_NAME,
        slug="senkata",
        kind=BodyKind.NEIGHBORHOOD_ASSEMBLY,
        place="Senkata, El Alto",
    )
    mine = services.body_create(
        actor=actor, name=MINE_NAME, slug="huanuni", kind=BodyKind.MINE, place="Huanuni"
    )
    neighborhood_rows = roster("Vecina Quispe", NEIGHBORHOOD_MEMBERS, Sector.RESIDENT)
    mine_rows = roster("Minero Mamani", MINE_MEMBERS, Sector.MINER)
    services.membership_import(actor=actor, body_id=neighborhood.pk, rows=neighborhood_rows)
    services.membership_import(actor=actor, body_id=mine.pk, rows=mine_rows)
    services.federation_link(actor=actor, body_id=neighborhood.pk, parent_id=council.pk)
    services.federation_link(actor=actor, body_id=mine.pk, parent_id=council.pk)
    services.council_seats_configure(
        actor=actor,
        council_id=council.pk,
        method=ApportionmentMethod.HAMILTON,
        seats=COUNCIL_SEATS,
    )
    return SmallFederation(
        council=council,
        neighborhood=neighborhood,
        mine=mine,
        neighborhood_names=tuple(r.name for r in neighborhood_rows),
        mine_names=tuple(r.name for r in mine_rows),
    )


def grant_login(
    *,
    actor: Any,
    member: Any,
    username: str,
    password: str = "wawa-llajta-2005",
    at: datetime | None = None,
) -> Any:
    """Give ``member`` a login (a one-time code) and set ``password`` with the code, as the member
    would; returns the user."""
    issued = services.member_login_grant(actor=actor, member_id=member.pk, username=username, at=at)
    return services.login_code_redeem(username=username, code=issued.code, password=password, at=at)


def make_secretary(
    *,
    actor: Any,
    body: Body,
    username: str = "secretaria",
    password: str = "wawa-llajta-2005",
    name: str = "Secretaria Condori",
) -> Any:
    """Register ``name`` as a member of ``body``, make them its secretary and give them a login;
    returns the user. The office is a mandate: ``actor`` (an operator) appoints it provisionally,
    as for a body just founded, which has no secretary yet to call the election for one."""
    membership: Membership = services.member_add(
        actor=actor, body_id=body.pk, name=name, sector=Sector.RESIDENT
    )
    appoint_secretary(actor=actor, membership=membership)
    return grant_login(actor=actor, member=membership.member, username=username, password=password)


def appoint_secretary(*, actor: Any, membership: Membership, at: datetime | None = None) -> Any:
    """Make the holder of ``membership`` its body's secretary: an office mandate that ``actor``
    (an operator) appoints provisionally; returns the membership."""
    secretary_appoint_provisional(
        actor=actor,
        membership_id=membership.pk,
        reason="la asamblea aún no eligió secretaría",
        at=at,
    )
    return membership


def make_member(
    *,
    actor: Any,
    body: Body,
    username: str = "vecina",
    password: str = "wawa-llajta-2005",
    name: str = "Basilia Ticona",
) -> Any:
    """Register ``name`` as a plain member of ``body`` and give them a login; returns the user."""
    membership: Membership = services.member_add(
        actor=actor, body_id=body.pk, name=name, sector=Sector.RESIDENT
    )
    return grant_login(actor=actor, member=membership.member, username=username, password=password)


@dataclass(frozen=True)
class RunningElection:
    """An election of the small federation's neighbourhood into its council, voting open.

    Called at ``called``, voting from ``opens`` (one hour later) to ``closes`` (a day later); the
    clock is left inside the voting period. ``voters`` are logins of plain members, by username.
    """

    election: Any
    candidates: tuple[Any, ...]
    voters: dict[str, Any]
    secretary: Any
    called: datetime
    opens: datetime
    closes: datetime
    #: A secret election's trustees (the first voters), by number: logins and card seeds.
    trustees: dict[int, Any] = field(default_factory=dict)
    seeds: dict[int, bytes] = field(default_factory=dict)

    @property
    def box(self) -> Any:
        from consejo.boxes.models import Box

        return Box.objects.get(purpose=f"election:{self.election.pk}")

    def close_and_decrypt_only(self, traveller: Any, *, trustees: int | None = None) -> None:
        """Have the first k trustees (or ``trustees`` of them) decrypt a box already closed."""
        from consejo.boxes import ceremony

        box = self.box
        chosen = sorted(self.trustees)[: trustees or box.threshold]
        ceremony.decrypt(box, self.trustees, self.seeds, chosen)

    def close_and_decrypt(self, traveller: Any, *, trustees: int | None = None) -> None:
        """Move past the close, close and mix the box, and have the first k trustees (or
        ``trustees`` of them) decrypt: what a secret election needs before its count."""
        from consejo.boxes import ceremony
        from consejo.elections import services as election_services

        traveller.move_to(self.closes + timedelta(minutes=1), tick=False)
        election_services.election_close(actor=self.secretary, election_id=self.election.pk)
        box = self.box
        ceremony.decrypt(
            box, self.trustees, self.seeds, sorted(self.trustees)[: trustees or box.threshold]
        )


def build_running_election(
    *,
    actor: Any,
    federation: SmallFederation,
    traveller: Any,
    method: str = "scottish-stv",
    mode: str = "secret",
    candidates: int = 4,
    voters: int = 6,
    start: datetime | None = None,
) -> RunningElection:
    """Call an election in ``federation.neighborhood``, nominate ``candidates`` of its members
    (each accepting), give ``voters`` members logins, and move the clock (``traveller``: the
    ``time_machine`` fixture) into the voting period."""
    from consejo.elections import services as election_services

    start = start or timezone.now()  # the clock only moves forward: the ledger is in order
    traveller.move_to(start, tick=False)
    body = federation.neighborhood
    secretary = make_secretary(actor=actor, body=body, username="sec-eleccion")
    logins = {
        f"votante-{i}": make_member(
            actor=actor, body=body, username=f"votante-{i}", name=f"Votante {i:02d}"
        )
        for i in range(1, voters + 1)
    }
    opens, closes = start + timedelta(hours=1), start + timedelta(days=1)
    trustee_logins = dict(enumerate(list(logins.values())[:3], start=1)) if mode == "secret" else {}
    election = election_services.election_create(
        actor=secretary,
        body_id=body.pk,
        council_id=federation.council.pk,
        title="Delegados de Senkata al Consejo",
        method=method,
        mode=mode,
        opens_at=opens,
        closes_at=closes,
        trustee_ids=[m.pk for m in [Member.objects.get(user=u) for u in trustee_logins.values()]],
    )
    seeds = key_ceremony(election, trustee_logins) if trustee_logins else {}
    members = Membership.objects.filter(
        body=body, member__name__in=federation.neighborhood_names[:candidates]
    ).select_related("member")
    nominated = tuple(
        election_services.candidate_nominate(
            actor=secretary, election_id=election.pk, member_id=m.member.pk
        )
        for m in members
    )
    traveller.move_to(opens + timedelta(minutes=5), tick=False)
    return RunningElection(
        election, nominated, logins, secretary, start, opens, closes, trustee_logins, seeds
    )


def sealed_count(election: Any) -> int:
    """How many sealed ballots an election's box holds."""
    from consejo.boxes.models import SealedBallot

    return SealedBallot.objects.filter(box__purpose=f"election:{election.pk}").count()


@dataclass(frozen=True)
class SupplyScene:
    """A supply committee of the small federation's council, its control commission, a depot of
    gas, two recipients (a clinic, tier 1; the neighbourhood, tier 2) with routes and needs.

    ``members`` are the committee's three voting members' logins (the secretary is the first);
    ``counter`` a member of the control commission; ``junta`` the neighbourhood's secretary.
    """

    federation: SmallFederation
    committee: Body
    commission: Body
    depot: Any
    gas: Any
    clinic: Any
    barrio: Any
    members: tuple[Any, ...]
    counter: Any
    junta: Any


def build_supply(*, actor: Any, stock: int = 100) -> SupplyScene:
    """Build :class:`SupplyScene` as ``actor`` (an operator), through the services."""
    from consejo.supply import services as supply

    federation = build_small_federation(actor=actor)
    committee = services.body_create(
        actor=actor,
        name="Comité de Abastecimiento de El Alto",
        slug="abastecimiento",
        kind=BodyKind.COMMITTEE,
        parent_id=federation.council.pk,
    )
    commission = services.body_create(
        actor=actor,
        name="Comisión de Control de Senkata",
        slug="control-senkata",
        kind=BodyKind.COMMITTEE,
        parent_id=committee.pk,
    )
    members = (
        make_secretary(actor=actor, body=committee, username="abasto-1", name="Abasto Uno"),
        make_member(actor=actor, body=committee, username="abasto-2", name="Abasto Dos"),
        make_member(actor=actor, body=committee, username="abasto-3", name="Abasto Tres"),
    )
    counter = make_member(actor=actor, body=commission, username="control", name="Control Uno")
    junta = make_secretary(
        actor=actor, body=federation.neighborhood, username="junta", name="Junta Secretaria"
    )
    gas = supply.item_create(actor=actor, slug="gas-10kg", name="Garrafa 10 kg", unit="garrafa")
    depot = supply.depot_create(
        actor=actor,
        committee_id=committee.pk,
        commission_id=commission.pk,
        slug="planta-senkata",
        name="Planta de Senkata",
    )
    clinic = supply.recipient_register(
        actor=actor,
        committee_id=committee.pk,
        body_id=federation.mine.pk,
        slug="posta-senkata",
        name="Posta de Senkata",
        kind="clinic",
        tier=1,
    )
    barrio = supply.recipient_register(
        actor=actor,
        committee_id=committee.pk,
        body_id=federation.neighborhood.pk,
        slug="barrio-senkata",
        name="Barrio Senkata",
        kind="neighborhood",
        tier=2,
        households=400,
    )
    for recipient, cost in ((clinic, 1), (barrio, 2)):
        supply.route_set(actor=actor, depot_id=depot.pk, recipient_id=recipient.pk, cost=cost)
    supply.stock_count_record(actor=counter, depot_id=depot.pk, item_id=gas.pk, units=stock)
    supply.need_register(actor=actor, recipient_id=clinic.pk, item_id=gas.pk, units=30)
    supply.need_register(actor=junta, recipient_id=barrio.pk, item_id=gas.pk, units=400)
    return SupplyScene(
        federation, committee, commission, depot, gas, clinic, barrio, members, counter, junta
    )


def propose_from_new_figures(scene: SupplyScene, actor: Any, *, units: int) -> Any:
    """Record a new stock count of gas (``units``), then propose a plan as ``actor``: a proposal
    from figures no open plan was computed from (identical ones are refused)."""
    from consejo.supply import services as supply

    supply.stock_count_record(
        actor=scene.counter, depot_id=scene.depot.pk, item_id=scene.gas.pk, units=units
    )
    return supply.plan_propose(actor=actor, committee_id=scene.committee.pk)


# --- sealed ballots ------------------------------------------------------------------------------

#: Every key ceremony a test ran, by box reference: the trustees' logins and card seeds (in a real
#: vote each seed stays on its trustee's device).
CEREMONIES: dict[str, tuple[dict[int, Any], dict[int, bytes]]] = {}


def trustee_logins(*, actor: Any, body: Body, count: int = 3) -> dict[int, Any]:
    """Logins for the last ``count`` members of ``body``'s roster (made once; reused after), to be
    an election's trustees."""
    from django.contrib.auth import get_user_model

    logins = {}
    members = list(
        Member.objects.filter(memberships__body=body).order_by("-name", "-id").distinct()[:count]
    )
    for index, member in enumerate(members, start=1):
        if member.user_id is None:
            grant_login(actor=actor, member=member, username=f"custodio-{body.slug}-{index}")
        logins[index] = get_user_model().objects.get(pk=Member.objects.get(pk=member.pk).user_id)
    return logins


def trustee_members(logins: dict[int, Any]) -> list[Any]:
    return [Member.objects.get(user=u) for _, u in sorted(logins.items())]


def key_ceremony(election: Any, logins: dict[int, Any]) -> dict[int, bytes]:
    """Run the key ceremony of a secret election's box; returns the trustees' seeds."""
    from consejo.boxes import ceremony
    from consejo.boxes.models import Box

    box = Box.objects.get(purpose=f"election:{election.pk}")
    seeds = {i: os.urandom(32) for i in logins}
    ceremony.run_key_ceremony(box, logins, seeds)
    CEREMONIES[box.reference] = (dict(logins), seeds)
    return seeds


def secret_box(election: Any) -> dict[tuple[int, ...], int]:
    """What the sealed ballots of an election say, decrypted in memory with its trustees' cards
    (never done by the server): each ranking of candidate keys with the number cast so (marks
    in the order of the keys)."""
    from consejo.boxes.models import Box, SealedBallot
    from consejo.boxes.selectors import box_file
    from consejo.core.sealed import ballots, dkg, files, group, steps
    from consejo.core.sealed.elgamal import Multiples
    from consejo.elections.selectors import standing_candidates

    box = Box.objects.get(purpose=f"election:{election.pk}")
    _, seeds = CEREMONIES[box.reference]
    view = files.read_box(box_file(box))
    chosen = sorted(seeds)[: box.threshold]
    shares = {i: steps.share_of(view, i, seeds[i])[0] for i in chosen}
    standing = standing_candidates(election)
    table = Multiples(box.width + 1)
    out: dict[tuple[int, ...], int] = {}
    for data in SealedBallot.objects.filter(box=box).values_list("data", flat=True):
        vector = ballots.decode(bytes(data), box.width)
        partials = {i: [group.mul(s, c.a) for c in vector] for i, s in shares.items()}
        ranks = ballots.read_plaintexts(dkg.combine(vector, partials), table)
        positions = ballots.choices_of(ranks, ranked=box.ranked)
        keys = tuple(standing[p].pk for p in positions)
        key = keys if box.ranked else tuple(sorted(keys))
        out[key] = out.get(key, 0) + 1
    return out


T = TypeVar("T")


def loaded_demo(blocker: Any, then: Callable[[str], T]) -> Iterator[T]:
    """For a module-scoped fixture (``yield from``): run ``consejo demo`` once, then ``then``
    with its output, inside an outer transaction rolled back after the module's tests, so that
    the other modules still start from an empty database. Like Django's TestCase, the services'
    durable blocks may run inside it."""
    from django.core.management import call_command
    from django.db import transaction

    with blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        out = io.StringIO()
        try:
            call_command("demo", stdout=out)
            value = then(out.getvalue())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield value
    with blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
