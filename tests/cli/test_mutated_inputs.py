"""Every command that reads a file, fed spoilt files (tests/mutations.py): the answer is a result
(exit 0) or one line ``consejo <command>: error: …`` on stderr (exit 2), never a traceback.

The property runs each command in this process, through the entry function ``consejo.cli.main``
with stdout and stderr captured; the named cases below run a real ``consejo`` process too.
"""

from __future__ import annotations

import csv
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import example, given, strategies as st

from consejo import cli
from consejo.core.counting.methods import METHODS
from tests.cli.processes import run
from tests.mutations import mutated

ROOT = Path(__file__).resolve().parents[2]
BLT = (
    b"4 2\n-4\n[tie 3 2 1 4]\n# a comment\n3 1 2 0\n2 2 3 1 0\n(7) 1 3 0\n4 3 0\n1 2 0\n0\n"
    b'"Ana Mamani"\n"Benito Quispe"\n"Carmen Choque"\n"Delia Apaza"\n"Junta de Senkata"\n'
)
ALLOCATION = (ROOT / "docs" / "examples" / "allocation.json").read_bytes()
BODIES = (ROOT / "docs" / "examples" / "bodies.csv").read_bytes()


def in_process(argv: list[str]) -> tuple[int, str, str]:
    """``consejo <argv>`` run by its entry function: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            cli.main(argv)
        except SystemExit as exit_:
            status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return status, out.getvalue(), err.getvalue()


def check_answer(command: str, status: int, out: str, err: str) -> None:
    """A result and nothing on stderr, or one error line and nothing on stdout."""
    assert "Traceback" not in err
    assert status in (0, 2), (status, err)
    if status == 2:
        assert out == ""
        lines = err.splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith(f"consejo {command}: error: "), lines[0]
        assert len(lines[0]) <= 600
    else:
        assert err == ""
        if command == "apportion":
            assert next(csv.reader(io.StringIO(out))) == ["name", "members", "seats"]
        else:
            json.loads(out)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


def test_the_seed_files_are_valid(folder: Path) -> None:
    for command, data, args in [
        ("count", BLT, ["--method", "scottish-stv"]),
        ("allocate", ALLOCATION, []),
        ("apportion", BODIES, ["--method", "dhondt", "--seats", "8"]),
    ]:
        path = folder / f"seed-{command}"
        path.write_bytes(data)
        status, _out, err = in_process([command, *args, str(path)])
        assert (status, err) == (0, "")


@example(data=BLT.replace(b"\n3 1 2 0", b"\n" + b"9" * 5000 + b" 1 2 0"), method="irv", seats=None)
@example(data=BLT.replace(b"4 2", b"4 " + b"9" * 5000), method="meek-stv", seats=None)
@example(data=BLT.replace(b"-4", b"-" + b"4" * 4400), method="schulze", seats="2")
@example(data=BLT.replace(b"\n0\n", b"\n" + b"[" * 100_000 + b"\n0\n"), method="irv", seats=None)
@given(
    data=mutated(BLT),
    method=st.sampled_from(sorted(METHODS)),
    seats=st.sampled_from([None, "1", "2", "-3", "0"]),
)
def test_count_answers_any_spoilt_ballot_file_in_one_line(
    folder: Path, data: bytes, method: str, seats: str | None
) -> None:
    path = folder / "ballots.blt"
    path.write_bytes(data)
    args = ["count", "--method", method, *(["--seats", seats] if seats else []), str(path)]
    check_answer("count", *in_process(args))


@example(data=ALLOCATION.replace(b"900", b"9" * 5000))
@example(data=ALLOCATION.replace(b": 60}", b": " + b"6" * 4301 + b"}"))
@example(data=b"[" * 100_000 + b"]" * 100_000)
@example(data=ALLOCATION.replace(b'"recipients": [', b'"recipients": ' + b"[" * 100_000, 1))
@example(data=ALLOCATION.replace(b'"senkata"', b'"\\ud800"'))
@given(data=mutated(ALLOCATION))
def test_allocate_answers_any_spoilt_problem_file_in_one_line(folder: Path, data: bytes) -> None:
    path = folder / "problem.json"
    path.write_bytes(data)
    check_answer("allocate", *in_process(["allocate", str(path)]))


@example(data=BODIES.replace(b"420", b"4" * 5000), method="dhondt", seats="8", min_seats="0")
@example(data=BODIES.replace(b"420", b"4" * 20), method="hamilton", seats="8", min_seats="1")
@given(
    data=mutated(BODIES),
    method=st.sampled_from(["dhondt", "sainte-lague", "hamilton", "huntington-hill"]),
    seats=st.sampled_from(["0", "3", "8", "-3", "10000000"]),
    min_seats=st.sampled_from(["0", "1"]),
)
def test_apportion_answers_any_spoilt_csv_in_one_line(
    folder: Path, data: bytes, method: str, seats: str, min_seats: str
) -> None:
    path = folder / "bodies.csv"
    path.write_bytes(data)
    args = ["apportion", "--method", method, "--seats", seats, "--min-seats", min_seats, str(path)]
    check_answer("apportion", *in_process(args))


# --- the cases of the report (issue 8, item 5), in a real process -------------------------------

HUGE = "9" * 5000


@pytest.mark.parametrize(
    ("command", "args", "content", "needle"),
    [
        (
            "count",
            ["--method", "scottish-stv"],
            f'2 1\n{HUGE} 1 0\n0\n"A"\n"B"\n"T"\n',
            "line 2: a number of 5000 digits is too large (at most 15 digits)",
        ),
        (
            "count",
            ["--method", "plurality"],
            f'{HUGE} 1\n1 1 0\n0\n"A"\n"T"\n',
            "line 1: a number of 5000 digits is too large",
        ),
        (
            "count",
            ["--method", "meek-stv"],
            f'2 1\n-{HUGE}\n1 1 0\n0\n"A"\n"B"\n"T"\n',
            "line 2: a number of 5000 digits",
        ),
        (
            "count",
            ["--method", "irv"],
            f'2 1\n[tie 1 {HUGE}]\n1 1 0\n0\n"A"\n"B"\n"T"\n',
            "line 2: a number of 5000 digits",
        ),
        (
            "count",
            ["--method", "schulze"],
            f'2 1\n1 {HUGE} 0\n0\n"A"\n"B"\n"T"\n',
            "line 2: a number of 5000 digits",
        ),
        (
            "count",
            ["--method", "approval"],
            '10000000 1\n1 1 0\n0\n"A"\n"T"\n',
            "line 1: a BLT file holds at most 10000 candidates, not 10000000",
        ),
        (
            "allocate",
            [],
            '{"items": [{"id": "gas"}], "depots": [{"id": "a", "stock": {"gas": ' + HUGE + "}}],"
            ' "recipients": []}',
            "depots[0] ('a').stock.gas: must be a whole number from 0 to 1000000000, "
            "got a number of 5000 digits",
        ),
        (
            "allocate",
            [],
            '{"items": [], "depots": [], "recipients": [{"id": "x", "tier": 1, "need": {},'
            ' "routes": [{"depot": "a", "cost": 1, "x": ' + HUGE + "}]}]}",
            "recipients[0] ('x').routes[0]: unknown field 'x' (allowed: depot, cost)",
        ),
        (
            "allocate",
            [],
            '{"items": [{"id": "gas"}, {"id": "gas"}], "depots": [], "recipients": []}',
            "items[1]: duplicate item 'gas'",
        ),
        ("allocate", [], "[" * 100_000 + "]" * 100_000, "line 1: the JSON is nested more than 32"),
        ("allocate", [], '{"items": ' + "{" * 100_000, "line 1: the JSON is nested more than 32"),
        (
            "allocate",
            [],
            '{"items": [{"id": "\\ud800"}], "depots": [], "recipients": []}',
            "items[0].id: must be a text, got one that is not valid Unicode",
        ),
        (
            "apportion",
            ["--method", "dhondt", "--seats", "3"],
            f"name,members\nA,{HUGE}\n",
            "line 2: a number of 5000 digits is too large",
        ),
    ],
)
def test_huge_numbers_and_deep_nesting_are_one_line_and_exit_2_in_a_real_process(
    tmp_path: Path, command: str, args: list[str], content: str, needle: str
) -> None:
    path = tmp_path / "input"
    path.write_text(content)
    done = run(command, *args, str(path), env={"CONSEJO_HTTPS": "false"})
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"consejo {command}: error: {path}: {needle}")
    assert len(done.stderr.splitlines()) == 1


def test_a_line_of_a_million_characters_is_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "long.blt"
    path.write_text("2 1\n1 1 " + "x" * 1_000_000 + " 0\n0\n")
    status, _out, err = in_process(["count", "--method", "irv", str(path)])
    assert status == 2
    assert len(err) < 200


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from consejo.common import inputs

    path = tmp_path / "big.json"
    with path.open("wb") as file:
        file.truncate(inputs.MAX_INPUT_BYTES + 1)  # sparse: no disk used
    status, _out, err = in_process(["allocate", str(path)])
    assert (status, err.strip()) == (
        2,
        f"consejo allocate: error: {path}: larger than 256 MB, the most a command reads",
    )


# --- consejo trustee: a box's file and a card, spoilt -------------------------------------------


def _sealed_box_and_card() -> tuple[bytes, bytes]:
    """A whole box's file (three trustees committed, shared, confirmed; three ballots mixed) and
    trustee 1's card, made in memory by the protocol."""
    import os

    from consejo.core.sealed import ballots, card, dkg, files, mix
    from consejo.core.sealed.elgamal import Multiples

    reference, threshold = "c0ffee", 2
    context = files.context_of(reference)
    seeds = {i: os.urandom(32) for i in (1, 2, 3)}
    secrets = {i: dkg.derive(context, i, threshold, s) for i, s in seeds.items()}
    commitments = {i: dkg.commit(context, s) for i, s in secrets.items()}
    keys = {i: c.communication_key for i, c in commitments.items()}
    shares = {i: dkg.seal_shares(context, s, keys) for i, s in secrets.items()}
    key = dkg.election_key(commitments)
    table = Multiples(4)
    sealed = [ballots.seal(key, r, table) for r in ([1, 2, 0], [0, 1, 0], [2, 1, 3])]
    shape = ballots.layout(3, ranked=True)
    mixed = mix.shuffle(key, [ballots.pack(v, shape) for v in sealed])
    box = files.box_file(
        reference=reference,
        threshold=threshold,
        width=3,
        ranked=True,
        trustees={i: (commitments[i].encode(), shares[i], True) for i in (1, 2, 3)},
        public_key=key,
        mixed=b"".join(c.encode() for b in mixed for c in b),
        you=1,
    )
    text = card.qr_payload(reference, 1, seeds[1]) + "\n\n" + " ".join(card.words(seeds[1]))
    return json.dumps(box, indent=1).encode(), text.encode()


