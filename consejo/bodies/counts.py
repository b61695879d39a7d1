"""The represented-member counts, kept in the transaction of every membership and link change.

Rule (``consejo.core.represented``): a base body represents its current members; a council the
distinct people of the base bodies beneath it. The tables hold the state at the ledger's head,
that is the rows not yet ended: every service fixes its instant at or after the newest entry
(``ledger.services.service_instant``), so a row in force at that instant is exactly a row whose
``end`` is null.

- A membership starting or ending in a base body changes one ``RepresentedMember`` row per
  council above the body, and each council's ``RepresentedCount`` only when the person's number
  of bodies there goes from zero to one or back: a handful of statements whatever the size of
  the federation (:func:`memberships_started`, :func:`memberships_ended`).
- A federation link added or ended changes which base bodies lie beneath the council and every
  council above it: their rows are adjusted in bulk by the people of the bodies gained or lost
  (:func:`links_changed`); links change rarely, and the cost is that of the bodies moved.

Memberships in councils and committees count nowhere; a role changing within one body (a
provisional secretary appointed) ends one membership and starts another of the same person in
the same body at one instant, and changes no count. Services call these helpers under the
ledger head's lock, so no two run at once; the updates are conditional all the same. The
statements are plain SQL that PostgreSQL and SQLite 3.35 or later both run (``ON CONFLICT``,
``RETURNING``, ``UPDATE … FROM``), as ``common.ratelimit`` already requires.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.db import connection

from consejo.bodies.models import (
    COUNCIL_KINDS,
    ApportionedSeats,
    Apportionment,
    Body,
    BodyKind,
    Federation,
    Membership,
    RepresentedCount,
    RepresentedMember,
)
from consejo.common.sql import ROWS_PER_STATEMENT, quoted_table as _table
from consejo.core.represented import bases_below, children_of


def _rm() -> str:
    return _table(RepresentedMember)


def _chunks(values: Iterable[int], size: int = ROWS_PER_STATEMENT) -> Iterable[list[int]]:
    it = iter(values)
    while chunk := list(islice(it, size)):
        yield chunk


def councils_above(body_id: int) -> list[Body]:
    """Every council above ``body_id`` through current links, each once, by id: one recursive
    query that follows the links by their index (its cost is the depth of the federation)."""
    body, federation, end = _table(Body), _table(Federation), connection.ops.quote_name("end")
    # Table and column names come from the models; the one value is a parameter.
    return sorted(
        Body.objects.raw(
            f"WITH RECURSIVE up AS (SELECT b.* FROM {federation} f"  # noqa: S608
            f" JOIN {body} b ON b.id = f.parent_id WHERE f.body_id = %s AND f.{end} IS NULL"
            f" UNION SELECT b.* FROM up JOIN {federation} f ON f.body_id = up.id"
            f" JOIN {body} b ON b.id = f.parent_id WHERE f.{end} IS NULL) SELECT * FROM up",
            [body_id],
        ),
        key=lambda council: council.pk,
    )


def _add_to_totals(deltas: dict[int, int]) -> None:
    """Add ``deltas`` (body → change) to the totals: gains create the rows that do not exist yet
    (an upsert), losses update rows that must exist (the proposed row of an upsert would break
    the totals' check, so losses are updated, one statement per amount)."""
    gains = sorted(body for body, n in deltas.items() if n > 0)
    losses: dict[int, list[int]] = {}
    for body, n in deltas.items():
        if n < 0:
            losses.setdefault(-n, []).append(body)
    table = _table(RepresentedCount)
    with connection.cursor() as cursor:
        for chunk in _chunks(gains):
            values = ", ".join(["(%s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (body_id, members) VALUES {values}"  # noqa: S608
                " ON CONFLICT (body_id) DO UPDATE"
                f" SET members = {table}.members + excluded.members",
                [v for body in chunk for v in (body, deltas[body])],
            )
        for loss, bodies in sorted(losses.items()):
            for chunk in _chunks(sorted(bodies)):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} SET members = members - %s"  # noqa: S608
                    f" WHERE body_id IN ({marks})",
                    [loss, *chunk],
                )
                if cursor.rowcount != len(chunk):
                    raise RuntimeError("a represented count to lower is missing")


