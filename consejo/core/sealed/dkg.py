"""The election key, made by its trustees together: Pedersen's distributed key generation, and
the threshold decryption it allows.

Rule (Pedersen 1991, "A threshold cryptosystem without a trusted party", with Feldman's
verifiable shares, 1987; the three steps Belenios' threshold mode asks of its trustees):

1. *Commit.* Trustee i draws a polynomial f_i of degree k − 1 and publishes A_il = a_il·B for
   each coefficient, with a proof that it knows a_i0, and a communication key E_i = e_i·B.
2. *Share.* Trustee i sends f_i(j) to each trustee j, sealed with a key only i and j can
   compute (e_i·E_j = e_j·E_i).
3. *Confirm.* Trustee j opens its shares, checks each against the commitments
   (f_i(j)·B = Σ_l j^l·A_il), and proves that it knows s_j = Σ_i f_i(j), whose public key
   Y_j = Σ_i Σ_l j^l·A_il anyone can compute.

The election key is Y = Σ_i A_i0; its secret Σ_i a_i0 is never computed by anyone. Any k
trustees decrypt together: each publishes D_j = s_i·a_j for every ciphertext (a_j, b_j) with
one batched Chaum–Pedersen proof against Y_i, and b_j − Σ λ_i·D_ij = m_j·B, λ_i the Lagrange
coefficients of the k at 0 (Shamir 1979, "How to share a secret"). Fewer than k learn nothing.

A trustee's whole secret is a 32-byte seed (its card): the coefficients and the communication
key are derived from it and the box's context, so that the card alone, with what the box
publishes, gives back the share at the count.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed import group, proofs
from consejo.core.sealed.elgamal import Ciphertext
from consejo.core.sealed.group import Point, Scalar
from consejo.core.sealed.proofs import Proof

SEED_BYTES = 32
#: The most trustees a box may have (a polynomial's degree and the share messages grow with it).
MAX_TRUSTEES = 25


def check_threshold(trustees: int, threshold: int) -> None:
    """Rule: at least three trustees (so that no one and no pair alone holds the count), and
    1 < k ≤ n, so that any k can count and no single trustee can."""
    if not 3 <= trustees <= MAX_TRUSTEES:
        raise InvalidInput.of(
            gettext_noop("a secret vote needs from 3 to %(most)d trustees"), most=MAX_TRUSTEES
        )
    if not 2 <= threshold <= trustees:
        raise InvalidInput.of(
            gettext_noop("the trustees needed to count must be from 2 to %(n)d"), n=trustees
        )


def default_threshold(trustees: int) -> int:
    """A majority of the trustees: n // 2 + 1."""
    return trustees // 2 + 1


def _index(i: int) -> bytes:
    return i.to_bytes(4, "little")


@dataclass(frozen=True)
class TrusteeSecrets:
    """What a trustee's seed gives for one box: the polynomial's coefficients and the
    communication key."""

    index: int
    coefficients: tuple[Scalar, ...]
    communication: Scalar

    def share_for(self, j: int) -> Scalar:
        """f_i(j), by Horner's rule modulo ℓ."""
        value = 0
        for a in reversed(self.coefficients):
            value = (value * j + group.scalar_int(a)) % group.ORDER
        return group.scalar(value)


def derive(context: bytes, index: int, threshold: int, seed: bytes) -> TrusteeSecrets:
    """The trustee's secrets for this box, derived from its seed (each by its own hash)."""
    if len(seed) != SEED_BYTES:
        raise InvalidInput.of(gettext_noop("a trustee's seed is 32 bytes"))
    coefficients = tuple(
        group.hash_to_scalar(b"consejo/coefficient", context, _index(index), _index(n), seed)
        for n in range(threshold)
    )
    communication = group.hash_to_scalar(b"consejo/communication", context, _index(index), seed)
    return TrusteeSecrets(index, coefficients, communication)


