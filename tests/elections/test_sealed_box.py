"""The sealed box against its adversaries: a copy of the database and k − 1 trustees' cards tell
nothing of how anyone voted; the count needs k trustees' checked partial decryptions; a tampered
partial decryption names its trustee; a stuffed or removed ballot stops the count; the key
ceremony takes each trustee's steps only from the trustee, in order."""

from __future__ import annotations

import base64
import json
import math
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from consejo.bodies.models import Member
from consejo.boxes import ceremony
from consejo.boxes.models import Box, PartialDecryption, SealedBallot, Trustee
from consejo.boxes.selectors import box_file, box_status
from consejo.boxes.services import trustee_step
from consejo.core.errors import Conflict, InvalidInput, PermissionDenied
from consejo.core.sealed import ballots, dkg, files, group, steps
from consejo.core.sealed.elgamal import Multiples
from consejo.elections import services
from consejo.elections.models import Ballot, Election
from consejo.elections.selectors import standing_candidates
from consejo.ledger.audit import audit, ledger_replay
from consejo.ledger.models import LedgerEntry
from tests.builders import (
    SmallFederation,
    build_small_federation,
    key_ceremony,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)
from tests.conftest import CLOCK_START
from tests.ledger.mutations import (
    audited,
    covered_columns,
    delete_is_named,
    edit_is_named,
    insert_is_named,
)

pytestmark = pytest.mark.django_db

