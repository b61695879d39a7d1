"""consejo.core.slugs: one rule for every short name, the same as the API's published pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from consejo.core.slugs import MAX_SLUG, SLUG_PATTERN, is_slug


@given(st.text(max_size=100))
def test_the_function_and_the_published_pattern_agree(text: str) -> None:
    # The schema's ^…$ anchor the whole text (ECMA and Rust regexes: no "$" before a newline).
    whole = SLUG_PATTERN.removeprefix("^").removesuffix("$")
    assert is_slug(text) == (len(text) <= MAX_SLUG and re.fullmatch(whole, text) is not None)


@pytest.mark.parametrize("text", ["senkata", "planta-senkata", "d4", "a" * MAX_SLUG])
def test_short_names(text: str) -> None:
    assert is_slug(text)


@pytest.mark.parametrize(
    "text",
    ["", "-a", "a-", "a--b", "Senkata", "peñas", "a b", "a\x00", "a\n", "a" * (MAX_SLUG + 1)],
)
def test_not_short_names(text: str) -> None:
    assert not is_slug(text)


def test_a_shorter_limit() -> None:
    assert is_slug("a" * 60, max_length=60)
    assert not is_slug("a" * 61, max_length=60)
