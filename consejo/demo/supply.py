"""The demo's gas: El Alto's supply committee shares out the Senkata plant's cylinders.

- 10 June 2005: the El Alto assembly forms its supply committee (*comité de abastecimiento*,
  as the 8 June resolution asked) and two control commissions; the committee registers the
  depots (the YPFB Senkata plant with 20,000 cylinders of 10 kg, and two neighbourhood depots),
  the recipients (clinics first, then community kitchens, schools, and the neighbourhoods of the
  juntas vecinales, with their households) and the routes; the commissions count the stock; the
  recipients' own bodies register their needs.
- 11 June: a member of the committee proposes the plan the solver computes; the committee
  approves it by a recorded vote, three of its five members for.

Every write goes through consejo.supply.services. Figures and coordinates are illustrative
(the coordinates roughly place each zone in El Alto, for the plan's map).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from consejo.bodies.models import Body, BodyKind, Member, MembershipRole, Sector
from consejo.bodies.services import body_create, member_add, membership_start
from consejo.demo.elections import Clock
from consejo.demo.logins import demo_login
from consejo.mandates.services import secretary_appoint_provisional
from consejo.supply.models import Plan
from consejo.supply.services import (
    Place,
    depot_create,
    item_create,
    need_register,
    plan_propose,
    plan_vote,
    recipient_register,
    route_set,
    stock_count_record,
)

#: Cylinders a household needs for the three weeks the plan covers (cooking: one 10 kg
#: cylinder lasts a family about a week). Twenty thousand cylinders do not reach every household.
PER_HOUSEHOLD = 3


@dataclass(frozen=True, slots=True)
class _Depot:
    slug: str
    name: str
    place: str
    stock: int
    at: tuple[str, str]


DEPOTS = (
    _Depot("planta-senkata", "Planta de YPFB Senkata", "Senkata, Distrito 8", 20_000,
           ("-16.5772", "-68.1967")),
    _Depot("deposito-villa-ingenio", "Depósito vecinal Villa Ingenio", "Villa Ingenio, Distrito 4",
           800, ("-16.4735", "-68.1790")),
    _Depot("deposito-rio-seco", "Depósito vecinal Río Seco", "Río Seco, Distrito 4", 500,
           ("-16.4890", "-68.2120")),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Recipient:
    slug: str
    name: str
    kind: str
    body: str  # the recipient's own body: its secretary (or the operator) registers the needs
    tier: int
    need: int
    routes: tuple[tuple[str, int], ...]  # depot, cost per cylinder (Bs. of transport)
    at: tuple[str, str]
    households: int | None = None


_S, _VI, _RS = "planta-senkata", "deposito-villa-ingenio", "deposito-rio-seco"

#: Clinics first (tier 1), then community kitchens (2), schools (3) and households (4).
RECIPIENTS = (
    _Recipient("hospital-holandes", "Hospital Boliviano Holandés", "clinic", "hospital-holandes",
               1, 300, ((_S, 2),), ("-16.5050", "-68.1630")),
    _Recipient("centro-salud-senkata", "Centro de Salud Senkata", "clinic", "jv-senkata", 1, 60,
               ((_S, 1),), ("-16.5700", "-68.1950")),
    _Recipient("centro-salud-villa-ingenio", "Centro de Salud Villa Ingenio", "clinic",
               "jv-villa-ingenio", 1, 60, ((_VI, 1), (_S, 3)), ("-16.4760", "-68.1810")),
    _Recipient("comedor-villa-adela", "Comedor popular Villa Adela", "kitchen", "jv-villa-adela",
               2, 150, ((_S, 2),), ("-16.5200", "-68.1850")),
    _Recipient("comedor-rio-seco", "Comedor popular Río Seco", "kitchen", "jv-rio-seco", 2, 150,
               ((_RS, 1), (_S, 3)), ("-16.4870", "-68.2090")),
    _Recipient("comedor-16-de-julio", "Comedor popular 16 de Julio", "kitchen", "jv-16-de-julio",
               2, 150, ((_S, 3), (_VI, 2)), ("-16.4950", "-68.1700")),
    _Recipient("escuela-senkata", "Unidad Educativa Senkata", "school", "maestros-el-alto", 3,
               120, ((_S, 1),), ("-16.5740", "-68.1990")),
    _Recipient("escuela-villa-ingenio", "Unidad Educativa Villa Ingenio", "school",
               "maestros-el-alto", 3, 120, ((_VI, 1), (_S, 3)), ("-16.4710", "-68.1760")),
    *(
        _Recipient(f"barrio-{zone}", f"Barrio {name}", "neighborhood", f"jv-{zone}", 4,
                   PER_HOUSEHOLD * households, routes, at, households)
        for zone, name, households, routes, at in (
            ("santiago-ii", "Santiago II", 900, ((_S, 2),), ("-16.5350", "-68.2050")),
            ("santiago-i", "Santiago I", 650, ((_S, 2),), ("-16.5400", "-68.2000")),
            ("villa-adela", "Villa Adela", 1300, ((_S, 2),), ("-16.5220", "-68.1880")),
            ("rosas-pampa", "Rosas Pampa", 700, ((_S, 2),), ("-16.5300", "-68.1800")),
            ("rio-seco", "Río Seco", 1100, ((_RS, 1), (_S, 4)), ("-16.4880", "-68.2100")),
            ("villa-ingenio", "Villa Ingenio", 1000, ((_VI, 1), (_S, 4)), ("-16.4740", "-68.1800")),
            ("16-de-julio", "16 de Julio", 1200, ((_S, 3), (_VI, 2)), ("-16.4970", "-68.1680")),
            ("ballivian", "Ballivián", 600, ((_S, 3),), ("-16.5000", "-68.1750")),
            ("senkata", "Senkata", 950, ((_S, 1),), ("-16.5720", "-68.1940")),
            ("ventilla", "Ventilla", 500, ((_S, 1),), ("-16.5900", "-68.2100")),
        )
    ),
)  # fmt: skip

#: The committee: (name, sector, role, login). The secretary is the El Alto assembly's
#: secretary (an existing member); three more members have logins (docs/demo.md lists them).
COMMITTEE = (
    ("Gregoria Mamani Quispe", Sector.RESIDENT, MembershipRole.MEMBER, "abasto"),
    ("Hilarión Condori Apaza", Sector.WORKER, MembershipRole.MEMBER, "abasto-2"),
    ("Wilma Choque Flores", Sector.HEALTH, MembershipRole.MEMBER, "abasto-3"),
    ("Teodoro Limachi Nina", Sector.TEACHER, MembershipRole.MEMBER, None),
)


def share_the_gas(
    *,
    bodies: dict[str, Body],
    admin: Any,
    el_alto: Any,
    villa_ingenio: Any,
    passwords: dict[str, str],
    clock: Clock,
) -> Plan:
    """Build the supply committee, its depots and recipients, and approve the plan (see above)."""
    assembly = bodies["asamblea-el-alto"]
    committee = body_create(
        actor=admin,
        name="Comité de Abastecimiento de El Alto",
        slug="abastecimiento-el-alto",
        kind=BodyKind.COMMITTEE,
        place="El Alto",
        description="Reparte el gas y los víveres de los depósitos de El Alto según necesidad y "
        "prioridad (resolución del 8 de junio). Demo: cifras ilustrativas.",
        parent_id=assembly.pk,
        at=clock.at(10, 8),
    )
    plant_control = body_create(
        actor=admin,
        name="Comisión de Control de la Planta de Senkata",
        slug="control-planta-senkata",
        kind=BodyKind.COMMITTEE,
        place="Senkata, El Alto",
        description="Trabajadores de la planta que cuentan las garrafas. Demo.",
        parent_id=committee.pk,
        at=clock.tick(),
    )
    depots_control = body_create(
        actor=admin,
        name="Comisión de Control de los depósitos vecinales",
        slug="control-depositos-vecinales",
        kind=BodyKind.COMMITTEE,
        place="El Alto, Distrito 4",
        description="Vecinos que cuentan el gas de los depósitos de Villa Ingenio y Río Seco. "
        "Demo.",
        parent_id=committee.pk,
        at=clock.tick(),
    )
    secretary = Member.objects.get(user=el_alto)
    joined = membership_start(
        actor=admin,
        member_id=secretary.pk,
        body_id=committee.pk,
        sector=Sector.RESIDENT,
        at=clock.tick(),
    )
    secretary_appoint_provisional(
        actor=admin,
        membership_id=joined.pk,
        reason="la asamblea de El Alto lo designó al crear el comité",
        at=clock.tick(),
    )
    voters: list[Any] = [el_alto]
    for name, sector, role, login in COMMITTEE:
        membership = member_add(
            actor=admin, body_id=committee.pk, name=name, sector=sector, role=role, at=clock.tick()
        )
        if login:
            password = passwords[login]
            voters.append(
                demo_login(
                    actor=admin,
                    member=membership.member,
                    username=login,
                    password=password,
                    clock=clock,
                )
            )
    counters = {}
    for body, name, login in (
        (plant_control, "Eusebio Quisbert Poma", "cuenta-planta"),
        (depots_control, "Martha Ticona Copa", "cuenta-depositos"),
    ):
        counter = member_add(
            actor=admin, body_id=body.pk, name=name, sector=Sector.WORKER, at=clock.tick()
        ).member
        counters[body.slug] = demo_login(
            actor=admin,
            member=counter,
            username=login,
            password=passwords[login],
            clock=clock,
        )

    gas = item_create(
        actor=el_alto,
        slug="garrafa-10kg",
        name="Garrafa de gas de 10 kg",
        unit="garrafa",
        at=clock.tick(),
    )
    depots = {}
    for depot_spec in DEPOTS:
        commission = plant_control if depot_spec.slug == "planta-senkata" else depots_control
        depots[depot_spec.slug] = depot_create(
            actor=el_alto,
            committee_id=committee.pk,
            commission_id=commission.pk,
            slug=depot_spec.slug,
            name=depot_spec.name,
            place=depot_spec.place,
            location=_place(depot_spec.at),
            at=clock.tick(),
        )
        stock_count_record(
            actor=counters[commission.slug],
            depot_id=depots[depot_spec.slug].pk,
            item_id=gas.pk,
            units=depot_spec.stock,
            note="Conteo de apertura",
            at=clock.tick(),
        )
    for spec in RECIPIENTS:
        recipient = recipient_register(
            actor=el_alto,
            committee_id=committee.pk,
            body_id=bodies[spec.body].pk,
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            tier=spec.tier,
            households=spec.households,
            location=_place(spec.at),
            at=clock.tick(),
        )
        for depot, cost in spec.routes:
            route_set(
                actor=el_alto,
                depot_id=depots[depot].pk,
                recipient_id=recipient.pk,
                cost=cost,
                at=clock.tick(),
            )
        # Villa Ingenio's secretary registers her junta's needs; the other bodies have no
        # secretary with a login in the demo, so the operator enters what they reported.
        registrar = villa_ingenio if spec.body == "jv-villa-ingenio" else admin
        need_register(
            actor=registrar,
            recipient_id=recipient.pk,
            item_id=gas.pk,
            units=spec.need,
            at=clock.tick(),
        )

    plan = plan_propose(actor=voters[1], committee_id=committee.pk, at=clock.at(11, 9))
    for voter in voters[:3]:
        plan = plan_vote(actor=voter, plan_id=plan.pk, choice="yes", at=clock.tick())
    return plan


def _place(at: tuple[str, str]) -> Place:
    return Place(latitude=Decimal(at[0]), longitude=Decimal(at[1]))