T0 = CLOCK_START
OPENS = T0 + timedelta(hours=2)
CLOSES = T0 + timedelta(hours=10)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The messages are asserted in English (the source language); Spanish is the default."""
    with translation.override("en"):
        yield


@pytest.fixture
def fed(operator: Any, clock: Callable[[datetime], datetime]) -> SmallFederation:
    return build_small_federation(actor=operator)


class Vote:
    """A secret election with trustees and candidates, voting open."""

    def __init__(
        self,
        operator: Any,
        fed: SmallFederation,
        clock: Callable[[datetime], datetime],
        *,
        trustees: int = 3,
        threshold: int | None = None,
        ceremony_done: bool = True,
    ) -> None:
        self.operator, self.fed, self.clock = operator, fed, clock
        self.secretary = make_secretary(
            actor=operator, body=fed.neighborhood, username="sec-senkata"
        )
        self.logins = trustee_logins(actor=operator, body=fed.neighborhood, count=trustees)
        self.election = services.election_create(
            actor=self.secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Delegados de Senkata",
            method="scottish-stv",
            mode="secret",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in trustee_members(self.logins)],
            threshold=threshold,
        )
        self.box = Box.objects.get(purpose=f"election:{self.election.pk}")
        self.seeds: dict[int, bytes] = {}
        if ceremony_done:
            self.seeds = key_ceremony(self.election, self.logins)
        standing = [Member.objects.get(name=n) for n in fed.neighborhood_names[:4]]
        self.keys = [
            services.candidate_nominate(
                actor=self.secretary, election_id=self.election.pk, member_id=m.pk
            ).pk
            for m in standing
        ]
        self.voters = 0

    def cast(self, choices: list[int]) -> str | None:
        self.voters += 1
        self.clock(OPENS + timedelta(minutes=self.voters))
        user = make_member(
            actor=self.operator,
            body=self.fed.neighborhood,
            username=f"votante-{self.voters}",
            name=f"Votante {self.voters:03d}",
        )
        return services.ballot_cast(actor=user, election_id=self.election.pk, choices=choices)

    def close(self) -> None:
        self.clock(CLOSES + timedelta(minutes=1))
        services.election_close(actor=self.secretary, election_id=self.election.pk)
        self.box.refresh_from_db()

    def decrypt(self, *indices: int) -> None:
        ceremony.decrypt(self.box, self.logins, self.seeds, indices)

    def count(self) -> Election:
        return services.election_count(actor=self.secretary, election_id=self.election.pk)


def bring(vote: Vote, index: int, seed: bytes, step: str) -> Any:
    """Trustee ``index`` brings its ``step``, made from ``seed`` as its device would."""
    made = ceremony.step_file(vote.box, index, seed, step)
    return trustee_step(actor=vote.logins[index], reference=vote.box.reference, step=made)


def payloads(kind: str) -> list[dict[str, Any]]:
    rows = LedgerEntry.objects.filter(kind=kind).order_by("seq")
    return [json.loads(p) for p in rows.values_list("payload", flat=True)]


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


def _text(value: object) -> str:
    return bytes(value).hex() if isinstance(value, (bytes, memoryview)) else str(value)


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


def test_the_count_waits_for_k_trustees_and_names_the_missing(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, trustees=5, threshold=3)
    a, b, c, d = vote.keys
    cast = [[a, b], [b, a, c], [c], [d, a], [a, c, d, b]]
    for choices in cast:
        vote.cast(choices)
    vote.close()
    vote.decrypt(2, 5)
    before = (LedgerEntry.objects.count(), Ballot.objects.count())
    with pytest.raises(Conflict, match=r"2 of the 3 .* waiting for trustees 1, 3, 4"):
        vote.count()
    assert (LedgerEntry.objects.count(), Ballot.objects.count()) == before
    assert Election.objects.get(pk=vote.election.pk).counted_at is None
    vote.decrypt(4)
    counted = vote.count()
    assert counted.counted_at is not None
    rows = sorted(
        (tuple(ch), w)
        for ch, w in Ballot.objects.filter(election=vote.election).values_list("choices", "weight")
    )
    assert rows == sorted((tuple(ch), 1) for ch in cast)


@pytest.mark.parametrize("subset", [(1, 2), (1, 3), (2, 3)])
def test_any_k_trustees_open_the_box(
    operator: Any,
    fed: SmallFederation,
    clock: Callable[[datetime], datetime],
    subset: tuple[int, int],
) -> None:
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, c, d = vote.keys
    for choices in ([a, b], [d, c, b, a], [b]):
        vote.cast(choices)
    vote.close()
    vote.decrypt(*subset)
    vote.count()
    assert sum(Ballot.objects.filter(election=vote.election).values_list("weight", flat=True)) == 3


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


def test_a_tampered_partial_decryption_is_refused_and_its_trustee_named(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, trustees=3, threshold=2)
    a, b, _c, _d = vote.keys
    vote.cast([a, b])
    vote.cast([b, a])
    vote.close()
    step = ceremony.step_file(vote.box, 2, vote.seeds[2], "decrypt")
    images = base64.b64decode(step["images"])
    first = group.add(images[:32], group.GENERATOR)  # would move one plaintext by one
    step["images"] = base64.b64encode(first + images[32:]).decode()
    done = trustee_step(actor=vote.logins[2], reference=vote.box.reference, step=step)
    assert not done.valid
    assert PartialDecryption.objects.get(trustee__box=vote.box, trustee__index=2).valid is False
    [entry] = [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind="decryption.submitted").values_list(
            "payload", flat=True
        )
    ]
    assert (entry["trustee"], entry["valid"]) == (2, False)
    vote.decrypt(1)
    with pytest.raises(Conflict, match=r"proofs failed: trustees 2"):
        vote.count()
    assert (
        box_status(vote.box).row_of(Trustee.objects.get(box=vote.box, index=2).member_id).decrypted
        is False
    )
    vote.decrypt(3)  # any k honest trustees: 1 and 3
    vote.count()


def test_a_stuffed_or_removed_sealed_ballot_stops_the_count(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock)
    a, b, c, _d = vote.keys
    vote.cast([a, b])
    vote.cast([c])
    vote.close()
    vote.decrypt(1, 2)
    extra = ballots.encode(ballots.seal(bytes(vote.box.public_key), [1, 0, 0, 0], Multiples(5)))
    stuffed = SealedBallot.objects.create(box=vote.box, data=extra, tracker=ballots.tracker(extra))
    with pytest.raises(Conflict, match="does not add up"):
        vote.count()
    stuffed.delete()
    removed = SealedBallot.objects.filter(box=vote.box).first()
    assert removed is not None
    kept = (bytes(removed.data), removed.tracker, removed.pk)
    removed.delete()
    with pytest.raises(Conflict, match="does not add up"):
        vote.count()
    SealedBallot.objects.create(id=kept[2], box=vote.box, data=kept[0], tracker=kept[1])
    # A ballot swapped for another of the same count: the digest recorded at close differs.
    other = SealedBallot.objects.filter(box=vote.box).first()
    assert other is not None
    SealedBallot.objects.filter(pk=other.pk).update(data=extra, tracker=ballots.tracker(extra))
    with pytest.raises(Conflict, match="not those the box held"):
        vote.count()
    SealedBallot.objects.filter(pk=other.pk).update(data=bytes(other.data), tracker=other.tracker)
    # A mix changed after the fact is not the one the ledger recorded.
    mixed = bytes(vote.box.mixed)
    Box.objects.filter(pk=vote.box.pk).update(mixed=mixed[64:] + mixed[:64])
    with pytest.raises(Conflict, match="mix is not the one"):
        vote.count()
    Box.objects.filter(pk=vote.box.pk).update(mixed=mixed)
    assert vote.count().counted_at is not None
    assert not Ballot.objects.filter(election=vote.election, member__isnull=False).exists()


def test_a_vote_cannot_start_before_the_key_is_complete(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    with pytest.raises(Conflict, match="have not finished the election key"):
        vote.cast([vote.keys[0]])
    assert not SealedBallot.objects.exists()


def test_the_ceremony_takes_each_step_once_in_order_from_the_trustee_only(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    seeds = {i: bytes([i]) * 32 for i in vote.logins}
    reference = vote.box.reference
    commit = ceremony.step_file(vote.box, 1, seeds[1], "commit")
    with pytest.raises(PermissionDenied):  # another trustee's login
        trustee_step(actor=vote.logins[2], reference=reference, step=commit)
    with pytest.raises(PermissionDenied):  # the secretary's
        trustee_step(actor=vote.secretary, reference=reference, step=commit)
    trustee_step(actor=vote.logins[1], reference=reference, step=commit)
    with pytest.raises(Conflict, match="already committed"):
        trustee_step(actor=vote.logins[1], reference=reference, step=commit)
    with pytest.raises(InvalidInput):  # trustee 2 has not committed: no shares can be made yet
        ceremony.step_file(vote.box, 1, seeds[1], "shares")
    for i in (2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "commit"),
        )
    shares = ceremony.step_file(vote.box, 1, seeds[1], "shares")
    trustee_step(actor=vote.logins[1], reference=reference, step=shares)
    with pytest.raises(InvalidInput):  # nobody can confirm before everyone has sealed shares
        ceremony.step_file(vote.box, 1, seeds[1], "confirm")
    # A step for another box, or garbage, is refused with a message.
    wrong = dict(shares, box="0" * 32)
    with pytest.raises((InvalidInput, Conflict)):
        trustee_step(actor=vote.logins[1], reference=reference, step=wrong)
    for garbage in (
        "{",
        "[]",
        json.dumps(
            {"format": "consejo-trustee-step/1", "box": reference, "trustee": 9, "step": "commit"}
        ),
    ):
        with pytest.raises(InvalidInput):
            trustee_step(actor=vote.logins[1], reference=reference, step=garbage)
    for i in (2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "shares"),
        )
    for i in (1, 2, 3):
        done = trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "confirm"),
        )
    assert done.keyed
    vote.box.refresh_from_db()
    commitments = {
        t.index: dkg.Commitment.decode(t.index, vote.box.threshold, bytes(t.commitment))
        for t in Trustee.objects.filter(box=vote.box)
    }
    assert bytes(vote.box.public_key) == dkg.election_key(commitments)
    kinds = list(
        LedgerEntry.objects.filter(kind__startswith="trustee.").values_list("kind", flat=True)
    )
    assert kinds == ["trustee.committed"] * 3 + ["trustee.shared"] * 3 + ["trustee.confirmed"] * 3
    assert LedgerEntry.objects.filter(kind="box.keyed").count() == 1


def test_a_trustee_who_receives_a_bad_share_accuses_its_sender_and_the_key_is_never_made(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    vote = Vote(operator, fed, clock, ceremony_done=False)
    seeds = {i: bytes([i]) * 32 for i in vote.logins}
    reference = vote.box.reference
    for i in (1, 2, 3):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "commit"),
        )
    for i in (1, 2, 3):
        step = ceremony.step_file(vote.box, i, seeds[i], "shares")
        if i == 2:  # trustee 2 cheats: a share for trustee 3 that matches nothing it committed
            step["shares"]["3"] = "11" * 32
        trustee_step(actor=vote.logins[i], reference=reference, step=step)
    confirm = ceremony.step_file(vote.box, 3, seeds[3], "confirm")
    assert confirm["accuse"] == [2]
    trustee_step(actor=vote.logins[3], reference=reference, step=confirm)
    status = box_status(vote.box)
    assert status.failed
    assert status.step == "confirm"
    for i in (1, 2):
        trustee_step(
            actor=vote.logins[i],
            reference=reference,
            step=ceremony.step_file(vote.box, i, seeds[i], "confirm"),
        )
    vote.box.refresh_from_db()
    assert vote.box.keyed_at is None
    with pytest.raises(Conflict):
        vote.cast([vote.keys[0]])


def test_trustees_are_named_when_the_vote_is_called(
    operator: Any, fed: SmallFederation, clock: Callable[[datetime], datetime]
) -> None:
    secretary = make_secretary(actor=operator, body=fed.neighborhood, username="sec-senkata")
    logins = trustee_logins(actor=operator, body=fed.neighborhood, count=4)
    members = trustee_members(logins)
    minero = Member.objects.get(name=fed.mine_names[0])
    no_login = Member.objects.get(name=fed.neighborhood_names[0])

    def call(trustees: list[Member], threshold: int | None = None) -> Election:
        return services.election_create(
            actor=secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Delegados",
            method="scottish-stv",
            mode="secret",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in trustees],
            threshold=threshold,
        )

    before = (LedgerEntry.objects.count(), Election.objects.count(), Box.objects.count())
    for trustees, threshold, message in (
        (members[:2], None, "at least three trustees"),
        ([*members[:2], minero], None, "not a member"),
        ([*members[:2], no_login], None, "has no login"),
        ([*members[:2], members[0]], None, "named twice"),
        (members[:3], 1, "from 2 to 3"),
        (members[:3], 4, "from 2 to 3"),
    ):
        with pytest.raises(InvalidInput, match=message):
            call(trustees, threshold)
    assert (LedgerEntry.objects.count(), Election.objects.count(), Box.objects.count()) == before
    election = call(members)
    box = Box.objects.get(purpose=f"election:{election.pk}")
    assert box.threshold == 3  # a majority of four
    [prepared] = [
        json.loads(p)
        for p in LedgerEntry.objects.filter(kind="box.prepared").values_list("payload", flat=True)
    ]
    assert prepared["trustees"] == [[i, m.pk] for i, m in enumerate(members, start=1)]
    with pytest.raises(InvalidInput, match="only a secret ballot has trustees"):
        services.election_create(
            actor=secretary,
            body_id=fed.neighborhood.pk,
            council_id=fed.council.pk,
            title="Abierta",
            method="scottish-stv",
            mode="open",
            opens_at=OPENS,
            closes_at=CLOSES,
            trustee_ids=[m.pk for m in members[:3]],
        )


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
