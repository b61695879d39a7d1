"""A trustee's card: 24 words with a checksum (BIP-39) and a QR code, read back exactly."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, strategies as st
from mnemonic import Mnemonic

from consejo.core.errors import InvalidInput
from consejo.core.sealed import card


@given(st.binary(min_size=32, max_size=32), st.sampled_from(card.LANGUAGES))
def test_words_give_back_the_seed(seed: bytes, language: str) -> None:
    words = card.words(seed, language)
    assert len(words) == 24
    assert card.seed_from_words(" ".join(words)) == seed
    assert card.seed_from_words("  ".join(words).upper()) == seed


def test_a_word_copied_wrong_fails_the_checksum() -> None:
    # BIP-39's 8-bit checksum lets through about 1 in 256 single-word mistakes: every one of the
    # 2,047 other words at one place, on a fixed seed, is counted (deterministic, never flaky).
    words = card.words(bytes(range(32)))
    let_through = 0
    for other in Mnemonic("spanish").wordlist:
        if other == words[5]:
            continue
        try:
            card.seed_from_words(" ".join([*words[:5], other, *words[6:]]))
        except InvalidInput:
            continue
        let_through += 1
    assert let_through <= 16  # about 8 expected
    with pytest.raises(InvalidInput):
        card.seed_from_words(" ".join(words[:23]))
    with pytest.raises(InvalidInput):
        card.seed_from_words(" ".join([*words[:23], "zzzz"]))


def test_accents_lost_on_a_phone_keyboard_do_not_matter() -> None:
    seed = os.urandom(32)
    words = " ".join(card.words(seed, "spanish"))
    plain = words.translate(str.maketrans("áéíóúü", "aeiouu"))
    assert card.seed_from_words(plain) == seed


def test_the_qr_code_carries_the_box_the_trustee_and_the_seed() -> None:
    seed = os.urandom(32)
    assert card.read_card(card.qr_payload("b1c2", 3, seed)) == ("b1c2", 3, seed)
    assert card.read_card(" ".join(card.words(seed))) == (None, None, seed)
    for wrong in (card.QR_PREFIX + "b1:x:" + seed.hex(), card.QR_PREFIX + "b1:3:zz"):
        with pytest.raises(InvalidInput):
            card.read_card(wrong)
