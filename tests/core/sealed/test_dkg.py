"""Pedersen's distributed key generation and threshold decryption: any k of n trustees decrypt,
k − 1 learn nothing usable, a wrong share or a wrong partial decryption is caught and named."""

from __future__ import annotations

import itertools
import os

import pytest
from hypothesis import given, settings, strategies as st

from consejo.core.errors import InvalidInput
from consejo.core.sealed import dkg, elgamal, group, proofs
from consejo.core.sealed.elgamal import Multiples

from .conftest import ceremony

TABLE = Multiples(16)


@st.composite
def sizes(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(st.integers(min_value=3, max_value=6))
    return n, draw(st.integers(min_value=2, max_value=n))


@settings(max_examples=15, deadline=None)
@given(sizes(), st.data())
def test_any_k_trustees_decrypt_and_the_key_is_the_sum_of_the_constant_terms(
    size: tuple[int, int], data: st.DataObject
) -> None:
    n, k = size
    c = ceremony(n, k)
    for j, share in c.shares.items():  # every share matches the key anyone computes for it
        assert group.base_mul(share) == c.verification_key(j)
    secret = sum(group.scalar_int(s.coefficients[0]) for s in c.secrets.values())
    assert group.base_mul(group.scalar(secret)) == c.key
    m = data.draw(st.integers(min_value=0, max_value=15))
    ciphertexts = [elgamal.encrypt(c.key, m, TABLE)]
    chosen = data.draw(
        st.lists(st.sampled_from(sorted(c.shares)), min_size=k, max_size=k, unique=True)
    )
    partials = {}
    for i in chosen:
        images, proof = dkg.partial_decrypt(c.context, i, c.shares[i], ciphertexts)
        assert dkg.check_partial(c.context, i, c.verification_key(i), ciphertexts, images, proof)
        partials[i] = images
    assert [TABLE.log(p) for p in dkg.combine(ciphertexts, partials)] == [m]


def test_fewer_than_k_trustees_decrypt_nothing() -> None:
    c = ceremony(5, 3)
    ciphertexts = [elgamal.encrypt(c.key, m, TABLE) for m in range(16)]
    for pair in itertools.combinations(sorted(c.shares), 2):
        partials = {i: dkg.partial_decrypt(c.context, i, c.shares[i], ciphertexts)[0] for i in pair}
        # Interpolating k − 1 shares gives another secret: no value lands in the table.
        assert [TABLE.log(p) for p in dkg.combine(ciphertexts, partials)] == [None] * 16


def test_a_tampered_share_is_named_by_the_trustee_who_receives_it() -> None:
    context, k = b"box", 3
    secrets = {i: dkg.derive(context, i, k, os.urandom(32)) for i in (1, 2, 3, 4)}
    commitments = {i: dkg.commit(context, s) for i, s in secrets.items()}
    keys = {i: c.communication_key for i, c in commitments.items()}
    sealed = {i: dkg.seal_shares(context, s, keys) for i, s in secrets.items()}
    sealed[2][4] = bytes([sealed[2][4][0] ^ 1]) + sealed[2][4][1:]
    incoming = {i: sealed[i][4] for i in (1, 2, 3)}
    _, bad = dkg.open_shares(context, secrets[4], commitments, incoming)
    assert bad == [2]
    del incoming[3]
    assert dkg.open_shares(context, secrets[4], commitments, incoming)[1] == [2, 3]


def test_a_share_sealed_for_another_box_does_not_open() -> None:
    k = 2
    seeds = {i: os.urandom(32) for i in (1, 2, 3)}
    here = {i: dkg.derive(b"here", i, k, s) for i, s in seeds.items()}
    there = {i: dkg.derive(b"there", i, k, s) for i, s in seeds.items()}
    commitments = {i: dkg.commit(b"here", s) for i, s in here.items()}
    keys_there = {i: dkg.commit(b"there", s).communication_key for i, s in there.items()}
    replayed = dkg.seal_shares(b"there", there[1], keys_there)
    assert dkg.open_shares(b"here", here[2], commitments, {1: replayed[2], 3: b"\0" * 32})[1] == [
        1,
        3,
    ]


def test_commitments_are_checked() -> None:
    context = b"box"
    s = dkg.derive(context, 1, 3, os.urandom(32))
    good = dkg.commit(context, s)
    dkg.check_commitment(context, good, 3)
    with pytest.raises(InvalidInput):
        dkg.check_commitment(context, good, 2)
    with pytest.raises(InvalidInput):  # a proof made for another box
        dkg.check_commitment(b"other", good, 3)
    other = dkg.commit(context, dkg.derive(context, 1, 3, os.urandom(32)))
    forged = dkg.Commitment(
        1, good.communication_key, other.coefficients, good.proof_key, good.proof_communication
    )
    with pytest.raises(InvalidInput):
        dkg.check_commitment(context, forged, 3)


def test_the_seed_gives_back_the_same_commitments() -> None:
    seed = os.urandom(32)
    a = dkg.commit(b"box", dkg.derive(b"box", 2, 3, seed))
    b = dkg.commit(b"box", dkg.derive(b"box", 2, 3, seed))
    assert a.coefficients == b.coefficients
    assert a.communication_key == b.communication_key
    assert (
        dkg.derive(b"box", 3, 3, seed).coefficients != dkg.derive(b"box", 2, 3, seed).coefficients
    )


def test_a_tampered_partial_decryption_fails_its_proof() -> None:
    c = ceremony(3, 2)
    ciphertexts = [elgamal.encrypt(c.key, m, TABLE) for m in (0, 1, 2, 3)]
    images, proof = dkg.partial_decrypt(c.context, 1, c.shares[1], ciphertexts)
    key = c.verification_key(1)
    assert dkg.check_partial(c.context, 1, key, ciphertexts, images, proof)
    shifted = list(images)
    shifted[2] = group.add(shifted[2], group.GENERATOR)  # would move one plaintext by a step
    assert not dkg.check_partial(c.context, 1, key, ciphertexts, shifted, proof)
    swapped = [images[1], images[0], *images[2:]]
    assert not dkg.check_partial(c.context, 1, key, ciphertexts, swapped, proof)
    # Errors that cancel in an unweighted sum do not cancel in the weighted one.
    cancel = [
        group.add(images[0], group.GENERATOR),
        group.sub(images[1], group.GENERATOR),
        *images[2:],
    ]
    assert not dkg.check_partial(c.context, 1, key, ciphertexts, cancel, proof)
    assert not dkg.check_partial(c.context, 2, c.verification_key(2), ciphertexts, images, proof)
    assert not dkg.check_partial(b"other", 1, key, ciphertexts, images, proof)
    assert not dkg.check_partial(c.context, 1, key, ciphertexts, images[:3], proof)
    other_share = group.scalar_add(c.shares[1], group.scalar(1))
    wrong, wrong_proof = dkg.partial_decrypt(c.context, 1, other_share, ciphertexts)
    assert not dkg.check_partial(c.context, 1, key, ciphertexts, wrong, wrong_proof)


def test_lagrange_coefficients_interpolate_at_zero() -> None:
    # f(x) = 7 + 3x + 5x² at x = 1, 2, 4: Σ λ_i f(i) = f(0) = 7.
    values = {1: 15, 2: 33, 4: 99}
    total = sum(
        group.scalar_int(dkg.lagrange_at_zero(list(values), i)) * v for i, v in values.items()
    )
    assert total % group.ORDER == 7


def test_threshold_rules() -> None:
    dkg.check_threshold(3, 2)
    dkg.check_threshold(5, 5)
    for n, k in ((2, 2), (5, 1), (5, 6), (dkg.MAX_TRUSTEES + 1, 3)):
        with pytest.raises(InvalidInput):
            dkg.check_threshold(n, k)
    assert [dkg.default_threshold(n) for n in (3, 4, 5, 6, 7)] == [2, 3, 3, 4, 4]


def test_key_proofs_bind_the_context_and_the_key() -> None:
    x = group.random_scalar()
    proof = proofs.prove_key(b"a", x)
    assert proofs.check_key(b"a", group.base_mul(x), proof)
    assert not proofs.check_key(b"b", group.base_mul(x), proof)
    assert not proofs.check_key(b"a", group.base_mul(group.random_scalar()), proof)
    assert proofs.Proof.decode(proof.encode()) == proof
