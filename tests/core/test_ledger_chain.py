"""The ledger's hash chain (consejo.core.ledger): canonical JSON, RFC 6962 leaves, verification.

Sources: RFC 6962 §2.1 (leaf hash = SHA-256(0x00 || data)); RFC 8785 (JSON Canonicalization Scheme).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from consejo.core import ledger
from consejo.core.errors import InvalidInput

T0 = datetime(2005, 6, 6, 12, 0, tzinfo=UTC)

json_scalars = st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
kinds = st.sampled_from(["membership.started", "body.created", "apportionment.computed"])


def build_chain(payloads: list[object]) -> list[ledger.Entry]:
    entries: list[ledger.Entry] = []
    prev = ledger.GENESIS
    for index, payload in enumerate(payloads, start=1):
        entry = ledger.make_entry(
            seq=index,
            kind="membership.started",
            at=T0 + timedelta(seconds=index),
            payload=payload,
            prev=prev,
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def test_the_entry_hash_is_the_rfc6962_leaf_hash_of_the_canonical_envelope() -> None:
    entry = ledger.make_entry(
        seq=1, kind="body.created", at=T0, payload={"b": 1, "a": "ñ"}, prev=ledger.GENESIS
    )
    envelope = (
        '{"at":"2005-06-06T12:00:00.000000Z","kind":"body.created",'
        '"payload":{"a":"ñ","b":1},"prev":"' + "0" * 64 + '","seq":1}'
    )
    assert entry.payload == '{"a":"ñ","b":1}'
    assert entry.hash == hashlib.sha256(b"\x00" + envelope.encode()).hexdigest()


def test_the_empty_leaf_hash_matches_rfc6962() -> None:
    # RFC 6962 / RFC 9162 test vector: the leaf hash of the empty string.
    assert ledger.leaf_hash(b"") == (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
    )


def test_the_envelope_is_itself_canonical_json() -> None:
    entry = ledger.make_entry(
        seq=3, kind="body.created", at=T0, payload={"z": [1, None]}, prev="a" * 64
    )
    data = ledger.leaf_input(
        seq=entry.seq, kind=entry.kind, at=entry.at, payload=entry.payload, prev=entry.prev
    )
    assert ledger.canonical_json(json.loads(data)) == data.decode()


@given(json_values)
def test_canonical_json_round_trips_and_is_stable(value: object) -> None:
    text = ledger.canonical_json(value)
    assert ledger.canonical_json(json.loads(text)) == text


@given(st.dictionaries(st.text(max_size=6), st.integers(0, 9), min_size=2, max_size=6))
def test_canonical_json_does_not_depend_on_key_order(value: dict[str, int]) -> None:
    reversed_value = dict(reversed(list(value.items())))
    assert ledger.canonical_json(value) == ledger.canonical_json(reversed_value)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"amount": 1.5}, "floats are not allowed"),
        ({1: "x"}, "keys must be strings"),
        ({"n": 2**60}, "outside the exact JSON range"),
        ({"s": {1, 2}}, "cannot be stored"),
    ],
)
def test_payloads_that_could_not_be_verified_elsewhere_are_refused(
    payload: object, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        ledger.canonical_json(payload)


def test_naive_instants_and_bad_fields_are_refused() -> None:
    naive = datetime(2005, 6, 6)  # noqa: DTZ001 - the point of the test
    with pytest.raises(InvalidInput, match="timezone-aware"):
        ledger.make_entry(seq=1, kind="a.b", at=naive, payload={}, prev=ledger.GENESIS)
    with pytest.raises(InvalidInput, match=r"noun\.verbed"):
        ledger.make_entry(seq=1, kind="Created", at=T0, payload={}, prev=ledger.GENESIS)
    with pytest.raises(InvalidInput, match="start at 1"):
        ledger.make_entry(seq=0, kind="a.b", at=T0, payload={}, prev=ledger.GENESIS)
    with pytest.raises(InvalidInput, match="genesis"):
        ledger.make_entry(seq=2, kind="a.b", at=T0, payload={}, prev=ledger.GENESIS)


def test_instants_in_any_zone_are_hashed_as_the_same_utc_instant() -> None:
    la_paz = timezone(timedelta(hours=-4))
    assert ledger.format_instant(T0) == ledger.format_instant(T0.astimezone(la_paz))
    assert ledger.parse_instant(ledger.format_instant(T0)) == T0


@given(st.lists(json_values, max_size=12))
def test_an_untouched_chain_verifies_with_its_count_and_head(payloads: list[object]) -> None:
    entries = build_chain(payloads)
    head = entries[-1].hash if entries else ledger.GENESIS
    verdict = ledger.verify_chain(entries, expected_head=(len(entries), head))
    assert verdict.ok
    assert str(verdict) == f"ok {len(entries)} entries, head {head}"


FIELDS = ["seq", "kind", "at", "payload", "prev", "hash"]


@given(
    st.lists(st.integers(0, 1000), min_size=1, max_size=10),
    st.data(),
)
def test_altering_any_field_of_any_entry_is_caught_at_that_entry(
    payloads: list[int], data: st.DataObject
) -> None:
    entries = build_chain([{"n": n} for n in payloads])
    index = data.draw(st.integers(0, len(entries) - 1))
    field = data.draw(st.sampled_from(FIELDS))
    target = entries[index]
    altered_value: object
    if field == "seq":
        altered_value = target.seq + data.draw(st.integers(1, 5))
    elif field == "kind":
        altered_value = "membership.ended"
    elif field == "at":
        altered_value = ledger.format_instant(T0 - timedelta(days=1))
    elif field == "payload":
        altered_value = '{"n":-1}'
    else:
        altered_value = ("f" if getattr(target, field)[0] != "f" else "e") + getattr(target, field)[
            1:
        ]
    entries[index] = replace(target, **{field: altered_value})
    head = (len(payloads), build_chain([{"n": n} for n in payloads])[-1].hash)
    verdict = ledger.verify_chain(entries, expected_head=head)
    assert not verdict.ok
    assert verdict.failed_seq == target.seq


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=10), st.data())
def test_removing_any_entry_is_caught(payloads: list[int], data: st.DataObject) -> None:
    entries = build_chain([{"n": n} for n in payloads])
    expected_head = (len(entries), entries[-1].hash)
    index = data.draw(st.integers(0, len(entries) - 1))
    del entries[index]
    verdict = ledger.verify_chain(entries, expected_head=expected_head)
    assert not verdict.ok
    assert verdict.failed_seq == index + 1


@given(st.lists(st.integers(0, 1000), min_size=2, max_size=10), st.data())
def test_swapping_two_entries_is_caught(payloads: list[int], data: st.DataObject) -> None:
    entries = build_chain([{"n": n} for n in payloads])
    i = data.draw(st.integers(0, len(entries) - 2))
    entries[i], entries[i + 1] = entries[i + 1], entries[i]
    verdict = ledger.verify_chain(entries)
    assert not verdict.ok
    assert verdict.failed_seq == i + 1


def test_a_truncated_tail_is_caught_only_with_the_recorded_head() -> None:
    entries = build_chain([{"n": 1}, {"n": 2}, {"n": 3}])
    head = (3, entries[-1].hash)
    assert ledger.verify_chain(entries[:2]).ok  # a chain alone cannot show it...
    verdict = ledger.verify_chain(entries[:2], expected_head=head)  # ...the head can
    assert not verdict.ok
    assert verdict.failed_seq == 3
    assert "only 2 are present" in verdict.reason


def test_keys_are_sorted_by_utf16_code_units_as_rfc8785_shows() -> None:
    # RFC 8785 §3.2.3, the sorting example: the emoji (a surrogate pair, D83D DE00) sorts before
    # U+FB33 in UTF-16 although its code point is larger.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(ledger.canonical_json(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_a_lone_surrogate_is_refused_rather_than_hashed_ambiguously() -> None:
    with pytest.raises(InvalidInput, match="surrogate"):
        ledger.canonical_json({"name": "\ud800"})
    with pytest.raises(InvalidInput, match="surrogate"):
        ledger.canonical_json({"\udfff": 1})


def test_a_payload_that_smuggles_a_second_kind_into_the_envelope_does_not_verify() -> None:
    # The payload text is embedded unquoted in the hashed envelope; a crafted, non-canonical
    # payload could make one hash read as two different kinds. Only canonical entries verify.
    payload = '{"member":7},"kind":"membership.ended","x":{}'
    data = ledger.leaf_input(
        seq=1,
        kind="membership.started",
        at=ledger.format_instant(T0),
        payload=payload,
        prev=ledger.GENESIS,
    )
    forged = ledger.Entry(
        seq=1,
        kind="membership.started",
        at=ledger.format_instant(T0),
        payload=payload,
        prev=ledger.GENESIS,
        hash=ledger.leaf_hash(data),
    )
    verdict = ledger.verify_chain([forged])
    assert not verdict.ok
    assert "payload" in verdict.reason


def test_a_payload_in_non_canonical_form_does_not_verify_even_with_a_matching_hash() -> None:
    payload = '{"b":1, "a":2}'  # valid JSON, keys unsorted, a space: not what the ledger writes
    at = ledger.format_instant(T0)
    data = ledger.leaf_input(
        seq=1, kind="body.created", at=at, payload=payload, prev=ledger.GENESIS
    )
    entry = ledger.Entry(
        seq=1,
        kind="body.created",
        at=at,
        payload=payload,
        prev=ledger.GENESIS,
        hash=ledger.leaf_hash(data),
    )
    assert ledger.verify_chain([entry]).reason == "its payload is not canonical JSON"
