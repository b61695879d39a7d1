"""Zero-knowledge proofs made non-interactive by Fiat–Shamir (1986): Schnorr's proof of
knowledge of a secret key and Chaum–Pedersen's proof that two logarithms are equal, batched.

Every challenge hashes a ``context`` (the box's reference: a proof made for one election is
worthless in another) and every public value the proof speaks of, as the strong Fiat–Shamir
transform asks (Bernhard, Pereira and Warinschi 2012, "How not to prove yourself": Helios
leaked votes by leaving the statement out of its hashes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed import group
from consejo.core.sealed.group import Point, Scalar

PROOF_BYTES = 2 * group.SCALAR_BYTES


class Proof(NamedTuple):
    """A challenge c and a response r."""

    c: Scalar
    r: Scalar

    def encode(self) -> bytes:
        return self.c + self.r

    @classmethod
    def decode(cls, data: bytes) -> Proof:
        if len(data) != PROOF_BYTES:
            raise InvalidInput.of(gettext_noop("a proof is 64 bytes"))
        return cls(group.read_scalar(data[:32]), group.read_scalar(data[32:]))


def prove_key(context: bytes, secret: Scalar) -> Proof:
    """Prove knowledge of x with X = x·B (Schnorr 1991, "Efficient signature generation by smart
    cards"): T = w·B, c = H(context, X, T), r = w + c·x."""
    public = group.base_mul(secret)
    w = group.random_scalar()
    c = group.hash_to_scalar(b"consejo/key", context, public, group.base_mul(w))
    return Proof(c, group.scalar_add(w, group.scalar_mul(c, secret)))


def check_key(context: bytes, public: Point, proof: Proof) -> bool:
    """Whether ``proof`` shows knowledge of log_B(public): T = r·B − c·X hashes back to c."""
    t = group.sub(group.base_mul(proof.r), group.mul(proof.c, public))
    return group.hash_to_scalar(b"consejo/key", context, public, t) == proof.c


def weights(
    context: bytes, public: Point, bases: Sequence[Point], images: Sequence[Point]
) -> list[Scalar]:
    """The random weights z_j of a batched proof, derived from everything it covers.

    Rule: as RFC 9497 §2.2.1 (ComputeComposites) batches its DLEQ proofs, the weights hash every
    base and every image, so that a prover cannot choose wrong images whose errors cancel out.
    """
    digest = hashlib.sha512(b"consejo/weights")
    for part in (context, public, len(bases).to_bytes(8, "little")):
        digest.update(len(part).to_bytes(8, "little") + part)
    for p in bases:
        digest.update(p)
    for p in images:
        digest.update(p)
    seed = digest.digest()
    return [group.hash_to_scalar(seed, j.to_bytes(8, "little")) for j in range(len(bases))]


def composite(zs: Sequence[Scalar], points: Sequence[Point]) -> Point:
    """Σ z_j·P_j."""
    out = group.IDENTITY
    for z, p in zip(zs, points, strict=True):
        out = group.add(out, group.mul(z, p))
    return out


def prove_equal_logs(
    context: bytes, secret: Scalar, bases: Sequence[Point], images: Sequence[Point]
) -> Proof:
    """Prove that images[j] = s·bases[j] for every j, where Y = s·B (Chaum and Pedersen 1992,
    "Wallet databases with observers"), in one proof over the weighted sums C = Σ z_j·A_j and
    E = Σ z_j·D_j: T₁ = w·B, T₂ = w·C, c = H(context, Y, C, E, T₁, T₂), r = w + c·s."""
    public = group.base_mul(secret)
    zs = weights(context, public, bases, images)
    c_point = composite(zs, bases)
    e_point = group.mul(secret, c_point)
    w = group.random_scalar()
    c = group.hash_to_scalar(
        b"consejo/dleq", context, public, c_point, e_point, group.base_mul(w), group.mul(w, c_point)
    )
    return Proof(c, group.scalar_add(w, group.scalar_mul(c, secret)))


def check_equal_logs(
    context: bytes, public: Point, bases: Sequence[Point], images: Sequence[Point], proof: Proof
) -> bool:
    """Whether ``proof`` shows images[j] = s·bases[j] for all j with public = s·B."""
    if len(bases) != len(images) or not bases:
        return False
    zs = weights(context, public, bases, images)
    c_point = composite(zs, bases)
    e_point = composite(zs, images)
    t1 = group.sub(group.base_mul(proof.r), group.mul(proof.c, public))
    t2 = group.sub(group.mul(proof.r, c_point), group.mul(proof.c, e_point))
    return (
        group.hash_to_scalar(b"consejo/dleq", context, public, c_point, e_point, t1, t2) == proof.c
    )
