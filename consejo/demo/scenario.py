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
    Apportionment,
    ApportionmentMethod,
    Body,
    BodyKind,
    CouncilLevel,
    Federation,
    Member,
    Membership,
    Sector,
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
from consejo.core.errors import Conflict
from consejo.demo.elections import elect_delegates, open_election_now
from consejo.demo.hashing import quick_demo_hashes
from consejo.demo.logins import demo_login
from consejo.demo.supply import share_the_gas
from consejo.elections.models import Election
from consejo.ledger.selectors import ledger_head_get
from consejo.mandates.models import Mandate

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
class DemoLogin:
    """A login the demo creates, with its fixed password and what it may do."""

    username: str
    password: str
    can: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "admin",
        "demo-admin-2005",
        "operator (superuser, staff): everything, and the admin site at /admin/",
    ),
    DemoLogin(
        "senkata",
        "demo-senkata-2005",
        "secretary of the YPFB Senkata plant workers: their roster (add, import, end members)",
    ),
    DemoLogin(
        "villa-ingenio",
        "demo-ingenio-2005",
        "secretary of the Junta Vecinal Villa Ingenio (District 4): its roster",
    ),
    DemoLogin(
        "el-alto",
        "demo-el-alto-2005",
        "secretary of the Asamblea Popular de El Alto (FEJUVE-COR): its roster, its seats, "
        "which bodies send delegates to it",
    ),
    DemoLogin(
        "abasto",
        "demo-abasto-2005",
        "member of El Alto's supply committee: proposes allocation plans and votes on them",
    ),
    DemoLogin(
        "vecina",
        "demo-vecina-2005",
        "plain member of the Junta Vecinal Villa Ingenio: sees bodies and rosters, changes nothing",
    ),
    *(
        DemoLogin(
            f"custodio-{i}",
            f"demo-custodio-{i}-2005",
            f"trustee {i} of the open secret election in Villa Ingenio (any 3 of the 5 count "
            f"it): brings the steps of the key ceremony and, at the count, a partial decryption",
        )
        for i in range(1, 6)
    ),
    DemoLogin(
        "abasto-2",
        "demo-abasto-2-2005",
        "member of El Alto's supply committee (voted for plan 1): votes on plans",
    ),
    DemoLogin(
        "abasto-3",
        "demo-abasto-3-2005",
        "member of El Alto's supply committee (voted for plan 1): votes on plans",
    ),
    DemoLogin(
        "cuenta-planta",
        "demo-planta-2005",
        "member of the control commission of the Senkata plant: records its stock counts",
    ),
    DemoLogin(
        "cuenta-depositos",
        "demo-depositos-2005",
        "member of the control commission of the neighbourhood depots: records their counts",
    ),
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


# --- the bodies ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Council:
    slug: str
    name: str
    level: str
    place: str
    description: str
    parents: tuple[str, ...]
    method: str
    seats: int | None = None
    min_seats: int = 0
    members_per_seat: int | None = None


@dataclass(frozen=True, slots=True)
class _Base:
    slug: str
    name: str
    kind: str
    place: str
    description: str
    parents: tuple[str, ...]
    members: int
    sectors: tuple[tuple[str, int], ...]  # (sector, weight)
    roster_day: int


_M = ApportionmentMethod
_L = CouncilLevel
_K = BodyKind
_S = Sector

