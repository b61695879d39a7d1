"""The prime-order group ristretto255 (RFC 9496), through libsodium.

A point is its canonical 32-byte encoding; a scalar is 32 bytes, little-endian, reduced modulo
the group order ``ORDER`` (RFC 9496 §4.4). Every point that comes from outside (an upload, a
file) goes through :func:`point`, which refuses what is not a canonical encoding; the identity is
refused where a protocol step could be cheated with it (a key, a commitment, a share).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import rbcl

from consejo.core.errors import InvalidInput, gettext_noop

#: The order ℓ of the group: 2^252 + 27742317777372353535851937790883648493 (RFC 9496 §4.1).
ORDER = 2**252 + 27742317777372353535851937790883648493
POINT_BYTES = 32
SCALAR_BYTES = 32
IDENTITY = bytes(32)

Point = bytes
Scalar = bytes


def scalar(value: int) -> Scalar:
    """The scalar ``value`` mod ℓ, as 32 little-endian bytes."""
    return (value % ORDER).to_bytes(SCALAR_BYTES, "little")


def scalar_int(value: Scalar) -> int:
    """The integer of a scalar's encoding (0 ≤ n < ℓ once read by :func:`read_scalar`)."""
    return int.from_bytes(value, "little")


def read_scalar(data: bytes) -> Scalar:
    """A scalar read from outside: 32 bytes, canonical (less than ℓ), as RFC 9496 §4.4 asks."""
    if len(data) != SCALAR_BYTES or scalar_int(data) >= ORDER:
        raise InvalidInput.of(gettext_noop("not a scalar of the group"))
    return bytes(data)


def point(data: bytes, *, identity: bool = False) -> Point:
    """A point read from outside: a canonical ristretto255 encoding (RFC 9496 §4.3.1).

    Rule: non-canonical encodings, and encodings of no point, are refused, as the RFC's decoding
    function refuses them; the identity too unless ``identity`` (a public key or a share equal to
    the identity would let its owner cheat).
    """
    data = bytes(data)
    if len(data) != POINT_BYTES or not rbcl.crypto_core_ristretto255_is_valid_point(data):
        raise InvalidInput.of(gettext_noop("not a point of the group"))
    if data == IDENTITY and not identity:
        raise InvalidInput.of(gettext_noop("the identity is not allowed here"))
    return data


def base_mul(k: Scalar) -> Point:
    """k·B, B the generator (libsodium's scalarmult_ristretto255_base; 0·B is the identity)."""
    return bytes(rbcl.crypto_scalarmult_ristretto255_base_allow_scalar_zero(k))


def mul(k: Scalar, p: Point) -> Point:
    """k·P (libsodium's crypto_scalarmult_ristretto255; 0·P and k·identity are the identity)."""
    return bytes(rbcl.crypto_scalarmult_ristretto255_allow_scalar_zero(k, p))


def add(p: Point, q: Point) -> Point:
    """P + Q."""
    return bytes(rbcl.crypto_core_ristretto255_add(p, q))


def sub(p: Point, q: Point) -> Point:
    """P − Q."""
    return bytes(rbcl.crypto_core_ristretto255_sub(p, q))


def total(points: Iterable[Point]) -> Point:
    """The sum of ``points`` (the identity for none)."""
    out = IDENTITY
    for p in points:
        out = add(out, p)
    return out


def random_scalar() -> Scalar:
    """A uniformly random non-zero scalar from libsodium's generator (randombytes)."""
    return bytes(rbcl.crypto_core_ristretto255_scalar_random())


def scalar_add(x: Scalar, y: Scalar) -> Scalar:
    return bytes(rbcl.crypto_core_ristretto255_scalar_add(x, y))


def scalar_sub(x: Scalar, y: Scalar) -> Scalar:
    return bytes(rbcl.crypto_core_ristretto255_scalar_sub(x, y))


def scalar_mul(x: Scalar, y: Scalar) -> Scalar:
    return bytes(rbcl.crypto_core_ristretto255_scalar_mul(x, y))


def hash_to_scalar(*parts: bytes) -> Scalar:
    """A scalar from SHA-512 of ``parts``, each prefixed by its length (so that no two lists of
    parts hash alike), reduced mod ℓ: the wide reduction of RFC 9496 §4.4 keeps it uniform."""
    digest = hashlib.sha512()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return bytes(rbcl.crypto_core_ristretto255_scalar_reduce(digest.digest()))


def hash_to_point(data: bytes) -> Point:
    """The point of a 64-byte uniform string (RFC 9496 §4.3.4, libsodium's from_hash)."""
    if len(data) != 64:
        raise ValueError("hash_to_point takes 64 bytes")
    return bytes(rbcl.crypto_core_ristretto255_from_hash(data))


#: B, the generator, as RFC 9496 Appendix A.1 encodes it.
GENERATOR = base_mul(scalar(1))
