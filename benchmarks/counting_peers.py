"""STV counting speed: consejo against pyrankvote and votekit, in the same run, on the same ballots.

Run: ``make bench`` (it runs this after the pytest benchmarks), or, once ``make bench`` has made
the peers' venv, ``.venv/bench/bin/python benchmarks/counting_peers.py [--sizes 10000,100000]``.
Figures: docs/benchmarks.md.

The ballots are random and seeded: 20 candidates, 5 seats, each ballot ranking from 1 to 10 of
them, weight 1 a line. They are written to a BLT file once. For each system the script times
separately *loading* (turning the ballots into the system's own objects) and *counting*:

- consejo: loading is reading the BLT file and ``read_blt`` (text to grouped ballots); counting
  is ``count_scottish_stv`` and, on the same election, ``count_meek_stv``.
- pyrankvote 2.0.6 has no BLT reader: loading is building its ``Ballot`` objects from the ballots
  as Python lists (as parsed by the generator); counting is ``single_transferable_vote``.
- votekit 3.5 has no BLT reader either (its ``load_scottish`` reads a CSV layout): loading is
  building one ``RankBallot`` a voter from the same lists and a ``RankProfile``; counting is
  ``FastSTV`` (the election runs when it is built).

Each time is the best of ``--repeat`` runs (3; one when a run takes over 10 s): the machine is
shared, and the best run is the one least disturbed. A peer is skipped at a size where its time
at the size before, scaled by the number of ballots, says it would take longer than ``--limit``
seconds. The elected sets are compared and reported, not asserted: STV variants (Scottish, Meek,
pyrankvote's and votekit's transfers) may differ.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

CANDIDATES = 20
SEATS = 5
SEED = 2007


def random_ballots(count: int, *, seed: int = SEED) -> list[list[int]]:
    """``count`` rankings of 1 to 10 of the candidates (0-based indexes), seeded."""
    rng = random.Random(seed)
    return [rng.sample(range(CANDIDATES), rng.randint(1, 10)) for _ in range(count)]


def names() -> list[str]:
    return [f"Candidate {c + 1:02d}" for c in range(CANDIDATES)]


def blt_text(ballots: list[list[int]]) -> str:
    """The ballots as a BLT file, one line a ballot with weight 1, as a count would receive it."""
    lines = [f"{CANDIDATES} {SEATS}"]
    lines.extend("1 " + " ".join(str(c + 1) for c in ranking) + " 0" for ranking in ballots)
    lines.append("0")
    lines.extend(f'"{name}"' for name in names())
    lines.append('"Random ballots"')
    return "\n".join(lines) + "\n"


@dataclass
class Timing:
    system: str
    load: float
    count: float
    elected: frozenset[str]

    @property
    def total(self) -> float:
        return self.load + self.count


REPEAT = 3


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """The best of ``REPEAT`` runs of ``call`` (one only if it takes over 10 s), and its value."""
    best = float("inf")
    for _ in range(REPEAT):
        value = None
        gc.collect()
        start = time.perf_counter()
        value = call()
        best = min(best, time.perf_counter() - start)
        if best > 10:
            break
    return best, value


def run_consejo(path: Path) -> list[Timing]:
    from consejo.core.counting.blt import read_blt
    from consejo.core.counting.stv_meek import count_meek_stv
    from consejo.core.counting.stv_scottish import count_scottish_stv

    load, election = _timed(lambda: read_blt(path.read_text(encoding="utf-8")))
    timings = []
    for system, count in (
        ("consejo Scottish STV", count_scottish_stv),
        ("consejo Meek STV", count_meek_stv),
    ):
        seconds, result = _timed(lambda count=count: count(election))
        timings.append(Timing(system, load, seconds, frozenset(result.elected)))
    return timings


def run_pyrankvote(ballots: list[list[int]]) -> Timing:
    import pyrankvote

    candidates = [pyrankvote.Candidate(name) for name in names()]

    def load() -> list[pyrankvote.Ballot]:
        return [pyrankvote.Ballot(ranked_candidates=[candidates[c] for c in b]) for b in ballots]

    load_s, objects = _timed(load)
    count_s, result = _timed(
        lambda: pyrankvote.single_transferable_vote(candidates, objects, number_of_seats=SEATS)
    )
    elected = frozenset(candidate.name for candidate in result.get_winners())
    return Timing("pyrankvote STV", load_s, count_s, elected)


def run_votekit(ballots: list[list[int]]) -> Timing:
    from votekit.ballot import RankBallot
    from votekit.elections import FastSTV
    from votekit.pref_profile import RankProfile

    candidate_names = names()
    singletons = [frozenset({name}) for name in candidate_names]

    def load() -> RankProfile:
        objects = [RankBallot(ranking=tuple(singletons[c] for c in b)) for b in ballots]
        return RankProfile(ballots=objects, candidates=candidate_names)

    load_s, profile = _timed(load)
    # tiebreak "random" (seeded) only so that an exact tie cannot stop the run.
    count_s, election = _timed(
        lambda: FastSTV(profile, n_seats=SEATS, tiebreak="random", rng_seed=SEED)
    )
    elected = frozenset().union(*election.get_elected())
    return Timing("votekit FastSTV", load_s, count_s, elected)


def main() -> None:
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds a peer may take")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="best of how many runs")
    args = parser.parse_args()
    REPEAT = args.repeat
    sizes = [int(size) for size in args.sizes.split(",")]

    print(
        f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.machine()}, consejo {version('consejo')}, pyrankvote {version('pyrankvote')}, "
        f"votekit {version('votekit')}"
    )
    print(f"# {CANDIDATES} candidates, {SEATS} seats, 1-10 ranked a ballot, seed {SEED}\n")
    runners: dict[str, Callable[[list[list[int]]], Timing]] = {
        "pyrankvote STV": run_pyrankvote,
        "votekit FastSTV": run_votekit,
    }
    previous: dict[str, tuple[int, float]] = {}
    header = (
        f"| {'ballots':>9} | {'system':<20} | {'load s':>7} | {'count s':>7} | {'total s':>7} "
        f"| {'load x':>6} | {'count x':>7} | {'total x':>7} | same elected |"
    )
    rows = [header, "|" + "|".join("-" * len(cell) for cell in header.split("|")[1:-1]) + "|"]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            ballots = random_ballots(size)
            path = Path(folder) / f"random-{size}.blt"
            path.write_text(blt_text(ballots), encoding="utf-8")
            timings = run_consejo(path)
            for system, runner in runners.items():
                if system in previous:
                    done, seconds = previous[system]
                    if seconds * size / done > args.limit:
                        print(f"{system} skipped at {size:,}: about {seconds * size / done:.0f} s")
                        continue
                timing = runner(ballots)
                previous[system] = (size, timing.total)
                timings.append(timing)
            reference = timings[0]
            for timing in timings:
                same = "yes" if timing.elected == reference.elected else "no"
                rows.append(
                    f"| {size:>9,} | {timing.system:<20} | {timing.load:7.3f} | "
                    f"{timing.count:7.3f} | {timing.total:7.3f} | "
                    f"{timing.load / reference.load:6.1f} | {timing.count / reference.count:7.1f} "
                    f"| {timing.total / reference.total:7.1f} | {same:<12} |"
                )
                print(rows[-1], flush=True)
                if same == "no":
                    print(f"    {timing.system}: {sorted(timing.elected)}")
                    print(f"    {reference.system}: {sorted(reference.elected)}")
    print("\nx = the system's time / consejo Scottish STV's (load: read_blt of the BLT file).\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