# Councils in the order they are created: every parent before its children. The national
# assembly comes first in this list but is created on 8 June (see load_demo).
COUNCILS: tuple[_Council, ...] = (
    _Council(
        NATIONAL,
        "Asamblea Popular Nacional Originaria",
        _L.NATIONAL,
        "El Alto",
        "Proclamada el 8 de junio de 2005 en la sede de la FEJUVE de El Alto, con una dirección "
        "transitoria de la COB, la COR, la FEJUVE, la CSUTCB, la FSTMB y los gremiales, que "
        "llamó a elegir delegados de base en asambleas y cabildos. En la demo, revocables en todo "
        "momento.",
        (),
        _M.HUNTINGTON_HILL,
        seats=60,
        min_seats=1,
    ),
    _Council(
        "asamblea-el-alto",
        "Asamblea Popular de El Alto (FEJUVE-COR)",
        _L.CITY,
        "El Alto",
        "Consejo de la ciudad: los consejos de distrito de las juntas vecinales (FEJUVE) y la "
        "Central Obrera Regional.",
        (NATIONAL,),
        _M.SAINTE_LAGUE,
        seats=41,
        min_seats=2,
    ),
    _Council(
        "asamblea-la-paz",
        "Asamblea Popular Departamental de La Paz",
        _L.CITY,
        "La Paz",
        "Asamblea departamental: sindicatos, gremiales, estudiantes y comunidades campesinas.",
        (NATIONAL,),
        _M.SAINTE_LAGUE,
        seats=21,
        min_seats=1,
    ),
    _Council(
        "fstmb",
        "Federación Sindical de Trabajadores Mineros de Bolivia (FSTMB)",
        _L.SECTOR,
        "Bolivia",
        "Federación de los sindicatos mineros.",
        (NATIONAL,),
        _M.SAINTE_LAGUE,
        seats=15,
        min_seats=1,
    ),
    _Council(
        "csutcb",
        "Confederación Sindical Única de Trabajadores Campesinos de Bolivia (CSUTCB)",
        _L.SECTOR,
        "Bolivia",
        "Confederación de las comunidades y sindicatos campesinos.",
        (NATIONAL,),
        _M.HAMILTON,
        seats=12,
        min_seats=1,
    ),
    _Council(
        "fstpb",
        "Federación Sindical de Trabajadores Petroleros de Bolivia",
        _L.SECTOR,
        "Bolivia",
        "Sector petrolero: plantas y refinerías.",
        (NATIONAL,),
        _M.DHONDT,
        seats=7,
        min_seats=1,
    ),
    _Council(
        "magisterio",
        "Federación del Magisterio Urbano (La Paz y El Alto)",
        _L.SECTOR,
        "La Paz",
        "Federación de los sindicatos de maestros urbanos.",
        (NATIONAL,),
        _M.HAMILTON,
        seats=9,
        min_seats=1,
    ),
    _Council(
        "gremiales",
        "Federación de Gremiales (comerciantes minoristas)",
        _L.SECTOR,
        "La Paz",
        "Asociaciones de comerciantes de ferias y mercados. Un delegado por cada 150 afiliados.",
        (NATIONAL,),
        _M.RATIO,
        min_seats=1,
        members_per_seat=150,
    ),
    _Council(
        "cor-el-alto",
        "Central Obrera Regional de El Alto (COR)",
        _L.CITY,
        "El Alto",
        "Los sindicatos y lugares de trabajo de El Alto.",
        ("asamblea-el-alto",),
        _M.DHONDT,
        seats=25,
        min_seats=1,
    ),
    _Council(
        "distrito-2",
        "Consejo del Distrito 2 de El Alto",
        _L.DISTRICT,
        "El Alto, Distrito 2",
        "Juntas vecinales del distrito. Un delegado por cada 100 vecinos, al menos uno.",
        ("asamblea-el-alto",),
        _M.RATIO,
        min_seats=1,
        members_per_seat=100,
    ),
    _Council(
        "distrito-3",
        "Consejo del Distrito 3 de El Alto",
        _L.DISTRICT,
        "El Alto, Distrito 3",
        "Juntas vecinales del distrito.",
        ("asamblea-el-alto",),
        _M.HAMILTON,
        seats=15,
        min_seats=1,
    ),
    _Council(
        "distrito-4",
        "Consejo del Distrito 4 de El Alto",
        _L.DISTRICT,
        "El Alto, Distrito 4",
        "Juntas vecinales del distrito. Un delegado por cada 300 vecinos, al menos uno.",
        ("asamblea-el-alto",),
        _M.RATIO,
        min_seats=1,
        members_per_seat=300,
    ),
    _Council(
        "distrito-6",
        "Consejo del Distrito 6 de El Alto",
        _L.DISTRICT,
        "El Alto, Distrito 6",
        "Juntas vecinales del distrito.",
        ("asamblea-el-alto",),
        _M.SAINTE_LAGUE,
        seats=15,
        min_seats=1,
    ),
    _Council(
        "distrito-8",
        "Consejo del Distrito 8 de El Alto",
        _L.DISTRICT,
        "El Alto, Distrito 8",
        "Juntas vecinales del distrito, alrededor de la planta de Senkata. Un delegado por cada "
        "100 vecinos, al menos uno.",
        ("asamblea-el-alto",),
        _M.RATIO,
        min_seats=1,
        members_per_seat=100,
    ),
)


