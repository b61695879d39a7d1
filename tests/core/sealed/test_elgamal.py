"""Exponential ElGamal: decrypt(encrypt(m)) = m; re-encryption keeps the plaintext and changes
every byte; ciphertexts add up to the sum of their plaintexts."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from consejo.core.errors import InvalidInput
from consejo.core.sealed import elgamal, group
from consejo.core.sealed.elgamal import Ciphertext, Multiples

TABLE = Multiples(64)
SECRET = group.random_scalar()
KEY = group.base_mul(SECRET)
values = st.integers(min_value=0, max_value=31)


@given(values)
def test_decrypt_undoes_encrypt(m: int) -> None:
    assert elgamal.decrypt(SECRET, elgamal.encrypt(KEY, m, TABLE), TABLE) == m


@given(values)
def test_reencryption_preserves_the_plaintext_and_changes_both_points(m: int) -> None:
    c = elgamal.encrypt(KEY, m, TABLE)
    d = elgamal.reencrypt(KEY, c)
    assert d.a != c.a
    assert d.b != c.b
    assert elgamal.decrypt(SECRET, d, TABLE) == m


@given(values, values, st.integers(min_value=0, max_value=1))
def test_ciphertexts_add_and_scale_like_their_plaintexts(m: int, n: int, k: int) -> None:
    c, d = elgamal.encrypt(KEY, m, TABLE), elgamal.encrypt(KEY, n, TABLE)
    assert elgamal.decrypt(SECRET, elgamal.combine(c, d), TABLE) == m + n
    assert elgamal.decrypt(SECRET, elgamal.times(k + 1, c), TABLE) == (k + 1) * m


def test_a_wrong_key_reads_nothing_in_the_table() -> None:
    other = group.random_scalar()
    c = elgamal.encrypt(KEY, 3, TABLE)
    assert elgamal.decrypt(other, c, TABLE) is None


def test_the_same_plaintext_never_seals_alike() -> None:
    assert len({elgamal.encrypt(KEY, 1, TABLE).encode() for _ in range(20)}) == 20


def test_decoding_checks_both_points() -> None:
    c = elgamal.encrypt(KEY, 2, TABLE)
    assert Ciphertext.decode(c.encode()) == c
    for wrong in (c.encode()[:63], bytes(32) + c.b, b"\xff" * 64):
        with pytest.raises(InvalidInput):
            Ciphertext.decode(wrong)
