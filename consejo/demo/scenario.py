"""The demo scenario: El Alto and La Paz, June 2005 (see DESIGN.md and docs/demo.md).

``load_demo()`` builds, into an empty database, the federation of councils that the organizations
meeting at the FEJUVE of El Alto on 8 June 2005 called for: base bodies (the YPFB Senkata plant,
the miners of Huanuni and Colquiri, neighborhood assemblies, teachers, vendors, drivers, peasant
communities, students, a hospital), district, city and sector councils, and the national popular
assembly at the top, with their rosters and apportioned seats.

Every domain write goes through ``consejo.bodies.services``, at instants in June 2005
(America/La_Paz) in increasing order, so that the ledger tells the story in order and verifies. The
members' logins are given with ``member_login_grant`` (a one-time code), with which each member
sets the documented password (``login_code_redeem``); the one write outside the services is the
operator ``admin``, a superuser with no member behind it, made with ``operator_create``.

The organizations are real; the people, their names and every number are invented (deterministic:
``random.Random(2005)``). A council made of councils is apportioned by the people its constituent
councils represent (consejo.bodies.represented). On 9 June two assemblies elect their delegates
(consejo.demo.elections); one more election is open now, for the demo's member to vote in.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from consejo.bodies.models import (
    COUNCIL_KINDS,
    Apportionment,
    Body,
    BodyKind,
    Federation,
    Member,
    Membership,
)
from consejo.bodies.services import (
    RosterRow,
    body_create,
    council_seats_configure,
    federation_link,
    member_add,
    membership_import,
    operator_create,
)
from consejo.common.actors import Actor
from consejo.core.errors import Conflict
from consejo.demo.councils import fill_upward
from consejo.demo.dataset import (
    BASES,
    COUNCILS,
    DEMO_LOGINS,
    LOGIN_MEMBERS,
    MEN,
    SEATING,
    SURNAMES,
    VECINA,
    WOMEN,
    Base,
    Council,
    DemoLogin,
)
from consejo.demo.elections import elect_delegates, elect_officer, open_election_now
from consejo.demo.hashing import quick_demo_hashes
from consejo.demo.logins import demo_login
from consejo.demo.supply import share_the_gas
from consejo.elections.models import Election
from consejo.ledger.selectors import ledger_head_get
from consejo.mandates.models import Mandate
from consejo.mandates.services import secretary_appoint_provisional

LA_PAZ = ZoneInfo("America/La_Paz")
SEED = 2005

#: The national popular assembly: proclaimed on 8 June, so created (and linked) last.
NATIONAL = "asamblea-popular-nacional"

ILLUSTRATIVE = "Demo: el número de miembros es ilustrativo, no histórico."


class _Writer(Protocol):
    def write(self, msg: str, /) -> Any: ...


# --- the logins ------------------------------------------------------------------------------

# Fixed, documented passwords for a local demo only: `consejo demo` warns that they must never
# be used on an installation reachable by anyone else.
WARNING = (
    "WARNING: these demo logins have public, documented passwords. Use the demo on your own "
    "machine only, never on an installation that anyone else can reach."
)


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What ``load_demo`` created."""

    logins: tuple[DemoLogin, ...]
    bodies: int
    councils: int
    members: int
    memberships: int
    federation_links: int
    apportionments: int
    elections: int
    mandates: int
    ledger_entries: int


def _person(rng: random.Random) -> str:
    first = rng.choice(WOMEN if rng.random() < 0.5 else MEN)
    if rng.random() < 0.3:
        first = f"{first} {rng.choice(WOMEN if first in WOMEN else MEN)}"
    return f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"


def _roster(spec: Base, rng: random.Random) -> list[RosterRow]:
    sectors = [sector for sector, _ in spec.sectors]
    weights = [weight for _, weight in spec.sectors]
    return [
        RosterRow(name=_person(rng), sector=rng.choices(sectors, weights)[0])
        for _ in range(spec.members)
    ]


# --- time ------------------------------------------------------------------------------------


class _Clock:
    """Instants in June 2005 in La Paz, strictly increasing: one per service call."""

    def __init__(self) -> None:
        self.now = datetime(2005, 6, 1, 8, 0, tzinfo=LA_PAZ)

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def at(self, day: int, hour: int) -> datetime:
        """``day`` of June at ``hour``, or the next minute if the schedule already passed it."""
        self.now = max(
            datetime(2005, 6, day, hour, 0, tzinfo=LA_PAZ), self.now + timedelta(minutes=1)
        )
        return self.now


# --- loading ---------------------------------------------------------------------------------


