"""Registering one member (``member_add``) in a federation of 1,000,000 members, on PostgreSQL.

Run: ``.venv/bin/python benchmarks/registration.py`` (``make bench`` runs it). Options:
``--database-url`` (default ``postgres://postgres@127.0.0.1:5432/consejo_bench_registration``,
dropped and built again unless ``--reuse``), ``--members`` (1,000,000), ``--registrations`` (one
writer's, 400), ``--seconds`` (the 4 writers', 15), ``--writers`` (4), ``--old-tree PATH`` (also
time the code checked out at PATH, a ``git worktree`` of an earlier commit, on the same
database, after the new code: it does not keep the counts, so it runs last).
Figures: docs/apportionment.md ("Speed") and docs/benchmarks.md.

The federation, bulk-inserted with COPY (not through the services, which would take hours): a
national congress of 10 sector federations of 10 city councils of 10 district councils of 10
base bodies each (5 levels, 11,111 bodies), ``--members`` / 10,000 members a base body, and 2 %
of them also members of a base body in another district of the same city (counted once above
it). Every council apportions its seats by D'Hondt, set through ``council_seats_configure`` (so
that the seats and their ledger entries are the services' own). The kept counts are filled in
SQL, as migration 0003 fills them. Then, through the real service, as the secretary of one of 50
base bodies spread over the federation:

- **one writer**: ``--registrations`` registrations one after the other: p50 and p95 of the
  service's time, queries per registration, and how long the ledger head's lock is held (from
  the ``SELECT … FOR UPDATE`` of ``service_instant`` to the end of the commit);
- **4 writers**: 4 processes registering for ``--seconds`` at once: registrations a second,
  and the same latencies.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/consejo_bench_registration"
FANOUT = 10  # children per council, at every level
LEVELS = ("national", "sector", "city", "district")
SECOND_BODY = 0.02  # the share of members who also belong to a second base body
SECRETARIES = 50
SEATS = {"national": 200, "sector": 100, "city": 50, "district": 20}
T_SETUP = datetime(2005, 6, 1, 8, 0, tzinfo=UTC)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("CONSEJO_HTTPS", "false")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-not-for-any-installation-0123")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consejo.settings")
    import django

    django.setup()


# --- the federation --------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def build(members: int, rng: random.Random) -> None:
    """Migrate, COPY the federation in, fill the kept counts, configure every council's seats."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from consejo.bodies import services

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    bases = FANOUT ** len(LEVELS)  # 10,000 base bodies, members // 10,000 in each
    when = T_SETUP.isoformat()
    bodies: list[tuple[int, str, str, str]] = []  # id, slug, kind, level
    links: list[tuple[int, int]] = []  # child, parent
    by_level: list[list[int]] = []
    next_id = 1
    for depth, level in enumerate(LEVELS):
        ids = list(range(next_id, next_id + FANOUT**depth))
        next_id += len(ids)
        bodies += [(pk, f"{level}-{pk}", "council", level) for pk in ids]
        if by_level:
            links += [(pk, by_level[-1][i // FANOUT]) for i, pk in enumerate(ids)]
        by_level.append(ids)
    districts = by_level[-1]
    base_ids = list(range(next_id, next_id + bases))
    bodies += [(pk, f"base-{pk}", "workplace", "") for pk in base_ids]
    links += [(pk, districts[i * len(districts) // bases]) for i, pk in enumerate(base_ids)]
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY bodies_body (id, name, slug, kind, level, place, description, min_seats,"
            " apportionment_method,"
            " created_at) FROM STDIN"
        ) as copy,
    ):
        for pk, slug, kind, level in bodies:
            copy.write_row((pk, slug, slug, kind, level, "", "", 0, "", when))
    with (
        connection.cursor() as cursor,
        cursor.copy("COPY bodies_federation (body_id, parent_id, start) FROM STDIN") as copy,
    ):
        for child, parent in links:
            copy.write_row((child, parent, when))
    with (
        connection.cursor() as cursor,
        cursor.copy("COPY bodies_member (id, name, phone, created_at) FROM STDIN") as copy,
    ):
        for pk in range(1, members + 1):
            copy.write_row((pk, f"Member {pk}", "", when))
    parent_of = dict(links)
    district_of = {base: parent_of[base] for base in base_ids}
    city_of = {district: parent_of[district] for district in districts}
    bases_in_city: dict[int, list[int]] = {}
    for base in base_ids:
        bases_in_city.setdefault(city_of[district_of[base]], []).append(base)
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY bodies_membership (member_id, body_id, sector, role, provisional, start)"
            " FROM STDIN"
        ) as copy,
    ):
        for pk in range(1, members + 1):
            base = base_ids[(pk - 1) * bases // members]
            copy.write_row((pk, base, "worker", "member", False, when))
            if rng.random() < SECOND_BODY:
                others = [
                    b
                    for b in bases_in_city[city_of[district_of[base]]]
                    if district_of[b] != district_of[base]
                ]
                copy.write_row((pk, rng.choice(others), "worker", "member", False, when))
    with connection.cursor() as cursor:
        for table in ("bodies_body", "bodies_member", "bodies_membership", "bodies_federation"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id)"  # noqa: S608
                f" FROM {table}))"
            )
        fill_counts(cursor)
    print(f"federation copied and counted in {time.perf_counter() - started:.0f} s", flush=True)
    operator = get_user_model().objects.create_superuser("operator", password=None)
    for depth, level in enumerate(LEVELS):
        for pk in by_level[depth]:
            services.council_seats_configure(
                actor=operator,
                council_id=_body(pk).pk,
                method="dhondt",
                seats=SEATS[level],
                at=T_SETUP,
            )
    for n, base in enumerate(rng.sample(base_ids, SECRETARIES)):
        user = get_user_model().objects.create_user(f"secretary-{n}", password=None)
        services.member_add(
            actor=operator,
            body_id=_body(base).pk,
            name=f"Secretary {n}",
            sector="worker",
            role="secretary",
            at=T_SETUP,
        )
        from consejo.bodies.models import Member

        Member.objects.filter(name=f"Secretary {n}").update(user=user)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"federation built in {time.perf_counter() - started:.0f} s", flush=True)


def fill_counts(cursor: Any) -> None:
    """The kept counts, as migration 0003 fills them, in SQL over a table of each base body's
    councils above (4 a base body here)."""
    cursor.execute(
        "CREATE TEMP TABLE above AS WITH RECURSIVE up(base, council) AS ("
        " SELECT f.body_id, f.parent_id FROM bodies_federation f JOIN bodies_body b"
        " ON b.id = f.body_id WHERE b.kind NOT IN ('council', 'committee') AND f.\"end\" IS NULL"
        " UNION SELECT up.base, f.parent_id FROM up JOIN bodies_federation f"
        ' ON f.body_id = up.council WHERE f."end" IS NULL) SELECT * FROM up'
    )
    cursor.execute(
        "INSERT INTO bodies_representedmember (council_id, member_id, bodies)"
        " SELECT a.council, m.member_id, COUNT(*) FROM bodies_membership m"
        ' JOIN above a ON a.base = m.body_id WHERE m."end" IS NULL GROUP BY 1, 2'
    )
    cursor.execute(
        "INSERT INTO bodies_representedcount (body_id, members)"
        " SELECT council_id, COUNT(*) FROM bodies_representedmember GROUP BY 1"
        " UNION ALL SELECT body_id, COUNT(*) FROM bodies_membership m JOIN bodies_body b"
        " ON b.id = m.body_id WHERE m.\"end\" IS NULL AND b.kind NOT IN ('council', 'committee')"
        " GROUP BY 1"
    )


def _body(pk: int) -> Any:
    from consejo.bodies.models import Body

    return Body.objects.get(pk=pk)


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Probe:
    """Counts the queries of one registration and times the ledger head's lock, from the
    ``SELECT … FOR UPDATE`` that takes it to the end of the commit that releases it."""

    queries: int = 0
    locked_at: float | None = None
    holds: list[float] = field(default_factory=list)

    def __call__(self, execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        from django.db import transaction

        self.queries += 1
        result = execute(sql, *args)
        if self.locked_at is None and "ledger_ledgerhead" in sql and "FOR UPDATE" in sql:
            self.locked_at = time.perf_counter()  # the lock is ours once the query returns
            transaction.on_commit(self._released)
        return result

    def _released(self) -> None:
        assert self.locked_at is not None
        self.holds.append(time.perf_counter() - self.locked_at)
        self.locked_at = None


@contextmanager
def probed() -> Iterator[Probe]:
    from django.db import connection

    probe = Probe()
    with connection.execute_wrapper(probe):
        yield probe


def secretaries() -> list[tuple[Any, Any]]:
    """(login, body) of each benchmark secretary."""
    from django.contrib.auth import get_user_model

    from consejo.bodies.models import Membership

    rows = Membership.objects.filter(
        role="secretary", end__isnull=True, member__user__username__startswith="secretary-"
    ).select_related("body", "member__user")
    users = {u.pk: u for u in get_user_model().objects.filter(username__startswith="secretary-")}
    return [(users[m.member.user_id], m.body) for m in rows]


def register(count: int | None, seconds: float | None, tag: str, seed: int) -> dict[str, Any]:
    """Register members one after the other (``count`` of them, or for ``seconds``)."""
    from consejo.bodies import services

    rng = random.Random(seed)
    who = secretaries()
    latencies: list[float] = []
    queries: list[int] = []
    holds: list[float] = []
    deadline = time.perf_counter() + seconds if seconds else None
    n = 0
    while (count is None or n < count) and (deadline is None or time.perf_counter() < deadline):
        actor, body = rng.choice(who)
        n += 1
        with probed() as probe:
            started = time.perf_counter()
            services.member_add(
                actor=actor, body_id=body.pk, name=f"New {tag} {n}", sector="worker"
            )
            latencies.append(time.perf_counter() - started)
        queries.append(probe.queries)
        holds.extend(probe.holds)
    return {"latencies": latencies, "queries": queries, "holds": holds}


def _writer(url: str, tag: str, seconds: float, barrier: Any, out: Any) -> None:
    setup_django(url)
    register(3, None, f"{tag}-warm", seed=hash(tag) & 0xFFFF)  # connections, caches
    barrier.wait()
    out.put(register(None, seconds, tag, seed=hash(tag) & 0xFFFF))


def concurrent(url: str, writers: int, seconds: float, tag: str) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    barrier, out = context.Barrier(writers + 1), context.Queue()
    processes = [
        context.Process(target=_writer, args=(url, f"{tag}{w}", seconds, barrier, out))
        for w in range(writers)
    ]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    results = [out.get() for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    merged: dict[str, Any] = {key: [v for r in results for v in r[key]] for key in results[0]}
    merged["per_second"] = len(merged["latencies"]) / max(elapsed, seconds)
    return merged


def ms(values: list[float], q: float) -> float:
    return 1000 * statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else 0.0


def summary(label: str, result: dict[str, Any]) -> None:
    lat, holds, queries = result["latencies"], result["holds"], result["queries"]
    line = (
        f"{label}: n={len(lat)}  p50 {ms(lat, 50):.1f} ms  p95 {ms(lat, 95):.1f} ms"
        f"  queries {statistics.median(queries):.0f}"
        f"  head lock p50 {ms(holds, 50):.1f} ms  p95 {ms(holds, 95):.1f} ms"
    )
    if "per_second" in result:
        line += f"  {result['per_second']:.0f} registrations/s"
    print(line, flush=True)


def hardware() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (pg,) = cursor.fetchone()
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    model = next((ln.split(":", 1)[1] for ln in lscpu.splitlines() if "Model name" in ln), "")
    print(f"hardware: {model.strip()}, {os.cpu_count()} CPUs; PostgreSQL {pg}", end="; ")
    print(f"Python {platform.python_version()}")


def old_code(tree: Path, url: str, registrations: int) -> None:
    """Time the code at ``tree`` in a process of its own (its ``consejo`` first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    command = [sys.executable, __file__, "--database-url", url, "--reuse", "--only-one-writer"]
    command += ["--registrations", str(registrations), "--label", f"old code ({tree.name})"]
    subprocess.run(command, env=env, check=True)  # noqa: S603 (this script, our arguments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--registrations", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="do not build the federation again")
    parser.add_argument("--old-tree", type=Path)
    parser.add_argument("--old-registrations", type=int, default=5)
    parser.add_argument("--only-one-writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="new code")
    args = parser.parse_args()
    if not args.reuse:
        recreate_database(args.database_url)
    setup_django(args.database_url)
    if not args.reuse:
        build(args.members, random.Random(2005))
    import consejo
    from consejo.bodies.models import Member

    print(f"{args.label}: {Path(consejo.__file__).parent}", flush=True)
    if args.label == "new code":
        hardware()
        print(f"federation: {Member.objects.count():,} members", flush=True)
    tag = f"{int(time.time())}"
    register(3, None, f"{tag}-warm", seed=1)
    summary(f"{args.label}, one writer", register(args.registrations, None, tag, seed=2))
    if args.only_one_writer:
        return
    from django.db import connections

    connections.close_all()
    summary(
        f"{args.label}, {args.writers} writers",
        concurrent(args.database_url, args.writers, args.seconds, f"{tag}w"),
    )
    if args.old_tree:
        old_code(args.old_tree, args.database_url, args.old_registrations)


if __name__ == "__main__":
    main()