def _junta(slug: str, zone: str, district: int, members: int) -> _Base:
    return _Base(
        f"jv-{slug}",
        f"Junta Vecinal {zone}",
        _K.NEIGHBORHOOD_ASSEMBLY,
        f"{zone}, El Alto",
        f"Asamblea de vecinos de la zona {zone}. La asignación de zonas a distritos está "
        "simplificada para la demo.",
        (f"distrito-{district}",),
        members,
        ((_S.RESIDENT, 1),),
        2,
    )


# Base bodies; ``parents`` in order: the first link comes with body_create, the others through
# federation_link. Rosters are imported on ``roster_day`` of June 2005.
BASES: tuple[_Base, ...] = (
    _junta("santiago-ii", "Santiago II", 2, 900),
    _junta("santiago-i", "Santiago I", 2, 650),
    _junta("villa-adela", "Villa Adela", 3, 1300),
    _junta("rosas-pampa", "Rosas Pampa", 3, 700),
    _junta("rio-seco", "Río Seco", 4, 1100),
    _junta("villa-ingenio", "Villa Ingenio", 4, 1000),
    _junta("16-de-julio", "16 de Julio", 6, 1200),
    _junta("ballivian", "Ballivián", 6, 600),
    _junta("senkata", "Senkata", 8, 950),
    _junta("ventilla", "Ventilla", 8, 500),
    _Base(
        "senkata-planta",
        "Trabajadores de la planta de YPFB Senkata",
        _K.WORKPLACE,
        "Senkata, El Alto",
        "Planta de almacenaje y engarrafado de gas licuado que abastece a La Paz y El Alto.",
        ("cor-el-alto", "fstpb"),
        180,
        ((_S.WORKER, 1),),
        3,
    ),
    _Base(
        "refineria-cochabamba",
        "Trabajadores de la refinería Gualberto Villarroel",
        _K.WORKPLACE,
        "Cochabamba",
        "Refinería de Cochabamba.",
        ("fstpb",),
        240,
        ((_S.WORKER, 1),),
        3,
    ),
    _Base(
        "huanuni",
        "Sindicato de Trabajadores Mineros de Huanuni",
        _K.MINE,
        "Huanuni, Oruro",
        "Mina de estaño de Huanuni.",
        ("fstmb",),
        1200,
        ((_S.MINER, 1),),
        3,
    ),
    _Base(
        "colquiri",
        "Sindicato de Trabajadores Mineros de Colquiri",
        _K.MINE,
        "Colquiri, La Paz",
        "Mina de Colquiri (provincia Inquisivi).",
        ("fstmb", "asamblea-la-paz"),
        650,
        ((_S.MINER, 1),),
        3,
    ),
    _Base(
        "maestros-el-alto",
        "Sindicato del Magisterio Urbano de El Alto",
        _K.UNION_LOCAL,
        "El Alto",
        "Maestros de las escuelas fiscales de El Alto.",
        ("magisterio", "cor-el-alto"),
        800,
        ((_S.TEACHER, 1),),
        3,
    ),
    _Base(
        "maestros-la-paz",
        "Sindicato del Magisterio Urbano de La Paz",
        _K.UNION_LOCAL,
        "La Paz",
        "Maestros de las escuelas fiscales de La Paz.",
        ("magisterio", "asamblea-la-paz"),
        900,
        ((_S.TEACHER, 1),),
        3,
    ),
    _Base(
        "feria-16-de-julio",
        "Asociación de Comerciantes de la Feria 16 de Julio",
        _K.UNION_LOCAL,
        "16 de Julio, El Alto",
        "Vendedoras y vendedores de la feria.",
        ("gremiales", "cor-el-alto"),
        1000,
        ((_S.VENDOR, 1),),
        3,
    ),
    _Base(
        "mercado-rodriguez",
        "Asociación de Comerciantes del Mercado Rodríguez",
        _K.UNION_LOCAL,
        "La Paz",
        "Vendedoras y vendedores del mercado.",
        ("gremiales", "asamblea-la-paz"),
        450,
        ((_S.VENDOR, 1),),
        3,
    ),
    _Base(
        "choferes-el-alto",
        "Sindicato de Choferes de El Alto",
        _K.UNION_LOCAL,
        "El Alto",
        "Choferes del transporte público.",
        ("cor-el-alto",),
        650,
        ((_S.TRANSPORT, 1),),
        3,
    ),
    _Base(
        "hospital-holandes",
        "Trabajadores del Hospital Boliviano Holandés",
        _K.WORKPLACE,
        "El Alto",
        "Personal de salud del hospital.",
        ("cor-el-alto",),
        140,
        ((_S.HEALTH, 1),),
        3,
    ),
    _Base(
        "upea",
        "Estudiantes de la Universidad Pública de El Alto (UPEA)",
        _K.UNIVERSITY,
        "El Alto",
        "Asamblea de estudiantes y docentes de la UPEA.",
        ("cor-el-alto",),
        1200,
        ((_S.STUDENT, 92), (_S.TEACHER, 8)),
        4,
    ),
    _Base(
        "umsa",
        "Estudiantes de la Universidad Mayor de San Andrés (UMSA)",
        _K.UNIVERSITY,
        "La Paz",
        "Asamblea de estudiantes y docentes de la UMSA.",
        ("asamblea-la-paz",),
        1200,
        ((_S.STUDENT, 92), (_S.TEACHER, 8)),
        4,
    ),
    _Base(
        "warisata",
        "Comunidad de Warisata",
        _K.PEASANT_COMMUNITY,
        "Omasuyos, La Paz",
        "Comunidad campesina aymara del altiplano.",
        ("csutcb",),
        420,
        ((_S.PEASANT, 1),),
        4,
    ),
    _Base(
        "achacachi",
        "Comunidades de Achacachi",
        _K.PEASANT_COMMUNITY,
        "Omasuyos, La Paz",
        "Comunidades campesinas aymaras en torno a Achacachi.",
        ("csutcb", "asamblea-la-paz"),
        780,
        ((_S.PEASANT, 1),),
        4,
    ),
    _Base(
        "jesus-de-machaca",
        "Comunidades de Jesús de Machaca",
        _K.PEASANT_COMMUNITY,
        "Ingavi, La Paz",
        "Comunidades campesinas aymaras de Jesús de Machaca.",
        ("csutcb",),
        560,
        ((_S.PEASANT, 1),),
        4,
    ),
)