def demo_is_loaded() -> bool:
    """Whether the demo's national assembly and operator exist (what ``--if-empty`` checks)."""
    return (
        Body.objects.filter(slug=NATIONAL).exists()
        and get_user_model().objects.filter(username="admin").exists()
    )


def load_demo(*, stdout: _Writer | None = None) -> DemoResult:
    """Load the El Alto scenario into an empty database; refuse (Conflict) if it holds bodies.

    Not one transaction: each service call is its own durable transaction, as in real use. The
    database is checked to be empty first, so a refusal writes nothing.
    """
    with quick_demo_hashes():
        return _load_demo(stdout=stdout)


def _load_demo(*, stdout: _Writer | None) -> DemoResult:

    def say(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    User = get_user_model()  # noqa: N806 - Django's spelling
    if Body.objects.exists():
        raise Conflict("the database already holds bodies: the demo loads only into an empty one")
    taken = User.objects.filter(username__in=[login.username for login in DEMO_LOGINS])
    if name := taken.values_list("username", flat=True).first():
        raise Conflict(f"a login named {name} exists already: the demo needs an empty database")

    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data, not a secret
    clock = _Clock()
    passwords = {login.username: login.password for login in DEMO_LOGINS}

    # 1 June: the operator sets up the federation, all but the national assembly.
    admin = operator_create(username="admin", password=passwords["admin"], at=clock.tick())
    bodies: dict[str, Body] = {}
    structure: list[Council | Base] = [c for c in COUNCILS if c.slug != NATIONAL]
    for item in [*structure, *BASES]:
        _create(item, bodies, actor=admin, clock=clock)
    say(f"1 June: {len(bodies)} bodies created and linked (the national assembly: 8 June)")

    # 1 June, evening: the secretaries whose logins the demo offers.
    logins: dict[str, Any] = {}
    for username, slug, name, _office, sector in LOGIN_MEMBERS:
        logins[username] = _member_with_login(
            username,
            passwords[username],
            bodies[slug],
            name,
            sector,
            actor=admin,
            clock=clock,
            day=1,
            hour=18,
        )
    # 1 June, night: each founding base assembly elects its secretary by show of hands, entered
    # by the operator (nobody holds an office there yet). The hands are fixed numbers, not drawn,
    # so that the rest of the scenario draws what it always drew. A council elects its officers
    # from its delegates once they sit: until then the operator appoints its secretary
    # provisionally, as the founding meeting asked.
    for index, (username, slug, _name, office, _sector) in enumerate(LOGIN_MEMBERS):
        member = Member.objects.get(user=logins[username])
        if office and bodies[slug].kind not in COUNCIL_KINDS:
            elect_officer(
                body=bodies[slug],
                office=office,
                member=member,
                votes=40 + 23 * index,
                actor=admin,
                clock=clock,
                day=1,
                hour=20,
            )
        elif office:
            secretary_appoint_provisional(
                actor=admin,
                membership_id=Membership.objects.get(member=member, body=bodies[slug]).pk,
                reason="designada por la reunión de fundación hasta que los delegados elijan",
                at=clock.tick(),
            )

    # 2-4 June: assemblies and cabildos register their members; each roster is one import.
    # The secretaries with a login import their own body's roster (the ledger names them).
    importer = {"senkata-planta": logins["senkata"], "jv-villa-ingenio": logins["villa-ingenio"]}
    for spec in BASES:
        if spec.slug == VECINA[1]:
            username, slug, name, _office, sector = VECINA
            logins[username] = _member_with_login(
                username,
                passwords[username],
                bodies[slug],
                name,
                sector,
                actor=importer[slug],
                clock=clock,
                day=spec.roster_day,
                hour=8,
            )
        membership_import(
            actor=importer.get(spec.slug, admin),
            body_id=bodies[spec.slug].pk,
            rows=_roster(spec, rng),
            same_name_ok=True,  # generated names may repeat, as real ones do
            at=clock.at(spec.roster_day, 8),
        )
    say("2-4 June: rosters imported")

    # 5-8 June: councils set their seats, from the districts up; on the
    # evening of 8 June the national assembly is proclaimed and its constituents join it.
    for slug, day, hour in SEATING:
        council = next(c for c in COUNCILS if c.slug == slug)
        if slug == NATIONAL:
            _create(council, bodies, actor=admin, clock=clock, at=clock.at(day, hour - 2))
            for child in COUNCILS:
                if NATIONAL in child.parents:
                    federation_link(
                        actor=admin,
                        body_id=bodies[child.slug].pk,
                        parent_id=bodies[NATIONAL].pk,
                        at=clock.tick(),
                    )
        actor = logins["el-alto"] if slug == "asamblea-el-alto" else admin
        council_seats_configure(
            actor=actor,
            council_id=bodies[slug].pk,
            method=council.method,
            seats=council.seats,
            min_seats=council.min_seats,
            members_per_seat=council.members_per_seat,
            at=clock.at(day, hour),
        )
    say(f"5-8 June: seats apportioned in {len(SEATING)} councils")

    # 9 June: Villa Ingenio and the Senkata plant elect their delegates; then, today, Villa
    # Ingenio renews its delegation online (voting open for 30 days).
    secretaries = {"villa-ingenio": logins["villa-ingenio"], "senkata": logins["senkata"]}
    held = elect_delegates(bodies=bodies, secretaries=secretaries, rng=rng, clock=clock)
    say(f"9 June: {len(held)} elections counted, their delegates seated")

    # 9-10 June: every other base body elects its delegations, then the councils, from the
    # bottom up, elect from their seated delegates to the councils above them.
    upward = fill_upward(bodies=bodies, admin=admin, clock=clock, held=held)
    say(f"9-10 June: {len(upward)} more elections, the federation seated up to the nation")

    # 10-11 June: the supply committee shares out the Senkata plant's gas.
    plan = share_the_gas(
        bodies=bodies,
        admin=admin,
        el_alto=logins["el-alto"],
        villa_ingenio=logins["villa-ingenio"],
        passwords=passwords,
        clock=clock,
    )
    say(f"10-11 June: the supply committee's plan {plan.pk} approved ({plan.status})")
    trustees = _trustee_logins(bodies["jv-villa-ingenio"], passwords, admin=admin, clock=clock)
    open_election_now(bodies=bodies, secretary=logins["villa-ingenio"], trustees=trustees, rng=rng)
    say("today: an election open in Villa Ingenio (secret online ballot, 30 days)")

    return DemoResult(
        logins=DEMO_LOGINS,
        bodies=Body.objects.count(),
        councils=Body.objects.filter(kind=BodyKind.COUNCIL).count(),
        members=Member.objects.count(),
        memberships=Membership.objects.count(),
        federation_links=Federation.objects.count(),
        apportionments=Apportionment.objects.count(),
        elections=Election.objects.count(),
        mandates=Mandate.objects.count(),
        ledger_entries=ledger_head_get()[0],
    )


def _create(
    spec: Council | Base,
    bodies: dict[str, Body],
    *,
    actor: Actor,
    clock: _Clock,
    at: datetime | None = None,
) -> None:
    """Create one body with its first existing parent, then link it to the others that exist."""
    parents = [bodies[slug] for slug in spec.parents if slug in bodies]
    if isinstance(spec, Council):
        kind, level = BodyKind.COUNCIL.value, spec.level
    else:
        kind, level = spec.kind, ""
    bodies[spec.slug] = body_create(
        actor=actor,
        name=spec.name,
        slug=spec.slug,
        kind=kind,
        level=level,
        place=spec.place,
        description=f"{spec.description} {ILLUSTRATIVE}",
        parent_id=parents[0].pk if parents else None,
        at=at or clock.tick(),
    )
    for parent in parents[1:]:
        federation_link(
            actor=actor, body_id=bodies[spec.slug].pk, parent_id=parent.pk, at=clock.tick()
        )


def _trustee_logins(
    body: Body, passwords: dict[str, str], *, admin: Any, clock: _Clock
) -> dict[int, Any]:
    """Logins ``custodio-1`` … ``custodio-5`` for five members of ``body``'s roster (the first
    five plain members by name: chosen without the scenario's generator, which the rest of the
    demo draws from)."""
    plain = (
        Member.objects.filter(memberships__body=body, user__isnull=True)
        .order_by("name", "pk")
        .distinct()[:5]
    )
    return {
        i: demo_login(
            actor=admin,
            member=member,
            username=f"custodio-{i}",
            password=passwords[f"custodio-{i}"],
            clock=clock,
        )
        for i, member in enumerate(plain, start=1)
    }


def _member_with_login(
    username: str,
    password: str,
    body: Body,
    name: str,
    sector: str,
    *,
    actor: Actor,
    clock: _Clock,
    day: int,
    hour: int,
) -> Any:
    """Register a member of ``body`` (member_add), then give them a login (consejo.demo.logins)."""
    membership = member_add(
        actor=actor, body_id=body.pk, name=name, sector=sector, at=clock.at(day, hour)
    )
    return demo_login(
        actor=actor, member=membership.member, username=username, password=password, clock=clock
    )


__all__ = [
    "DEMO_LOGINS",
    "WARNING",
    "DemoLogin",
    "DemoResult",
    "demo_is_loaded",
    "load_demo",
]