BOX, CARD = _sealed_box_and_card()


def test_the_trustee_seed_files_are_valid(folder: Path) -> None:
    (folder / "card.txt").write_bytes(CARD)
    (folder / "box.json").write_bytes(BOX)
    for action in ("shares", "confirm", "decrypt", "check"):
        status, out, err = in_process(
            ["trustee", action, str(folder / "box.json"), "--card", str(folder / "card.txt")]
        )
        assert (status, err) == (0, ""), err
        json.loads(out)


@example(data=BOX.replace(b'"threshold": 2', b'"threshold": ' + b"9" * 5000), action="decrypt")
@example(data=BOX.replace(b'"width": 3', b'"width": 1e999'), action="check")
@example(data=BOX.replace(b'"mixed": "', b'"mixed": "!!!'), action="decrypt")
@example(data=BOX.replace(b'"2": "', '"²": "'.encode(), 1), action="confirm")
@example(data=BOX.replace(b'"2": "', b'"' + b"2" * 5000 + b'": "', 1), action="confirm")
@given(data=mutated(BOX), action=st.sampled_from(["shares", "confirm", "decrypt", "check"]))
def test_trustee_answers_any_spoilt_box_file_in_one_line(
    folder: Path, data: bytes, action: str
) -> None:
    (folder / "card.txt").write_bytes(CARD)
    (folder / "spoilt-box.json").write_bytes(data)
    args = ["trustee", action, str(folder / "spoilt-box.json"), "--card", str(folder / "card.txt")]
    check_answer("trustee", *in_process(args))


@given(data=mutated(CARD))
def test_trustee_answers_any_spoilt_card_in_one_line(folder: Path, data: bytes) -> None:
    (folder / "box.json").write_bytes(BOX)
    (folder / "spoilt-card.txt").write_bytes(data)
    args = ["trustee", "check", str(folder / "box.json"), "--card", str(folder / "spoilt-card.txt")]
    check_answer("trustee", *in_process(args))


@pytest.mark.parametrize(
    "line",
    [
        "consejo-trustee:1:c0ffee:" + "9" * 4301 + ":" + "ab" * 32,
        "consejo-trustee:1:c0ffee:²:" + "ab" * 32,
    ],
)
def test_a_card_line_with_a_number_of_thousands_of_digits_is_one_line(
    folder: Path, line: str
) -> None:
    (folder / "box.json").write_bytes(BOX)
    (folder / "odd-card.txt").write_text(line)
    args = ["trustee", "check", str(folder / "box.json"), "--card", str(folder / "odd-card.txt")]
    status, out, err = in_process(args)
    check_answer("trustee", status, out, err)
    assert status == 2
    assert "cannot be read" in err