# When each council's seats are set (day of June 2005, hour): the
# district councils first, then the sector federations and the COR, then the city, then the nation.
SEATING: tuple[tuple[str, int, int], ...] = (
    ("distrito-2", 5, 9),
    ("distrito-3", 5, 11),
    ("distrito-4", 5, 13),
    ("distrito-6", 5, 15),
    ("distrito-8", 5, 17),
    ("cor-el-alto", 6, 8),
    ("fstmb", 6, 10),
    ("csutcb", 6, 11),
    ("fstpb", 6, 12),
    ("magisterio", 6, 13),
    ("gremiales", 6, 14),
    ("asamblea-la-paz", 6, 15),
    ("asamblea-el-alto", 7, 10),
    (NATIONAL, 8, 20),
)

# The member each login belongs to: (username, body slug, member name, role, sector).
_LOGIN_MEMBERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("senkata", "senkata-planta", "Feliciano Choque Mamani", "secretary", _S.WORKER),
    ("villa-ingenio", "jv-villa-ingenio", "Rosa Apaza Limachi", "secretary", _S.RESIDENT),
    ("el-alto", "asamblea-el-alto", "Víctor Huanca Condori", "secretary", _S.RESIDENT),
)
_VECINA = ("vecina", "jv-villa-ingenio", "Basilia Ticona Quispe", "member", _S.RESIDENT)

# --- names -----------------------------------------------------------------------------------

