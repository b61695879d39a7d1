"""Sealed ballots' speed: a whole secret vote, sealed, mixed, decrypted by k of n trustees and
counted, on one core.

Run: ``.venv/bin/python benchmarks/sealed_pipeline.py [--ballots 10000] [--candidates 10]``.
Figures: docs/elections.md ("How fast").

The ballots are random rankings of a random length (1 to every candidate), seeded. In order, as
the server and the trustees do them (one process, one core, so the figure is the honest sum of
all the work, wherever it would run):

1. **seal**: each ballot's vector encrypted to the election key (what ``ballot_cast`` does);
2. **pack**: the box's ciphertexts packed, a few candidates to one (public, deterministic);
3. **mix**: every packed ciphertext re-encrypted and the list shuffled;
4. **partial decryptions**: each of k trustees decrypts its part with one batched proof (on the
   trustee's own device in real life);
5. **check**: the server checks every trustee's proof;
6. **combine**: the k partial decryptions combined, the plaintexts read from the table;
7. **count**: the rankings counted by Scottish STV (consejo.core.counting).

Casting one sealed ballot is timed apart, as the median of 200.

In the same run, the **peer**: the same ballots opened the way Helios and Belenios open theirs,
one Chaum–Pedersen proof per ciphertext and no packing (every one of the 100,000 ciphertexts
mixed, decrypted by each trustee with its own proof, each proof checked, each combined), on the
same group and library, timed on ``--peer-sample`` ballots and scaled to the whole box.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from importlib.metadata import version
from typing import Any, TypeVar

from consejo.core.counting.ballots import make_election
from consejo.core.counting.methods import count
from consejo.core.sealed import ballots, dkg, group, mix, proofs
from consejo.core.sealed.elgamal import Multiples

T = TypeVar("T")


def timed(label: str, work: Callable[[], T], figures: dict[str, float]) -> T:
    start = time.perf_counter()
    out = work()
    figures[label] = time.perf_counter() - start
    print(f"  {label:<28} {figures[label]:8.2f} s", flush=True)
    return out


def ceremony(context: bytes, n: int, k: int) -> tuple[dict[int, bytes], dict[int, bytes], bytes]:
    import os

    secrets = {i: dkg.derive(context, i, k, os.urandom(32)) for i in range(1, n + 1)}
    commitments = {i: dkg.commit(context, s) for i, s in secrets.items()}
    keys = {i: c.communication_key for i, c in commitments.items()}
    sealed = {i: dkg.seal_shares(context, s, keys) for i, s in secrets.items()}
    shares, vkeys = {}, {}
    for j, s in secrets.items():
        share, bad = dkg.open_shares(
            context, s, commitments, {i: sealed[i][j] for i in sealed if i != j}
        )
        assert not bad
        shares[j], vkeys[j] = share, dkg.verification_key(commitments, j)
    return shares, vkeys, dkg.election_key(commitments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=10_000)
    parser.add_argument("--candidates", type=int, default=10)
    parser.add_argument("--trustees", type=int, default=5)
    parser.add_argument("--threshold", type=int, default=3)
    parser.add_argument("--seats", type=int, default=3)
    parser.add_argument("--peer-sample", type=int, default=500)
    options = parser.parse_args()
    rng = random.Random(2005)
    width = options.candidates
    context = b"benchmark-box"
    print(
        f"sealed pipeline: {options.ballots} ballots, {width} candidates, "
        f"{options.threshold} of {options.trustees} trustees; Python {platform.python_version()}, "
        f"rbcl {version('rbcl')}, {platform.processor() or platform.machine()}"
    )
    shares, vkeys, key = ceremony(context, options.trustees, options.threshold)
    shape = ballots.layout(width, ranked=True)
    figures: dict[str, float] = {}
    table = timed("table of multiples", lambda: Multiples(shape.table_size), figures)
    small = Multiples(width + 1)
    rankings = []
    for _ in range(options.ballots):
        order = list(range(width))
        rng.shuffle(order)
        rankings.append(tuple(order[: rng.randint(1, width)]))

    casts = []
    for ranking in rankings[:200]:
        start = time.perf_counter()
        ballots.encode(ballots.seal(key, ballots.ranks_of(ranking, width, ranked=True), small))
        casts.append(time.perf_counter() - start)

    total_start = time.perf_counter()
    box = timed(
        "seal",
        lambda: [
            ballots.seal(key, ballots.ranks_of(r, width, ranked=True), small) for r in rankings
        ],
        figures,
    )
    packed = timed("pack", lambda: [ballots.pack(v, shape) for v in box], figures)
    mixed = timed("mix", lambda: mix.shuffle(key, packed), figures)
    flat = [c for b in mixed for c in b]
    chosen = sorted(rng.sample(sorted(shares), options.threshold))
    partials = timed(
        f"partial decryptions ({len(chosen)})",
        lambda: {i: dkg.partial_decrypt(context, i, shares[i], flat) for i in chosen},
        figures,
    )
    ok = timed(
        "check the proofs",
        lambda: all(dkg.check_partial(context, i, vkeys[i], flat, *partials[i]) for i in chosen),
        figures,
    )
    assert ok

    def combine() -> list[tuple[int, ...]]:
        points = dkg.combine(flat, {i: partials[i][0] for i in chosen})
        values = ballots.read_plaintexts(points, table)
        per = len(shape.groups)
        return [
            ballots.choices_of(ballots.unpack(values[b * per : (b + 1) * per], shape), ranked=True)
            for b in range(len(mixed))
        ]

    opened = timed("combine and read", combine, figures)
    assert Counter(opened) == Counter(rankings)
    names = [f"C{c}" for c in range(width)]
    grouped = Counter(opened)
    election = make_election(
        title="benchmark", candidates=names, seats=options.seats, ballots=list(grouped.items())
    )
    timed("count (Scottish STV)", lambda: count("scottish-stv", election, seed=1), figures)
    total = time.perf_counter() - total_start
    print(f"  {'total':<28} {total:8.2f} s")
    print(f"  casting one sealed ballot (median of 200): {statistics.median(casts) * 1000:.2f} ms")
    n = len(flat)
    print("per operation:")
    for label, work in (
        ("scalar multiplication k·P", lambda: group.mul(shares[chosen[0]], key)),
        ("scalar multiplication k·B", lambda: group.base_mul(shares[chosen[0]])),
        ("point addition", lambda: group.add(key, key)),
        (
            "Schnorr proof check",
            lambda: proofs.check_key(b"x", key, proofs.prove_key(b"x", shares[chosen[0]])),
        ),
    ):
        start = time.perf_counter()
        for _ in range(2000):
            work()
        print(f"  {label:<28} {(time.perf_counter() - start) / 2000 * 1e6:8.1f} µs")
    print(f"  ({n} packed ciphertexts decrypted, {len(box) * width} sealed)")
    peer(context, key, shares, vkeys, chosen, box[: options.peer_sample], len(box), small)


def peer(
    context: bytes,
    key: bytes,
    shares: dict[int, bytes],
    vkeys: dict[int, bytes],
    chosen: list[int],
    sample: list[list[Any]],
    total: int,
    table: Multiples,
) -> None:
    """One proof per ciphertext and no packing (as Helios and Belenios decrypt), on a sample."""
    scale = total / len(sample)
    start = time.perf_counter()
    mixed = mix.shuffle(key, sample)
    flat = [c for b in mixed for c in b]
    partials: dict[int, list[bytes]] = {}
    for i in chosen:
        images = []
        for c in flat:
            d = group.mul(shares[i], c.a)
            w = group.random_scalar()
            challenge = group.hash_to_scalar(
                b"peer", context, vkeys[i], c.a, d, group.base_mul(w), group.mul(w, c.a)
            )
            r = group.scalar_add(w, group.scalar_mul(challenge, shares[i]))
            # The server checks the proof: T1 = r·B − c·Y, T2 = r·a − c·D hash back to c.
            t1 = group.sub(group.base_mul(r), group.mul(challenge, vkeys[i]))
            t2 = group.sub(group.mul(r, c.a), group.mul(challenge, d))
            assert group.hash_to_scalar(b"peer", context, vkeys[i], c.a, d, t1, t2) == challenge
            images.append(d)
        partials[i] = images
    points = dkg.combine(flat, partials)
    assert all(table.log(p) is not None for p in points)
    elapsed = time.perf_counter() - start
    print(
        f"peer (one proof per ciphertext, no packing): {elapsed:.2f} s for {len(sample)} ballots, "
        f"{elapsed * scale:.1f} s scaled to {total}"
    )


if __name__ == "__main__":
    main()
