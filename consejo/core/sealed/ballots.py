"""A ballot as a fixed-length vector of sealed numbers, and how the box is read back.

Rule: one ciphertext per candidate, in the order of the ballot paper, holding that candidate's
rank (1 for the first preference, 0 when not ranked) or its mark (1 or 0), so that every ballot
of a box has the same size whatever it says (a ballot's length would tell how many preferences
it gave). Before decryption the box's ciphertexts are packed, publicly and deterministically, a
few candidates to one ciphertext (Σ_t base^t·E_t holds Σ_t base^t·rank_t): the trustees then
decrypt a fraction of the ciphertexts, each read back from a table of at most ``MAX_TABLE``
multiples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed import elgamal
from consejo.core.sealed.elgamal import Ciphertext, Multiples
from consejo.core.sealed.group import Point

#: The largest table of multiples a count builds (m·B for m below it): 2^18 additions, ~4 s.
MAX_TABLE = 2**18
#: The most candidates a sealed ballot holds.
MAX_WIDTH = 200


def ranks_of(choices: Sequence[int], width: int, *, ranked: bool) -> list[int]:
    """The vector of a ballot: ``choices`` are positions on the ballot paper (0-based), in the
    voter's order; a ranked ballot gives position p the rank of p, a marked one gives 1."""
    ranks = [0] * width
    for order, position in enumerate(choices, start=1):
        ranks[position] = order if ranked else 1
    return ranks


def choices_of(ranks: Sequence[int], *, ranked: bool) -> tuple[int, ...]:
    """The positions chosen, in the voter's order: the inverse of :func:`ranks_of`.

    Rule: a valid vector's ranks are 1, 2, … without gaps or repeats (marks: 0 or 1); anything
    else is refused, since the server sealed only valid ballots and trustees cannot change one
    without their proofs failing.
    """
    if not ranked:
        if any(r not in (0, 1) for r in ranks):
            raise InvalidInput.of(gettext_noop("a sealed ballot holds a mark other than 0 or 1"))
        return tuple(p for p, r in enumerate(ranks) if r)
    given = sorted((r, p) for p, r in enumerate(ranks) if r)
    if [r for r, _ in given] != list(range(1, len(given) + 1)):
        raise InvalidInput.of(gettext_noop("a sealed ballot's ranks are not 1, 2, 3…"))
    return tuple(p for _, p in given)


@dataclass(frozen=True)
class Layout:
    """How a box's vectors are packed: ``groups`` consecutive runs of candidates, ``base`` one
    more than the largest value a candidate's ciphertext can hold."""

    width: int
    base: int
    groups: tuple[int, ...]

    @property
    def table_size(self) -> int:
        return int(self.base ** max(self.groups))


def layout(width: int, *, ranked: bool, max_table: int = MAX_TABLE) -> Layout:
    """The packing of a ballot of ``width`` candidates: as few packed ciphertexts as a table of
    ``max_table`` multiples allows, the candidates split among them as evenly as possible."""
    if not 1 <= width <= MAX_WIDTH:
        raise InvalidInput.of(
            gettext_noop("a sealed ballot holds from 1 to %(most)d candidates"), most=MAX_WIDTH
        )
    base = width + 1 if ranked else 2
    per = 1
    while per < width and base ** (per + 1) <= max_table:
        per += 1
    count = -(-width // per)
    small, extra = divmod(width, count)
    return Layout(width, base, tuple(small + 1 if g < extra else small for g in range(count)))


def pack(vector: Sequence[Ciphertext], shape: Layout) -> list[Ciphertext]:
    """The packed ciphertexts of one ballot: Σ_t base^t·E_t over each group."""
    if len(vector) != shape.width:
        raise InvalidInput.of(gettext_noop("a sealed ballot holds %(n)d values"), n=shape.width)
    out = []
    start = 0
    for size in shape.groups:
        packed = vector[start]
        for t in range(1, size):
            packed = elgamal.combine(packed, elgamal.times(shape.base**t, vector[start + t]))
        out.append(packed)
        start += size
    return out


def unpack(values: Sequence[int], shape: Layout) -> list[int]:
    """The ranks of one ballot from its packed plaintexts (the inverse of :func:`pack`)."""
    ranks: list[int] = []
    for size, value in zip(shape.groups, values, strict=True):
        for _ in range(size):
            value, rank = divmod(value, shape.base)
            ranks.append(rank)
        if value:
            raise InvalidInput.of(gettext_noop("a packed value is out of range"))
    return ranks


def read_plaintexts(points: Sequence[Point], table: Multiples) -> list[int]:
    """The packed plaintexts m with m·B = point; refused when one is not in the table."""
    out = []
    for p in points:
        m = table.log(p)
        if m is None:
            raise InvalidInput.of(gettext_noop("a decrypted value is out of range"))
        out.append(m)
    return out


def encode(vector: Sequence[Ciphertext]) -> bytes:
    return b"".join(c.encode() for c in vector)


def decode(data: bytes, width: int) -> list[Ciphertext]:
    """A sealed ballot of ``width`` ciphertexts read from its bytes (each point checked)."""
    size = elgamal.CIPHERTEXT_BYTES
    if len(data) != width * size:
        raise InvalidInput.of(gettext_noop("a sealed ballot holds %(n)d values"), n=width)
    return [Ciphertext.decode(data[i : i + size]) for i in range(0, len(data), size)]


def tracker(sealed: bytes) -> str:
    """A sealed ballot's tracker: the SHA-256 of its bytes, in hexadecimal; the voter sees it
    on the confirmation page and finds it in the published list of sealed ballots."""
    return hashlib.sha256(sealed).hexdigest()


def box_digest(sealed: Sequence[bytes]) -> str:
    """The SHA-256 of the box: the number of ballots, then every sealed ballot's tracker in
    sorted order (sorted, so that the digest says nothing of the order of voting)."""
    digest = hashlib.sha256(len(sealed).to_bytes(8, "big"))
    for t in sorted(tracker(s) for s in sealed):
        digest.update(bytes.fromhex(t))
    return digest.hexdigest()


def seal(key: Point, ranks: Sequence[int], table: Multiples) -> list[Ciphertext]:
    """Seal a ballot's vector to the election key, each value with fresh randomness."""
    return [elgamal.encrypt(key, r, table) for r in ranks]
