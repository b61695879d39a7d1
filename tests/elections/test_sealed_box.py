"""The sealed box against whoever copies or edits the database: a copy of its tables while
voting (and, on PostgreSQL, its raw pages, dead rows and write-ahead log) holds no plaintext ballot;
with k − 1 trustees' cards an adversary guesses how anyone voted no better than chance; the audit
replays a whole sealed vote and names an edit of a trustee's partial decryption."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.db import connection

from consejo.bodies.models import Member
from consejo.boxes.models import SealedBallot
from consejo.boxes.selectors import box_file
from consejo.core.sealed import ballots, dkg, files, group, steps
from consejo.core.sealed.elgamal import Multiples
from consejo.elections.selectors import standing_candidates
from consejo.ledger.audit import audit, ledger_replay
from tests.builders import SmallFederation
from tests.elections.sealed_vote import Vote
from tests.ledger.mutations import (
    audited,
    covered_columns,
    delete_is_named,
    edit_is_named,
    insert_is_named,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def database_dump() -> str:
    """Every row of every table as text, system columns included (rowid; xmin and ctid on
    PostgreSQL), as whoever copies the database gets it."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            extra = "rowid, " if connection.vendor == "sqlite" else "xmin, ctid, "
            try:
                cursor.execute(f"SELECT {extra}* FROM {quoted}")  # noqa: S608
            except Exception:  # a table without rowid (WITHOUT ROWID): its rows alone
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
            for row in cursor.fetchall():
                out.append(
                    " ".join(
                        bytes(v).hex() if isinstance(v, (bytes, memoryview)) else str(v)
                        for v in row
                    )
                )
    return "\n".join(out)


def plaintext_forms(keys: list[int]) -> list[str]:
    """How a ranking of candidate keys would look if it were stored in the clear."""
    return [json.dumps(keys), json.dumps(keys, separators=(",", ":")), ",".join(map(str, keys))]


def test_a_copy_of_the_database_while_voting_holds_no_plaintext_ballot(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock)
    a, b, c, d = vote.keys
    cast = [[d, b, a, c], [c, a, d], [b, d, c, a]]
    for choices in cast:
        vote.cast(choices)
    dump = database_dump()
    assert dump.count("\n") > 100  # it is the whole database
    for choices in cast:
        for form in plaintext_forms(choices):
            assert form not in dump, form
    # The positions on the ballot paper, as the box's vector holds them, are not there either:
    # each sealed ballot is its ciphertexts, nothing else.
    assert SealedBallot.objects.count() == 3