@dataclass(frozen=True)
class Commitment:
    """Step 1, published: the communication key, the coefficients' commitments, the proofs."""

    index: int
    communication_key: Point
    coefficients: tuple[Point, ...]
    proof_key: Proof
    proof_communication: Proof

    def encode(self) -> bytes:
        """E_i, then A_i0 … A_i(k−1), then the two proofs."""
        return (
            self.communication_key
            + b"".join(self.coefficients)
            + self.proof_key.encode()
            + self.proof_communication.encode()
        )

    @classmethod
    def decode(cls, index: int, threshold: int, data: bytes) -> Commitment:
        """A commitment read from outside; every point and scalar checked."""
        size = group.POINT_BYTES * (threshold + 1) + 2 * proofs.PROOF_BYTES
        if len(data) != size:
            raise InvalidInput.of(gettext_noop("a commitment is %(n)d bytes"), n=size)
        points = [
            group.point(data[i : i + group.POINT_BYTES])
            for i in range(0, group.POINT_BYTES * (threshold + 1), group.POINT_BYTES)
        ]
        rest = data[group.POINT_BYTES * (threshold + 1) :]
        return cls(
            index,
            points[0],
            tuple(points[1:]),
            Proof.decode(rest[: proofs.PROOF_BYTES]),
            Proof.decode(rest[proofs.PROOF_BYTES :]),
        )


def _step_context(context: bytes, step: bytes, index: int) -> bytes:
    return context + b"/" + step + b"/" + _index(index)


def commit(context: bytes, secrets: TrusteeSecrets) -> Commitment:
    """Step 1: what trustee i publishes."""
    return Commitment(
        index=secrets.index,
        communication_key=group.base_mul(secrets.communication),
        coefficients=tuple(group.base_mul(a) for a in secrets.coefficients),
        proof_key=proofs.prove_key(
            _step_context(context, b"key", secrets.index), secrets.coefficients[0]
        ),
        proof_communication=proofs.prove_key(
            _step_context(context, b"communication", secrets.index), secrets.communication
        ),
    )


def check_commitment(context: bytes, commitment: Commitment, threshold: int) -> None:
    """Refuse a commitment with the wrong number of coefficients or a proof that fails."""
    if len(commitment.coefficients) != threshold:
        raise InvalidInput.of(gettext_noop("a commitment holds %(k)d coefficients"), k=threshold)
    i = commitment.index
    if not proofs.check_key(
        _step_context(context, b"key", i), commitment.coefficients[0], commitment.proof_key
    ) or not proofs.check_key(
        _step_context(context, b"communication", i),
        commitment.communication_key,
        commitment.proof_communication,
    ):
        raise InvalidInput.of(gettext_noop("the commitment's proof does not hold"))


def _pad(context: bytes, sender: int, receiver: int, shared: Point) -> bytes:
    return hashlib.sha512(
        b"consejo/share" + context + _index(sender) + _index(receiver) + shared
    ).digest()[: group.SCALAR_BYTES]


def _xor(x: bytes, y: bytes) -> bytes:
    return bytes(p ^ q for p, q in zip(x, y, strict=True))


def seal_shares(
    context: bytes, secrets: TrusteeSecrets, keys: Mapping[int, Point]
) -> dict[int, bytes]:
    """Step 2: f_i(j) for every other trustee j, each sealed with the pad of e_i·E_j.

    Each pad is used once (it hashes the box, sender and receiver), so the one-time pad is
    safe; a share changed in transit fails step 3's check against the commitments.
    """
    out = {}
    for j, key in keys.items():
        if j == secrets.index:
            continue
        shared = group.mul(secrets.communication, key)
        out[j] = _xor(secrets.share_for(j), _pad(context, secrets.index, j, shared))
    return out


