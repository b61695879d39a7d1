"""ristretto255 through libsodium, against RFC 9496's published test vectors (Appendix A)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from consejo.core.errors import InvalidInput
from consejo.core.sealed import group

VECTORS = json.loads((Path(__file__).parent / "ristretto255_vectors.json").read_text())
scalars = st.integers(min_value=0, max_value=group.ORDER - 1)


def test_small_multiples_of_the_generator_encode_as_rfc_9496_a1() -> None:
    expected = [bytes.fromhex(h) for h in VECTORS["multiples"]]
    assert [group.base_mul(group.scalar(i)) for i in range(16)] == expected
    running = group.IDENTITY
    for encoding in expected:  # and by repeated addition of B
        assert running == encoding
        running = group.add(running, group.GENERATOR)


@pytest.mark.parametrize("encoding", VECTORS["invalid"])
def test_invalid_encodings_of_rfc_9496_a2_are_refused(encoding: str) -> None:
    with pytest.raises(InvalidInput):
        group.point(bytes.fromhex(encoding))


@pytest.mark.parametrize(("uniform", "element"), VECTORS["from_uniform_bytes"])
def test_elements_from_uniform_bytes_are_rfc_9496_a3(uniform: str, element: str) -> None:
    assert group.hash_to_point(bytes.fromhex(uniform)) == bytes.fromhex(element)


def test_the_identity_is_refused_unless_allowed_and_lengths_are_checked() -> None:
    with pytest.raises(InvalidInput):
        group.point(group.IDENTITY)
    assert group.point(group.IDENTITY, identity=True) == group.IDENTITY
    for wrong in (b"", bytes(31), bytes(33), group.GENERATOR + b"\x00"):
        with pytest.raises(InvalidInput):
            group.point(wrong, identity=True)


def test_scalars_from_outside_must_be_canonical() -> None:
    assert group.read_scalar(group.scalar(group.ORDER - 1)) == group.scalar(-1)
    with pytest.raises(InvalidInput):
        group.read_scalar(group.ORDER.to_bytes(32, "little"))
    with pytest.raises(InvalidInput):
        group.read_scalar(bytes(31))


@given(scalars, scalars)
def test_scalar_multiplication_distributes_over_scalar_addition(x: int, y: int) -> None:
    left = group.base_mul(group.scalar(x + y))
    assert left == group.add(group.base_mul(group.scalar(x)), group.base_mul(group.scalar(y)))
    assert group.mul(group.scalar(y), group.base_mul(group.scalar(x))) == group.base_mul(
        group.scalar(x * y)
    )


@given(scalars, scalars)
def test_scalar_arithmetic_is_modulo_the_order(x: int, y: int) -> None:
    a, b = group.scalar(x), group.scalar(y)
    assert group.scalar_int(group.scalar_add(a, b)) == (x + y) % group.ORDER
    assert group.scalar_int(group.scalar_sub(a, b)) == (x - y) % group.ORDER
    assert group.scalar_int(group.scalar_mul(a, b)) == (x * y) % group.ORDER


def test_hash_to_scalar_separates_its_parts() -> None:
    assert group.hash_to_scalar(b"ab", b"c") != group.hash_to_scalar(b"a", b"bc")
    assert group.scalar_int(group.hash_to_scalar(b"x")) < group.ORDER
