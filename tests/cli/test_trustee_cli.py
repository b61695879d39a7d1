"""``consejo trustee`` as a trustee runs it on a laptop: a real process, no database, no Django;
every file it prints is taken by the server's checks (the key ceremony and the count of a real
box, through the services)."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from consejo.boxes.models import Box
from consejo.boxes.selectors import box_file
from consejo.boxes.services import trustee_step
from consejo.core.sealed import card
from consejo.elections import services
from consejo.elections.models import Ballot
from consejo.elections.selectors import standing_candidates
from tests.builders import (
    build_small_federation,
    make_member,
    make_secretary,
    trustee_logins,
    trustee_members,
)
from tests.cli.processes import run_without_django

T0 = datetime(2005, 6, 9, 8, 0, tzinfo=UTC)


def trustee(*args: str) -> subprocess.CompletedProcess[str]:
    """``consejo trustee …`` in a process of its own, which must not import Django."""
    return run_without_django("trustee", *args)


def write_box(box: Box, folder: Path) -> str:
    box.refresh_from_db()
    path = folder / f"box-{os.urandom(3).hex()}.json"
    path.write_text(json.dumps(box_file(box)))
    return str(path)


@pytest.mark.django_db
def test_a_whole_vote_with_the_trustees_on_their_laptops(
    operator: Any, time_machine: Any, tmp_path: Path
) -> None:
    time_machine.move_to(T0, tick=False)
    fed = build_small_federation(actor=operator)
    secretary = make_secretary(actor=operator, body=fed.neighborhood)
    logins = trustee_logins(actor=operator, body=fed.neighborhood)
    election = services.election_create(
        actor=secretary,
        body_id=fed.neighborhood.pk,
        council_id=fed.council.pk,
        title="Delegados",
        method="scottish-stv",
        mode="secret",
        opens_at=T0 + timedelta(hours=1),
        closes_at=T0 + timedelta(hours=5),
        trustee_ids=[m.pk for m in trustee_members(logins)],
    )
    for name in fed.neighborhood_names[:3]:
        member = fed.neighborhood.memberships.get(member__name=name).member
        services.candidate_nominate(actor=secretary, election_id=election.pk, member_id=member.pk)
    box = Box.objects.get(purpose=f"election:{election.pk}")
    cards = {i: tmp_path / f"tarjeta-{i}.txt" for i in logins}

    def bring(index: int, action: str) -> Any:
        extra = ["--trustee", str(index)] if action == "card" else []
        done = trustee(action, write_box(box, tmp_path), "--card", str(cards[index]), *extra)
        assert done.returncode == 0, done.stderr
        return trustee_step(actor=logins[index], reference=box.reference, step=done.stdout)

    for i in logins:
        bring(i, "card")
    assert cards[1].read_text().startswith(card.QR_PREFIX + box.reference + ":1:")
    again = trustee("card", write_box(box, tmp_path), "--card", str(cards[1]), "--trustee", "1")
    assert again.returncode == 2
    assert "a card is never overwritten" in again.stderr
    for i in logins:
        bring(i, "shares")
    assert [bring(i, "confirm").keyed for i in sorted(logins)] == [False, False, True]
    check = trustee("check", write_box(box, tmp_path), "--card", str(cards[2]))
    assert json.loads(check.stdout) == {"ok": True, "box": box.reference, "trustee": 2}
    # A card of another trustee, given as words only, is refused by its number.
    words = tmp_path / "words.txt"
    words.write_text(cards[3].read_text().split("\n", 1)[1])
    wrong = trustee("check", write_box(box, tmp_path), "--card", str(words), "--trustee", "1")
    assert wrong.returncode == 2
    assert "not the card of trustee 1" in wrong.stderr

    time_machine.move_to(T0 + timedelta(hours=2), tick=False)
    standing = [c.pk for c in standing_candidates(election)]
    cast = [[standing[0]], [standing[1], standing[2]], [standing[2], standing[0]]]
    for n, choices in enumerate(cast):
        voter = make_member(
            actor=operator, body=fed.neighborhood, username=f"votante-{n}", name=f"Votante {n}"
        )
        services.ballot_cast(actor=voter, election_id=election.pk, choices=choices)
    time_machine.move_to(T0 + timedelta(hours=6), tick=False)
    early = trustee("decrypt", write_box(box, tmp_path), "--card", str(cards[1]))
    assert early.returncode == 2
    assert "not been closed and mixed" in early.stderr
    services.election_close(actor=secretary, election_id=election.pk)
    assert bring(3, "decrypt").valid
    assert bring(1, "decrypt").valid
    services.election_count(actor=secretary, election_id=election.pk)
    rows = Ballot.objects.filter(election=election).values_list("choices", "weight")
    assert sorted(tuple(c) for c, w in rows for _ in range(w)) == sorted(map(tuple, cast))


def _valid(words: list[str]) -> bool:
    try:
        card.seed_from_words(" ".join(words))
    except Exception:
        return False
    return True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["card", "missing.json", "--card", "c.txt"], "missing.json: no such file"),
        (["shares", "{box}", "--card", "nowhere.txt"], "nowhere.txt: no such file"),
        (["shares", "{garbage}", "--card", "c.txt"], "not JSON"),
        (["card", "{box}", "--card", "{new}"], "say which trustee you are"),
        (["confirm", "{box}", "--card", "{words}"], "checksum fails"),
        (["dance", "{box}", "--card", "c.txt"], "invalid choice"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    from consejo.core.sealed import files

    box = tmp_path / "box.json"
    box.write_text(
        json.dumps(
            files.box_file(
                reference="ab12",
                threshold=2,
                width=3,
                ranked=True,
                trustees=dict.fromkeys((1, 2, 3), (None, None, False)),
                public_key=None,
                mixed=None,
            )
        )
    )
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    words = tmp_path / "words.txt"
    listed = card.words(bytes(range(32)))
    wrong = next(w for w in listed if w != listed[23] and not _valid([*listed[:23], w]))
    words.write_text(" ".join([*listed[:23], wrong]))
    paths = {"box": box, "garbage": garbage, "words": words, "new": tmp_path / "new.txt"}
    done = trustee(*[a.format(**{k: str(v) for k, v in paths.items()}) for a in args])
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
