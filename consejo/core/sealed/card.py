"""A trustee's card: the 32-byte seed as a word backup with a checksum, and as a QR code.

Rule: the words are BIP-39's (Palatinus, Rusnak, Voisine and Bowe 2013, "Mnemonic code for
generating deterministic keys"): 24 words from a list of 2048, the last carrying an 8-bit
checksum of the SHA-256 of the seed, so that a word copied wrong is caught before the seed is
used. The QR code carries the box, the trustee's number and the seed in hexadecimal.
"""

from __future__ import annotations

import re
import unicodedata

from mnemonic import Mnemonic

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed.dkg import SEED_BYTES

LANGUAGES = ("spanish", "english")
QR_PREFIX = "consejo-trustee:1:"


def words(seed: bytes, language: str = "spanish") -> list[str]:
    """The 24 words of a seed."""
    if len(seed) != SEED_BYTES:
        raise ValueError("a seed is 32 bytes")
    return str(Mnemonic(language).to_mnemonic(seed)).split()


def _fold(text: str) -> str:
    # Accents are often lost on a phone's keyboard: compare without them (BIP-39's Spanish list
    # is chosen so that its words differ without accents too).
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch)
    )


def seed_from_words(text: str) -> bytes:
    """The seed of a word backup, in either language; refused if a word is unknown or the
    checksum fails."""
    given = [_fold(w) for w in text.split()]
    if len(given) != 24:
        raise InvalidInput.of(gettext_noop("a card has 24 words; %(n)d were given"), n=len(given))
    for language in LANGUAGES:
        mnemo = Mnemonic(language)
        by_folded = {_fold(w): w for w in mnemo.wordlist}
        if all(w in by_folded for w in given):
            phrase = " ".join(by_folded[w] for w in given)
            if not mnemo.check(phrase):
                raise InvalidInput.of(
                    gettext_noop("the words' checksum fails: a word is copied wrong")
                )
            return bytes(mnemo.to_entropy(phrase))
    raise InvalidInput.of(gettext_noop("a word is not on the card's word list"))


def qr_payload(box: str, index: int, seed: bytes) -> str:
    """What the card's QR code holds."""
    return f"{QR_PREFIX}{box}:{index}:{seed.hex()}"


def read_card(text: str) -> tuple[str | None, int | None, bytes]:
    """(box, trustee number, seed) from a QR code's text, or (None, None, seed) from words."""
    text = text.strip()
    if text.startswith(QR_PREFIX):
        parts = text[len(QR_PREFIX) :].split(":")
        # ASCII digits only, and few ("²".isdigit() is true; int() of 5,000 digits fails).
        if len(parts) != 3 or not re.fullmatch("[0-9]{1,3}", parts[1]) or len(parts[2]) != 64:
            raise InvalidInput.of(gettext_noop("the card's code cannot be read"))
        try:
            seed = bytes.fromhex(parts[2])
        except ValueError:
            raise InvalidInput.of(gettext_noop("the card's code cannot be read")) from None
        return parts[0], int(parts[1]), seed
    return None, None, seed_from_words(text)
