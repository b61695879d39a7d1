"""STV counting speed: consejo's BLT reader, Scottish and Meek STV against pyrankvote's STV and
votekit's FastSTV, in the same run, on the same random ballots (benchmarks/counting_peers.py makes
them; it also prints the 1M-ballot table with the ratios). Run: ``make bench``. Figures:
docs/benchmarks.md."""

from __future__ import annotations

from functools import cache

import pytest

from benchmarks.counting_peers import SEATS, SEED, blt_text, names, random_ballots
from consejo.core.counting.ballots import Election
from consejo.core.counting.blt import read_blt
from consejo.core.counting.stv_meek import count_meek_stv
from consejo.core.counting.stv_scottish import count_scottish_stv

SIZES = [10_000, 100_000]


@cache
def ballots(size: int) -> list[list[int]]:
    return random_ballots(size)


@cache
def text(size: int) -> str:
    return blt_text(ballots(size))


@cache
def election(size: int) -> Election:
    return read_blt(text(size))


@pytest.mark.parametrize("size", SIZES)
def test_consejo_reads_blt(benchmark, size: int) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = f"load-{size}"
    result = benchmark.pedantic(read_blt, args=(text(size),), rounds=3, iterations=1)
    assert result.total_weight == size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("count", [count_scottish_stv, count_meek_stv], ids=["scottish", "meek"])
def test_consejo_counts(benchmark, count, size: int) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = f"count-{size}"
    result = benchmark.pedantic(count, args=(election(size),), rounds=3, iterations=1)
    assert len(result.elected) == SEATS


@pytest.mark.parametrize("size", SIZES)
def test_pyrankvote(benchmark, size: int) -> None:  # type: ignore[no-untyped-def]
    import pyrankvote

    candidates = [pyrankvote.Candidate(name) for name in names()]
    objects = [pyrankvote.Ballot([candidates[c] for c in b]) for b in ballots(size)]
    benchmark.group = f"count-{size}"
    result = benchmark.pedantic(
        pyrankvote.single_transferable_vote,
        args=(candidates, objects, SEATS),
        rounds=3,
        iterations=1,
    )
    assert len(result.get_winners()) == SEATS


@pytest.mark.parametrize("size", SIZES)
def test_pyrankvote_loads(benchmark, size: int) -> None:  # type: ignore[no-untyped-def]
    import pyrankvote

    candidates = [pyrankvote.Candidate(name) for name in names()]

    def load() -> list[pyrankvote.Ballot]:
        return [
            pyrankvote.Ballot(ranked_candidates=[candidates[c] for c in b]) for b in ballots(size)
        ]

    benchmark.group = f"load-{size}"
    assert len(benchmark.pedantic(load, rounds=3, iterations=1)) == size


def _votekit_profile(size: int):  # type: ignore[no-untyped-def]
    from votekit.ballot import RankBallot
    from votekit.pref_profile import RankProfile

    singletons = [frozenset({name}) for name in names()]
    objects = [RankBallot(ranking=tuple(singletons[c] for c in b)) for b in ballots(size)]
    return RankProfile(ballots=objects, candidates=names())


@pytest.mark.parametrize("size", SIZES)
def test_votekit_loads(benchmark, size: int) -> None:  # type: ignore[no-untyped-def]
    benchmark.group = f"load-{size}"
    profile = benchmark.pedantic(_votekit_profile, args=(size,), rounds=1, iterations=1)
    assert profile.num_ballots == size


@pytest.mark.parametrize("size", SIZES)
def test_votekit_fast_stv(benchmark, size: int) -> None:  # type: ignore[no-untyped-def]
    from votekit.elections import FastSTV

    profile = _votekit_profile(size)
    benchmark.group = f"count-{size}"
    result = benchmark.pedantic(
        lambda: FastSTV(profile, n_seats=SEATS, tiebreak="random", rng_seed=SEED),
        rounds=3,
        iterations=1,
    )
    assert len(frozenset().union(*result.get_elected())) == SEATS
