"""The BLT ballot format (consejo.core.counting.blt): the published files read, every error names
its line, and writing then reading gives back the same election."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from consejo.core.counting.ballots import Election, make_election
from consejo.core.counting.blt import _plain_ballots, _read, read_blt, write_blt
from consejo.core.errors import InvalidInput

# A copy of ../shared/oracles/stv (see its README), kept in the repository so a clean clone tests.
ORACLES = Path(__file__).resolve().parents[1] / "data" / "stv"
CASES = json.loads((ORACLES / "expected.json").read_text())["cases"] if ORACLES.exists() else []
FILES = sorted({case["blt"] for case in CASES})


@pytest.mark.parametrize("relative", FILES)
def test_every_published_file_reads_with_its_ballot_count(relative: str) -> None:
    # Droop v0.11's reference reports give the number of valid (non-blank) ballots.
    expected = next(case for case in CASES if case["blt"] == relative)
    election = read_blt((ORACLES / relative).read_text())
    assert sum(weight for ranking, weight in election.ballots if ranking) == expected["ballots"]
    assert election.seats == expected["seats"]
    assert read_blt(write_blt(election)) == election


def test_the_oracles_are_present() -> None:
    assert len(FILES) >= 30, f"expected the STV oracles in {ORACLES}"


def test_a_small_file_reads_into_grouped_ballots() -> None:
    text = '3 2\n4 1 2 0\n2 3 0\n1 1 2 0\n0\n"Castor"\n"Pollux"\n"Helen"\n"Pollux and Helen"\n'
    election = read_blt(text)
    assert election.candidates == ("Castor", "Pollux", "Helen")
    assert election.seats == 2
    assert election.ballots == (((0, 1), 5), ((2,), 2))
    assert election.title == "Pollux and Helen"


def test_withdrawn_candidates_and_the_tie_order_are_read() -> None:
    text = '3 1\n-2\n[tie 3 1 2]\n1 1 0\n0\n"A"\n"B"\n"C"\n"T"\n'
    election = read_blt(text)
    assert election.withdrawn == frozenset({1})
    assert election.tie_order == (2, 0, 1)
    assert read_blt(write_blt(election)) == election


def test_ballot_ids_and_text_after_the_title_are_accepted() -> None:
    text = '2 1\n(a7) 3 2 1 0\n0\n"A"\n"B"\n"Title"\nFirst prefs 3 0\n'
    assert read_blt(text).ballots == (((1, 0), 3),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "line 1: the file is empty"),
        ("3\n", "line 1: expected '<candidates> <seats>'"),
        ("2 3\n0\n", "line 1: seats must be from 1 to 2"),
        ('2 1\n1 1 2\n0\n"A"\n"B"\n"T"\n', "line 2: a ballot is"),
        ('2 1\nx 1 0\n0\n"A"\n"B"\n"T"\n', "line 2: the weight must be a whole number"),
        ('2 1\n1 3 0\n0\n"A"\n"B"\n"T"\n', "line 2: candidate 3 does not exist"),
        ('2 1\n1 1 1 0\n0\n"A"\n"B"\n"T"\n', "line 2: candidate 1 is ranked twice"),
        ('2 1\n1 1=2 0\n0\n"A"\n"B"\n"T"\n', "line 2: equal rankings"),
        ('2 1\n1 1 0\n"A"\n"B"\n', "line 3: the ballots never end with a line '0'"),
        ('2 1\n1 1 0\n0\n"A"\nB\n"T"\n', "line 5: expected a quoted name"),
        ('2 1\n1 1 0\n0\n"A"\n', "line 4: 2 candidate names expected, found 1"),
        ('2 1\n-5\n1 1 0\n0\n"A"\n"B"\n', "line 2: no candidate 5 to withdraw"),
        ('2 1\n[tie 1]\n0\n"A"\n"B"\n', "line 2: the tie order must list every candidate"),
        ('2 1\n[frobnicate 1]\n0\n"A"\n"B"\n', "line 2: unknown option"),
        ('2 1\n1 1 0\n0\n"A"\n"A"\n', "line 4: two candidates have the same name"),
    ],
)
def test_malformed_files_are_refused_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        read_blt(text)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters='\n\r"\\'), min_size=1, max_size=12
).filter(lambda s: s.strip() == s and s != "")


@st.composite
def elections(draw: st.DrawFn) -> Election:
    candidates = draw(st.lists(names, min_size=1, max_size=8, unique=True))
    n = len(candidates)
    seats = draw(st.integers(1, n))
    ballots = draw(
        st.lists(
            st.tuples(
                st.permutations(range(n)).flatmap(
                    lambda p: st.integers(0, len(p)).map(lambda k: tuple(p[:k]))
                ),
                st.integers(0, 50),
            ),
            max_size=20,
        )
    )
    withdrawn = draw(st.sets(st.integers(0, n - 1), max_size=n - 1))
    title = draw(
        st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), max_size=20)
    )
    return make_election(
        candidates=candidates, seats=seats, ballots=ballots, title=title, withdrawn=withdrawn
    )


@given(elections())
def test_writing_then_reading_gives_back_the_same_election(election: Election) -> None:
    assert read_blt(write_blt(election)) == election


@given(elections(), st.randoms())
def test_the_order_of_ballot_lines_does_not_matter(election: Election, rng: object) -> None:
    lines = write_blt(election).split("\n")
    header_end = 1 + bool(election.withdrawn)
    ballots_end = lines.index("0", header_end)
    body = lines[header_end:ballots_end]
    rng.shuffle(body)  # type: ignore[attr-defined]
    shuffled = "\n".join([*lines[:header_end], *body, *lines[ballots_end:]])
    assert read_blt(shuffled) == election


def test_the_copy_of_the_oracles_matches_the_shared_one_where_it_exists() -> None:
    shared = Path(__file__).resolve().parents[4] / "shared" / "oracles" / "stv"
    if not shared.exists():
        pytest.skip(
            "no ../shared/oracles here (a clean clone): the copy in tests/core/data is used"
        )
    for path in shared.rglob("*"):
        if path.is_file():
            copy = ORACLES / path.relative_to(shared)
            assert copy.read_bytes() == path.read_bytes(), f"{copy} differs from {path}"


# The fast path (consejo.core.counting.blt._plain_ballots) against the plain reading of every line:
# the same election, or the same error naming the same line, whatever the ballot lines hold.
def _outcome(text: str, *, fast: bool) -> Election | str:
    try:
        return _read(text, fast=fast)
    except InvalidInput as error:
        return str(error)


tokens = st.one_of(
    st.integers(0, 9).map(str),
    st.sampled_from(["01", "1=2", "(7)", "#", "x", "256", "255", "-1", "٣"]),
)
gaps = st.sampled_from([" "] * 6 + ["  ", "\t", "\xa0"])


@st.composite
def ballot_lines(draw: st.DrawFn, n: int, kinds: tuple[str, ...]) -> str:
    kind = draw(st.sampled_from(kinds))
    if kind == "blank":
        return draw(st.sampled_from(["", " ", "# a comment", " 0", "0 ", "\t"]))
    ranking = draw(st.permutations(range(1, n + 1)))[: draw(st.integers(0, n))]
    weight = draw(st.integers(0, 300)) if kind == "weighted" else 1
    words = [str(weight), *map(str, ranking), "0"]
    if kind == "odd":
        words.insert(draw(st.integers(0, len(words))), draw(tokens))
        if draw(st.booleans()):
            words.pop(draw(st.integers(0, len(words) - 1)))
    joined = ""
    for index, word in enumerate(words):
        joined += (draw(gaps) if index else "") + word
    return draw(st.sampled_from(["", " "])) + joined + draw(st.sampled_from(["", "", " "]))


@st.composite
def blt_files(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 6))
    plain = draw(st.booleans())  # only plain lines, mostly: the fast path's own files
    kinds = ("plain", "weighted") if plain else ("plain", "plain", "weighted", "odd", "blank")
    body = draw(st.lists(ballot_lines(n, kinds), max_size=30))
    if plain:
        body = [" ".join(line.split()) for line in body]
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    ending = ["0"] if draw(st.booleans()) or plain else []
    names = [f'"C{c}"' for c in range(n)]
    return newline.join([f"{n} 1", *body, *ending, *names, '"T"']) + newline


@given(blt_files())
def test_the_fast_path_reads_every_file_as_the_reference_does(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


@pytest.mark.parametrize("n", [20, 255, 256, 300])
def test_a_large_random_file_reads_fast_and_as_the_reference_does(n: int) -> None:
    rng = random.Random(n)
    body = [
        " ".join(["1", *(str(c + 1) for c in rng.sample(range(n), rng.randint(0, 10))), "0"])
        for _ in range(3000)
    ]
    body += body[:500]  # identical lines
    text = "\n".join([f"{n} 5", *body, "0", *(f'"C{c}"' for c in range(n)), '"T"', ""])
    lines = text.split("\n")
    assert (_plain_ballots(lines, 1, n) is not None) == (n <= 255)
    election = read_blt(text)
    assert election == _read(text, fast=False)
    assert read_blt(write_blt(election)) == election
    # Weights above 255 (here the blank ballots, grouped) leave the fast path, as other oddities do.
    assert _plain_ballots(write_blt(election).split("\n"), 1, n) is None
