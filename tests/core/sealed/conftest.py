"""Helpers for the sealed-ballot tests: a whole key ceremony, run in memory."""

from __future__ import annotations

import os
from dataclasses import dataclass

from consejo.core.sealed import dkg, proofs
from consejo.core.sealed.group import Point, Scalar


@dataclass
class Ceremony:
    context: bytes
    threshold: int
    secrets: dict[int, dkg.TrusteeSecrets]
    commitments: dict[int, dkg.Commitment]
    shares: dict[int, Scalar]
    key: Point

    def verification_key(self, i: int) -> Point:
        return dkg.verification_key(self.commitments, i)


def ceremony(trustees: int, threshold: int, context: bytes = b"test-box") -> Ceremony:
    """The three steps of the key ceremony for ``trustees`` trustees, each checked."""
    secrets = {i: dkg.derive(context, i, threshold, os.urandom(32)) for i in range(1, trustees + 1)}
    commitments = {i: dkg.commit(context, s) for i, s in secrets.items()}
    for c in commitments.values():
        dkg.check_commitment(context, c, threshold)
    keys = {i: c.communication_key for i, c in commitments.items()}
    sealed = {i: dkg.seal_shares(context, s, keys) for i, s in secrets.items()}
    shares = {}
    for j, s in secrets.items():
        incoming = {i: sealed[i][j] for i in sealed if i != j}
        share, bad = dkg.open_shares(context, s, commitments, incoming)
        assert bad == []
        proof = proofs.prove_key(dkg.confirm_context(context, j), share)
        assert proofs.check_key(
            dkg.confirm_context(context, j), dkg.verification_key(commitments, j), proof
        )
        shares[j] = share
    return Ceremony(context, threshold, secrets, commitments, shares, dkg.election_key(commitments))