def memberships_started(body: Body, councils: Sequence[int], member_ids: Sequence[int]) -> None:
    """Count ``member_ids``, who have just started a membership of ``body``, in ``body`` and in
    ``councils`` (every council above it). Two statements (more for a long roster)."""
    if body.kind in COUNCIL_KINDS or not member_ids:
        return
    deltas = {body.pk: len(member_ids)}
    if councils:
        rm = _rm()
        pairs = [(c, m) for m in member_ids for c in councils]
        with connection.cursor() as cursor:
            for start in range(0, len(pairs), ROWS_PER_STATEMENT):
                chunk = pairs[start : start + ROWS_PER_STATEMENT]
                values = ", ".join(["(%s, %s, 1)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {rm} (council_id, member_id, bodies) VALUES {values}"  # noqa: S608
                    f" ON CONFLICT (council_id, member_id) DO UPDATE SET bodies = {rm}.bodies + 1"
                    " RETURNING council_id, bodies",
                    [v for pair in chunk for v in pair],
                )
                # A person now in one body beneath the council is newly represented there.
                for council, bodies in cursor.fetchall():
                    if bodies == 1:
                        deltas[council] = deltas.get(council, 0) + 1
    _add_to_totals(deltas)


def memberships_ended(body: Body, councils: Sequence[int], member_ids: Sequence[int]) -> None:
    """Uncount ``member_ids``, whose membership of ``body`` has just ended, from ``body`` and
    from ``councils`` (every council above it). Three statements."""
    if body.kind in COUNCIL_KINDS or not member_ids:
        return
    deltas = {body.pk: -len(member_ids)}
    if councils:
        rm = _rm()
        where = (
            f"council_id IN ({', '.join(['%s'] * len(councils))})"
            f" AND member_id IN ({', '.join(['%s'] * len(member_ids))})"
        )
        params = [*councils, *member_ids]
        with connection.cursor() as cursor:
            # Those in no other body beneath a council are no longer represented there.
            cursor.execute(
                f"DELETE FROM {rm} WHERE {where} AND bodies = 1 RETURNING council_id",  # noqa: S608
                params,
            )
            for (council,) in cursor.fetchall():
                deltas[council] = deltas.get(council, 0) - 1
            cursor.execute(f"UPDATE {rm} SET bodies = bodies - 1 WHERE {where}", params)  # noqa: S608
    _add_to_totals(deltas)


def links_changed(*, parent_id: int, body_id: int, added: bool) -> None:
    """Adjust the counts after the link ``body_id`` → ``parent_id`` was added (or ended): the
    council and every council above it gain (or lose) the base bodies newly beneath them, with
    their people. Call it after the link's row is written."""
    councils = set(Body.objects.filter(kind__in=COUNCIL_KINDS).values_list("pk", flat=True))
    after = children_of(
        Federation.objects.filter(end__isnull=True).values_list("body_id", "parent_id")
    )
    before = {parent: list(kids) for parent, kids in after.items()}
    if added:
        before[parent_id] = [kid for kid in before.get(parent_id, []) if kid != body_id]
    else:
        before.setdefault(parent_id, []).append(body_id)
    affected = [parent_id, *(council.pk for council in councils_above(parent_id))]
    deltas: dict[int, int] = {}
    for council in affected:
        was, now = bases_below(before, councils, council), bases_below(after, councils, council)
        gained = sum(_gain(council, chunk) for chunk in _chunks(sorted(now - was)))
        lost = sum(_lose(council, chunk) for chunk in _chunks(sorted(was - now)))
        deltas[council] = gained - lost
    _add_to_totals(deltas)


def _people_of(body_ids: list[int]) -> tuple[str, list[int]]:
    """Per person, how many current memberships they hold among ``body_ids`` (a subquery)."""
    membership, end = _table(Membership), connection.ops.quote_name("end")
    marks = ", ".join(["%s"] * len(body_ids))
    return (
        f"SELECT member_id, COUNT(*) AS n FROM {membership}"  # noqa: S608
        f" WHERE {end} IS NULL AND body_id IN ({marks}) GROUP BY member_id",
        body_ids,
    )


def _gain(council: int, body_ids: list[int]) -> int:
    """Count the people of ``body_ids`` in ``council``; how many it newly represents."""
    rm = _rm()
    people, params = _people_of(body_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {rm} SET bodies = {rm}.bodies + p.n FROM ({people}) p"  # noqa: S608
            f" WHERE {rm}.council_id = %s AND {rm}.member_id = p.member_id",
            [*params, council],
        )
        cursor.execute(
            f"INSERT INTO {rm} (council_id, member_id, bodies)"  # noqa: S608
            f" SELECT %s, p.member_id, p.n FROM ({people}) p WHERE NOT EXISTS"
            f" (SELECT 1 FROM {rm} r WHERE r.council_id = %s AND r.member_id = p.member_id)",
            [council, *params, council],
        )
        return int(cursor.rowcount)


def _lose(council: int, body_ids: list[int]) -> int:
    """Uncount the people of ``body_ids`` from ``council``; how many it no longer represents."""
    rm = _rm()
    people, params = _people_of(body_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {rm} WHERE council_id = %s AND EXISTS"  # noqa: S608
            f" (SELECT 1 FROM ({people}) p"
            f" WHERE p.member_id = {rm}.member_id AND p.n = {rm}.bodies)",
            [council, *params],
        )
        gone = int(cursor.rowcount)
        cursor.execute(
            f"UPDATE {rm} SET bodies = {rm}.bodies - p.n FROM ({people}) p"  # noqa: S608
            f" WHERE {rm}.council_id = %s AND {rm}.member_id = p.member_id",
            [*params, council],
        )
        return gone


@dataclass(frozen=True, slots=True)
class Constituent:
    """A body that sends delegates to a council: its id and short name."""

    pk: int
    slug: str


@dataclass(frozen=True, slots=True)
class Basis:
    """What a council's seats are apportioned from: its constituents (by name), the people each
    represents now, and the seats each holds in the council's newest apportionment (empty when
    there is none, or it seated nobody)."""

    constituents: list[Constituent]
    represented: dict[int, int]
    latest_seats: dict[int, int]


def apportionment_bases(council_ids: Sequence[int]) -> dict[int, Basis]:
    """The :class:`Basis` of each council in ``council_ids`` at the ledger's head (for a service,
    under its lock): one query, however many councils, each part by index.

    A committee linked to a council is the council's organ (the council elects it), not a
    constituent that sends delegates: it holds no seats there.
    """
    ids = list(council_ids)
    bases = {pk: Basis([], {}, {}) for pk in ids}
    if not ids:
        return bases
    marks = ", ".join(["%s"] * len(ids))
    body, federation, end = _table(Body), _table(Federation), connection.ops.quote_name("end")
    totals, apportionment = _table(RepresentedCount), _table(Apportionment)
    with connection.cursor() as cursor:
        # One statement (a round trip less under the head's lock): the constituents, tagged 0,
        # then each council's newest apportionment, found by the council's index, tagged 1.
        cursor.execute(
            f"SELECT 0, f.parent_id, b.id, b.slug, COALESCE(t.members, 0), b.name"  # noqa: S608
            f" FROM {federation} f JOIN {body} b ON b.id = f.body_id"
            f" LEFT JOIN {totals} t ON t.body_id = b.id"
            f" WHERE f.parent_id IN ({marks}) AND f.{end} IS NULL AND b.kind <> %s"
            f" UNION ALL SELECT 1, a.council_id, s.body_id, '', s.seats, ''"
            f" FROM {_table(ApportionedSeats)} s"
            f" JOIN {apportionment} a ON a.id = s.apportionment_id WHERE a.id IN"
            f" (SELECT (SELECT n.id FROM {apportionment} n WHERE n.council_id = c.id"
            " ORDER BY n.computed_at DESC, n.id DESC LIMIT 1)"
            f" FROM {body} c WHERE c.id IN ({marks}))"
            " ORDER BY 1, 6, 3",
            [*ids, BodyKind.COMMITTEE.value, *ids],
        )
        for tag, council, pk, slug, number, _name in cursor.fetchall():
            if tag == 0:
                bases[council].constituents.append(Constituent(pk, slug))
                bases[council].represented[pk] = number
            else:
                bases[council].latest_seats[pk] = number
    return bases