def test_an_adversary_with_the_database_and_k_minus_1_cards_guesses_no_better_than_chance(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    """The distinguishing game (the ballot privacy game of Bernhard et al. 2015, "SoK: A
    comprehensive analysis of game-based ballot privacy definitions"): in each of ``ROUNDS``
    pairs of voters, a coin says whether the first votes X and the second Y or the other way
    round. The adversary links every sealed ballot to its voter perfectly (by the order of the
    rows and their system columns, which follow the ``ballot.cast`` entries), holds every table,
    the ledger and the cards of k − 1 trustees, and tries to decrypt what it linked; failing
    that it guesses. It must win about half of the rounds; with k cards it wins them all."""
    rounds = 40
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, c, d = vote.keys
    x, y = [a, b, c, d], [d, c, b, a]
    coins = random.Random(1871).choices((0, 1), k=rounds)
    for coin in coins:
        first, second = (x, y) if coin == 0 else (y, x)
        vote.cast(first)
        vote.cast(second)

    standing = [c.pk for c in standing_candidates(vote.election)]
    x_ranks = ballots.ranks_of([standing.index(k) for k in x], 4, ranked=True)

    def adversary(cards: dict[int, bytes]) -> list[int]:
        view = files.read_box(box_file(vote.box))
        shares = {i: steps.share_of(view, i, seed)[0] for i, seed in cards.items()}
        order = "rowid" if connection.vendor == "sqlite" else "ctid"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT data FROM {SealedBallot._meta.db_table} ORDER BY {order}")  # noqa: S608
            linked = [bytes(row[0]) for row in cursor.fetchall()]  # in the order of voting
        table = Multiples(5)
        guesser = random.Random(7)  # the adversary's coin: seeded, so the test never flakes
        guesses = []
        for pair in range(rounds):
            vector = ballots.decode(linked[2 * pair], 4)
            partials = {i: [group.mul(s, ct.a) for ct in vector] for i, s in shares.items()}
            ranks = [table.log(p) for p in dkg.combine(vector, partials)]
            if None in ranks:
                guesses.append(guesser.getrandbits(1))  # nothing read: a guess
            else:
                guesses.append(0 if ranks == x_ranks else 1)
        return guesses

    def wins(cards: dict[int, bytes]) -> int:
        return sum(g == c for g, c in zip(adversary(cards), coins, strict=True))

    # k − 1 = 1 card, each in turn: within 3.3 standard deviations of chance (20 ± 10.4).
    bound = rounds / 2 + 3.3 * math.sqrt(rounds) / 2
    for i in (1, 2, 3):
        assert wins({i: vote.seeds[i]}) <= bound
    # The same adversary with k cards reads every ballot: the game can be lost.
    assert wins({1: vote.seeds[1], 3: vote.seeds[3]}) == rounds


def test_the_audit_replays_a_whole_sealed_vote_and_names_an_edit_of_a_decryption(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    """The demo's vote is still open: here a box is keyed, voted, closed, mixed, decrypted and
    counted, and the audit agrees with every table; then every column of the trustees' partial
    decryptions (which the demo has none of) is edited in turn, and each edit is named."""
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, c, d = vote.keys
    for choices in ([a, b], [d, c, b, a], [b]):
        vote.cast(choices)
    vote.close()
    vote.decrypt(1, 2)
    vote.count()
    state = ledger_replay()
    report = audit(state)
    assert report.ok, [str(x) for x in report.differences]
    for label, column in covered_columns({"boxes.PartialDecryption"}):
        edit_is_named(state, label, column)
    insert_is_named(state, "boxes.PartialDecryption")
    delete_is_named(state, "boxes.PartialDecryption")

    def swap() -> None:
        row = SealedBallot.objects.order_by("pk").first()
        assert row is not None
        SealedBallot.objects.filter(pk=row.pk).update(data=b"\x00" + bytes(row.data))

    assert [(x.table, x.field) for x in audited(state, swap)] == [("boxes.SealedBallot", "digest")]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_raw_pages_dead_rows_and_the_wal_hold_no_plaintext_ballot(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    """Below the tables: every page of every table as PostgreSQL stores it (dead row versions
    included, read with pageinspect) and the newest write-ahead log segments, as whoever copies
    the server's files gets them. The same scan finds what is written there (a tracker, the
    ``ballot.cast`` entry naming a voter): it would find a plaintext ballot."""
    vote = Vote(operator, fed, clock)
    a, b, c, d = vote.keys
    cast = [[d, b, a, c], [c, a, d], [b, d, c, a]]
    trackers = [vote.cast(choices) for choices in cast]
    chunks: list[bytes] = []
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table in connection.introspection.table_names():
            cursor.execute("SELECT pg_relation_size(%s) / 8192", [table])
            (blocks,) = cursor.fetchone()
            for block in range(int(blocks)):
                cursor.execute("SELECT get_raw_page(%s, %s)", [table, block])
                chunks.append(bytes(cursor.fetchone()[0]))
        cursor.execute("SELECT name FROM pg_ls_waldir() ORDER BY modification DESC LIMIT 2")
        for (name,) in cursor.fetchall():
            cursor.execute("SELECT pg_read_binary_file(%s)", [f"pg_wal/{name}"])
            chunks.append(bytes(cursor.fetchone()[0]))
    haystack = b"\n".join(chunks)
    assert all(t is not None and t.encode() in haystack for t in trackers)
    voter = Member.objects.get(name="Votante 001").pk
    assert f'"member":{voter}'.encode() in haystack  # the ballot.cast entry: who voted
    for choices in cast:
        for form in plaintext_forms(choices):
            assert form.encode() not in haystack, form
