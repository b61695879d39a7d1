"""The sealed format of the backups: what is sealed opens whole with the passphrase, and any
change, cut or wrong passphrase is refused (consejo/common/encryption.py)."""

from __future__ import annotations

import io

import pytest
from hypothesis import example, given, strategies as st

from consejo.common.encryption import CHUNK, Damaged, SealedWriter, WrongPassphrase, unseal

# The cheapest scrypt the reader accepts: the property is about the format, not the key's cost.
CHEAP = 10
PASSPHRASE = "correct horse battery staple"


def seal(data: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    writer = SealedWriter(out, passphrase, log2_n=CHEAP)
    for start in range(0, len(data), 10_000):
        writer.write(data[start : start + 10_000])
    writer.close()
    return out.getvalue()


def opened(sealed: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    unseal(io.BytesIO(sealed), out, passphrase)
    return out.getvalue()


SIZES = st.integers(min_value=0, max_value=3 * CHUNK + 17)


@given(size=SIZES, seed=st.integers(0, 255))
@example(size=0, seed=0)
@example(size=CHUNK, seed=1)
@example(size=CHUNK + 1, seed=2)
@example(size=2 * CHUNK, seed=3)
def test_what_is_sealed_opens_whole(size: int, seed: int) -> None:
    data = bytes((seed + i * 7) % 256 for i in range(size))
    assert opened(seal(data)) == data


@given(size=SIZES, where=st.floats(0, 1, exclude_max=True), bit=st.integers(0, 7))
@example(size=CHUNK, where=0.99, bit=0)
def test_any_flipped_bit_is_refused(size: int, where: float, bit: int) -> None:
    sealed = bytearray(seal(b"x" * size))
    sealed[int(where * len(sealed))] ^= 1 << bit
    with pytest.raises((Damaged, WrongPassphrase)):
        opened(bytes(sealed))


@given(size=SIZES, keep=st.floats(0, 1, exclude_max=True))
@example(size=2 * CHUNK + 5, keep=0.5)
def test_any_cut_is_refused(size: int, keep: float) -> None:
    sealed = seal(b"y" * size)
    with pytest.raises((Damaged, WrongPassphrase)):
        opened(sealed[: int(keep * len(sealed))])


def test_a_wrong_passphrase_is_told_apart_from_damage() -> None:
    with pytest.raises(WrongPassphrase):
        opened(seal(b"acta"), "another passphrase entirely")
