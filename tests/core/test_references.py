"""consejo.core.references: one format for the references of a lower app to a record above."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from consejo.core.references import (
    MAX_REFERENCE,
    Reference,
    number_of,
    parse_reference,
    reference,
)

kinds = st.from_regex(r"[a-z][a-z_.]{0,29}", fullmatch=True)
numbers = st.integers(min_value=1, max_value=10**18 - 1)


@given(kinds, numbers)
def test_a_reference_reads_back_as_itself(kind: str, number: int) -> None:
    text = reference(kind, number)
    assert len(text) <= MAX_REFERENCE
    assert parse_reference(text) == Reference(kind, number)
    assert number_of(text, kind) == number


@given(kinds, kinds, numbers)
def test_a_reference_to_another_kind_has_no_number(kind: str, other: str, number: int) -> None:
    if kind != other:
        assert number_of(reference(kind, number), other) is None


@given(st.text(max_size=60))
def test_only_what_reference_writes_is_read(text: str) -> None:
    found = parse_reference(text)
    if found is not None:
        assert reference(found.kind, found.number) == text


@pytest.mark.parametrize(
    "text", ["", "election", "election:", "election:0", "election:012", "Election:1", "e:1 ", ":1"]
)
def test_not_references(text: str) -> None:
    assert parse_reference(text) is None
    assert number_of(text, "election") is None


@pytest.mark.parametrize(("kind", "number"), [("", 1), ("1x", 1), ("x", 0), ("x", 10**18)])
def test_reference_refuses_what_it_could_not_read_back(kind: str, number: int) -> None:
    with pytest.raises(ValueError, match=r"not (a kind of reference|the number of a record)"):
        reference(kind, number)