def feldman_value(coefficients: Sequence[Point], j: int) -> Point:
    """Σ_l j^l·A_l: the public image f(j)·B of a committed polynomial's value at j."""
    out = group.IDENTITY
    power = 1
    for a in coefficients:
        out = group.add(out, group.mul(group.scalar(power), a))
        power = power * j % group.ORDER
    return out


def open_shares(
    context: bytes,
    secrets: TrusteeSecrets,
    commitments: Mapping[int, Commitment],
    sealed: Mapping[int, bytes],
) -> tuple[Scalar, list[int]]:
    """Step 3: trustee j's share s_j = Σ_i f_i(j), and the trustees whose share did not match
    their commitments (each to be named; s_j is only good when that list is empty)."""
    j = secrets.index
    total = group.scalar_int(secrets.share_for(j))
    bad: list[int] = []
    for i, commitment in sorted(commitments.items()):
        if i == j:
            continue
        message = sealed.get(i)
        if message is None or len(message) != group.SCALAR_BYTES:
            bad.append(i)
            continue
        shared = group.mul(secrets.communication, commitment.communication_key)
        value = _xor(message, _pad(context, i, j, shared))
        if group.scalar_int(value) >= group.ORDER or group.base_mul(value) != feldman_value(
            commitment.coefficients, j
        ):
            bad.append(i)
            continue
        total = (total + group.scalar_int(value)) % group.ORDER
    return group.scalar(total), bad


def verification_key(commitments: Mapping[int, Commitment], j: int) -> Point:
    """Y_j = Σ_i f_i(j)·B, from the commitments alone."""
    return group.total(feldman_value(c.coefficients, j) for _, c in sorted(commitments.items()))


def election_key(commitments: Mapping[int, Commitment]) -> Point:
    """Y = Σ_i A_i0."""
    return group.total(c.coefficients[0] for _, c in sorted(commitments.items()))


def confirm_context(context: bytes, index: int) -> bytes:
    return _step_context(context, b"confirm", index)


def lagrange_at_zero(indices: Sequence[int], i: int) -> Scalar:
    """λ_i = Π_{m ≠ i} m / (m − i) mod ℓ, for the trustees ``indices`` (Shamir 1979)."""
    numerator, denominator = 1, 1
    for m in indices:
        if m != i:
            numerator = numerator * m % group.ORDER
            denominator = denominator * (m - i) % group.ORDER
    return group.scalar(numerator * pow(denominator, -1, group.ORDER))


def decryption_context(context: bytes, index: int) -> bytes:
    return _step_context(context, b"decrypt", index)


def partial_decrypt(
    context: bytes, index: int, share: Scalar, ciphertexts: Sequence[Ciphertext]
) -> tuple[list[Point], Proof]:
    """Trustee i's partial decryption D_j = s_i·a_j of every ciphertext, and one proof that
    every D_j used the s_i of Y_i."""
    bases = [c.a for c in ciphertexts]
    images = [group.mul(share, a) for a in bases]
    proof = proofs.prove_equal_logs(decryption_context(context, index), share, bases, images)
    return images, proof


def check_partial(
    context: bytes,
    index: int,
    key: Point,
    ciphertexts: Sequence[Ciphertext],
    images: Sequence[Point],
    proof: Proof,
) -> bool:
    """Whether trustee i's partial decryption is proved against its verification key."""
    return proofs.check_equal_logs(
        decryption_context(context, index), key, [c.a for c in ciphertexts], images, proof
    )


def combine(
    ciphertexts: Sequence[Ciphertext], partials: Mapping[int, Sequence[Point]]
) -> list[Point]:
    """m_j·B = b_j − Σ_i λ_i·D_ij for the trustees of ``partials`` (at least k, all checked)."""
    indices = sorted(partials)
    lambdas = {i: lagrange_at_zero(indices, i) for i in indices}
    out = []
    for j, c in enumerate(ciphertexts):
        mask = group.total(group.mul(lambdas[i], partials[i][j]) for i in indices)
        out.append(group.sub(c.b, mask))
    return out
