"""Exponential ElGamal over ristretto255: a small number m sealed as (r·B, m·B + r·Y).

Rule (ElGamal 1985, "A public key cryptosystem and a signature scheme based on discrete
logarithms"; the exponential variant of Cramer, Gennaro and Schoenmakers 1997, "A secure and
optimally efficient multi-authority election scheme"): putting m in the exponent makes
ciphertexts add up to the sum of their plaintexts and lets anyone re-randomize a ciphertext
without learning or changing m; the price is that m must come from a known small range, read
back from a table of m·B.
"""

from __future__ import annotations

from typing import NamedTuple

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed import group
from consejo.core.sealed.group import Point, Scalar

CIPHERTEXT_BYTES = 2 * group.POINT_BYTES


class Ciphertext(NamedTuple):
    """(a, b) = (r·B, m·B + r·Y)."""

    a: Point
    b: Point

    def encode(self) -> bytes:
        return self.a + self.b

    @classmethod
    def decode(cls, data: bytes) -> Ciphertext:
        """A ciphertext read from outside: two canonical points (b may be the identity)."""
        if len(data) != CIPHERTEXT_BYTES:
            raise InvalidInput.of(gettext_noop("a sealed value is 64 bytes"))
        return cls(group.point(data[:32]), group.point(data[32:], identity=True))


class Multiples:
    """The table m·B for 0 ≤ m < ``size``: how a plaintext is put in and read back.

    Built by repeated addition (one group addition per entry), once per size.
    """

    def __init__(self, size: int) -> None:
        if not 1 <= size <= 2**20:
            raise ValueError("a table of multiples holds 1 to 2^20 entries")
        points = [group.IDENTITY]
        for _ in range(size - 1):
            points.append(group.add(points[-1], group.GENERATOR))
        self.points = points
        self.index = {p: m for m, p in enumerate(points)}

    def __len__(self) -> int:
        return len(self.points)

    def of(self, m: int) -> Point:
        return self.points[m]

    def log(self, p: Point) -> int | None:
        """m with m·B = p, or None when p is outside the table."""
        return self.index.get(p)


def encrypt(key: Point, m: int, table: Multiples, r: Scalar | None = None) -> Ciphertext:
    """Seal m (0 ≤ m < len(table)) to ``key`` with fresh randomness r (or the given one)."""
    if r is None:
        r = group.random_scalar()
    shared = group.mul(r, key)
    b = shared if m == 0 else group.add(table.of(m), shared)
    return Ciphertext(group.base_mul(r), b)


def reencrypt(key: Point, c: Ciphertext, r: Scalar | None = None) -> Ciphertext:
    """The same plaintext under fresh randomness: c + (r·B, r·Y)."""
    if r is None:
        r = group.random_scalar()
    return Ciphertext(group.add(c.a, group.base_mul(r)), group.add(c.b, group.mul(r, key)))


def combine(c: Ciphertext, d: Ciphertext) -> Ciphertext:
    """The ciphertext of the sum of the two plaintexts (componentwise addition)."""
    return Ciphertext(group.add(c.a, d.a), group.add(c.b, d.b))


def times(k: int, c: Ciphertext) -> Ciphertext:
    """The ciphertext of k times the plaintext."""
    s = group.scalar(k)
    return Ciphertext(group.mul(s, c.a), group.mul(s, c.b))


def decrypt(secret: Scalar, c: Ciphertext, table: Multiples) -> int | None:
    """m from the whole secret key (for tests and for a trustee's own checks: the server never
    holds it); None when m·B falls outside the table."""
    return table.log(group.sub(c.b, group.mul(secret, c.a)))
