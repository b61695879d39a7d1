"""One-time login codes and who gets a login card (consejo.core.logins)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, strategies as st

from consejo.core.logins import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CardAction,
    card_action,
    format_code,
    new_code,
    normalize_code,
)

codes = st.text(alphabet=CODE_ALPHABET, min_size=CODE_LENGTH, max_size=CODE_LENGTH)


def test_the_alphabet_has_no_look_alikes() -> None:
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET) == 31


@given(st.integers(min_value=0))
def test_a_new_code_is_ten_characters_of_the_alphabet(seed: int) -> None:
    code = new_code(random.Random(seed))
    assert len(code) == CODE_LENGTH
    assert set(code) <= set(CODE_ALPHABET)


@given(codes, st.sampled_from(["", " ", "-", " - "]), st.booleans())
def test_a_code_as_printed_or_typed_reads_back_as_itself(code: str, sep: str, lower: bool) -> None:
    printed = format_code(code)
    assert printed == f"{code[:5]}-{code[5:]}"
    typed = f" {code[:5]}{sep}{code[5:]} "
    assert normalize_code(typed.lower() if lower else typed) == code
    assert normalize_code(printed) == code


@pytest.mark.parametrize(
    "text", ["", "ABCDE", "ABCDE-FGHJKM", "ABCDE-FGHJ0", "ABCDE-FGHJI", "ÀBCDE-FGHJK"]
)
def test_anything_else_is_no_code(text: str) -> None:
    assert normalize_code(text) is None


@pytest.mark.parametrize(
    ("has_login", "active", "own", "action"),
    [
        (False, False, False, CardAction.NEW_LOGIN),
        (True, True, False, CardAction.NEW_CODE),
        (True, True, True, CardAction.SKIP),
        (True, False, False, CardAction.SKIP),
        (True, False, True, CardAction.SKIP),
    ],
)
def test_who_gets_a_login_card(
    has_login: bool, active: bool, own: bool, action: CardAction
) -> None:
    assert card_action(has_login=has_login, active=active, has_own_password=own) == action
