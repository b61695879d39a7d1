"""One-time login codes and who gets a printed login card: pure rules, no Django.

A secretary never chooses a member's password. A login grant, a reset or a printed card gives a
one-time code instead, with which the member sets a password of their own (docs/logins.md).
"""

from __future__ import annotations

import random
from enum import StrEnum

#: Digits and capitals without the look-alikes 0/O, 1/I/L: a code is read off paper and typed on a
#: cheap phone, often by someone who did not write it.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: Ten characters from 31: about 49.5 bits. With a few guesses per quarter hour allowed per address
#: and a validity of days, guessing one is hopeless; still short enough to copy by hand.
CODE_LENGTH = 10
_GROUP = 5


def new_code(rng: random.Random) -> str:
    """A fresh code of CODE_LENGTH characters from CODE_ALPHABET, drawn with ``rng``.

    Rule: uniform draws from the alphabet (pass ``secrets.SystemRandom()`` outside tests).
    """
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """How a code is printed and shown: two groups of five (``ABCDE-FGHJK``), easy to copy."""
    return "-".join(code[i : i + _GROUP] for i in range(0, len(code), _GROUP))


def normalize_code(text: str) -> str | None:
    """The code a person typed, as stored; None if it cannot be a code.

    Rule: case, spaces and dashes do not matter (a phone capitalizes, people copy the group
    separator or not); any other character outside the alphabet, or the wrong length, is no code.
    """
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


class CardAction(StrEnum):
    """What printing the roster's login cards does for one member."""

    NEW_LOGIN = "new_login"  # no login yet: one is made, with a code
    NEW_CODE = "new_code"  # a login whose owner never set a password: a fresh code replaces any old
    SKIP = "skip"  # no card


def card_action(*, has_login: bool, active: bool, has_own_password: bool) -> CardAction:
    """Whether a member gets a login card when the secretary prints the roster's cards.

    Rule: a card goes to members without a login, and to logins whose owner has not yet set a
    password of their own (the code was lost or expired, or a reset is pending). A member who chose
    a password gets no card: printing a roster must not hand the secretary every member's login; a
    reset (one member at a time, in the ledger) is the way to replace a password. A disabled login
    gets no card: an operator disabled it.
    """
    if not has_login:
        return CardAction.NEW_LOGIN
    if not active or has_own_password:
        return CardAction.SKIP
    return CardAction.NEW_CODE