_WOMEN = (
    "María", "Juana", "Justina", "Felipa", "Teodora", "Sabina", "Nilda", "Wilma", "Rosa",
    "Lidia", "Elena", "Marcelina", "Gregoria", "Eugenia", "Basilia", "Martha", "Julia",
    "Ana", "Carmen", "Benita", "Silveria", "Hilaria", "Victoria", "Celia", "Paulina",
    "Emiliana", "Cristina", "Norma", "Lucía", "Florencia", "Isabel", "Rufina", "Sonia",
)  # fmt: skip
_MEN = (
    "Juan", "José", "Eusebio", "Rufino", "Marcelino", "Gregorio", "Felipe", "Mario",
    "Pedro", "Simón", "Teodoro", "Valentín", "Germán", "Walter", "Fernando", "Luis",
    "Carlos", "Roberto", "Hilarión", "Severo", "Crispín", "Edwin", "Freddy", "Ramiro",
    "Víctor", "Alberto", "Nicanor", "Faustino", "Julián", "Santos", "René", "Zenón",
)  # fmt: skip
_SURNAMES = (
    "Mamani", "Quispe", "Condori", "Choque", "Apaza", "Huanca", "Limachi", "Ticona",
    "Chura", "Poma", "Yujra", "Callisaya", "Copa", "Flores", "Gutiérrez", "Laura", "Nina",
    "Tarqui", "Cruz", "Aruquipa", "Colque", "Machaca", "Calle", "Coaquira", "Layme",
    "Alanoca", "Vargas", "Rojas", "Torrez", "Ramos", "Pari", "Cusi", "Quisbert", "Ali",
    "Huarachi", "Mendoza", "Patzi", "Ticlla", "Chambi", "Villca", "Loza", "Chino",
    "Pillco", "Sirpa", "Cutili", "Marca", "Tola", "Gómez", "Fernández", "López",
)  # fmt: skip


def _person(rng: random.Random) -> str:
    first = rng.choice(_WOMEN if rng.random() < 0.5 else _MEN)
    if rng.random() < 0.3:
        first = f"{first} {rng.choice(_WOMEN if first in _WOMEN else _MEN)}"
    return f"{first} {rng.choice(_SURNAMES)} {rng.choice(_SURNAMES)}"


def _roster(spec: _Base, rng: random.Random) -> list[RosterRow]:
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
    structure: list[_Council | _Base] = [c for c in COUNCILS if c.slug != NATIONAL]
    for item in [*structure, *BASES]:
        _create(item, bodies, actor=admin, clock=clock)
    say(f"1 June: {len(bodies)} bodies created and linked (the national assembly: 8 June)")

    # 1 June, evening: the secretaries whose logins the demo offers.
    logins: dict[str, Any] = {}
    for username, slug, name, role, sector in _LOGIN_MEMBERS:
        logins[username] = _member_with_login(
            username,
            passwords[username],
            bodies[slug],
            name,
            role,
            sector,
            actor=admin,
            clock=clock,
            day=1,
            hour=18,
        )

    # 2-4 June: assemblies and cabildos register their members; each roster is one import.
    # The secretaries with a login import their own body's roster (the ledger names them).
    importer = {"senkata-planta": logins["senkata"], "jv-villa-ingenio": logins["villa-ingenio"]}
    for spec in BASES:
        if spec.slug == _VECINA[1]:
            username, slug, name, role, sector = _VECINA
            logins[username] = _member_with_login(
                username,
                passwords[username],
                bodies[slug],
                name,
                role,
                sector,
                actor=importer[slug],
                clock=clock,
                day=spec.roster_day,
                hour=8,
            )
        membership_import(
            actor=importer.get(spec.slug, admin),
            body=bodies[spec.slug],
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
                        body=bodies[child.slug],
                        parent=bodies[NATIONAL],
                        at=clock.tick(),
                    )
        actor = logins["el-alto"] if slug == "asamblea-el-alto" else admin
        council_seats_configure(
            actor=actor,
            council=bodies[slug],
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
    spec: _Council | _Base,
    bodies: dict[str, Body],
    *,
    actor: Any,
    clock: _Clock,
    at: datetime | None = None,
) -> None:
    """Create one body with its first existing parent, then link it to the others that exist."""
    parents = [bodies[slug] for slug in spec.parents if slug in bodies]
    if isinstance(spec, _Council):
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
        parent=parents[0] if parents else None,
        at=at or clock.tick(),
    )
    for parent in parents[1:]:
        federation_link(actor=actor, body=bodies[spec.slug], parent=parent, at=clock.tick())


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
    role: str,
    sector: str,
    *,
    actor: Any,
    clock: _Clock,
    day: int,
    hour: int,
) -> Any:
    """Register a member of ``body`` (member_add), then give them a login (consejo.demo.logins)."""
    membership = member_add(
        actor=actor, body=body, name=name, sector=sector, role=role, at=clock.at(day, hour)
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
