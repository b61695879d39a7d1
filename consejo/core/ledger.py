"""The ledger's hash chain: canonical entries, their hashes, and verification.

Each ledger entry is hashed as an RFC 6962 Merkle *leaf* (``SHA-256(0x00 || leaf input)``), where
the leaf input is the canonical JSON (RFC 8785, JSON Canonicalization Scheme) of the entry's
sequence number, kind, instant, payload and the previous entry's hash. Chaining the previous hash
into each leaf makes the table tamper-evident on its own; because each entry hash is already a valid
RFC 6962 leaf hash, the signed Merkle checkpoints of a later step are built over these same hashes
without rehashing anything.

References: RFC 6962 §2.1 (Certificate Transparency, leaf hash with the 0x00 prefix); RFC 8785 (JSON
Canonicalization Scheme); Crosby & Wallach, "Efficient Data Structures for Tamper-Evident Logging",
USENIX Security 2009.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from consejo.core.errors import InvalidInput

#: The ``prev`` of the first entry: 64 zeros, so that every entry has the same shape.
GENESIS = "0" * 64

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"

_KIND = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_INSTANT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$")


def canonical_json(value: object) -> str:
    """Serialize ``value`` as canonical JSON (RFC 8785 for the values the ledger admits).

    Rule: object keys sorted by their UTF-16 code units (RFC 8785 §3.2.3), no insignificant
    whitespace, strings in UTF-8 without escaping beyond what JSON requires, lone surrogates
    refused. Floats are refused: RFC 8785 pins their text form to
    ECMAScript's number serialization, and an amount in the ledger must be exact, so amounts are
    whole numbers (units, cents, 10⁻⁵ of a vote) or strings.
    """
    _check_json(value, "payload")
    return json.dumps(_jcs_order(value), separators=(",", ":"), ensure_ascii=False)


def _jcs_order(value: object) -> object:
    # RFC 8785 §3.2.3 sorts keys by their UTF-16 code units, not by code points: the two differ
    # for characters beyond U+FFFF against those in U+E000..U+FFFF.
    if isinstance(value, Mapping):
        return {
            key: _jcs_order(value[key])
            for key in sorted(value, key=lambda k: str(k).encode("utf-16-be"))
        }
    if isinstance(value, list | tuple):
        return [_jcs_order(item) for item in value]
    return value


def _check_json(value: object, where: str) -> None:
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidInput(
                f"{where}: a string holds a lone surrogate, not valid text"
            ) from error
        return
    if isinstance(value, int):
        # RFC 8785 §3.2.2.3: integers beyond ±2^53 lose precision in other verifiers.
        if abs(value) > 2**53 - 1:
            raise InvalidInput(f"{where}: integer {value} is outside the exact JSON range")
        return
    if isinstance(value, float):
        raise InvalidInput(
            f"{where}: floats are not allowed in the ledger; use an integer or string"
        )
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidInput(f"{where}: object keys must be strings, got {key!r}")
            _check_json(key, f"{where} key")
            _check_json(item, f"{where}.{key}")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{where}[{index}]")
        return
    raise InvalidInput(f"{where}: {type(value).__name__} cannot be stored in the ledger")


def json_digest(value: object) -> str:
    """SHA-256 (hex) of ``value``'s canonical JSON (:func:`canonical_json`).

    Rule: a plan's input and output, an election's result and any other value the ledger records
    by its digest are digested so, by the service that writes them and by the audit that checks
    them (consejo.ledger.audit).
    """
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def format_instant(at: datetime) -> str:
    """The instant of an entry as hashed: UTC, ISO 8601, microseconds, ``Z`` suffix.

    A naive datetime is refused: an instant without a zone cannot be checked by anyone else.
    """
    offset = at.utcoffset()
    if offset is None:
        raise InvalidInput("the instant of a ledger entry must be timezone-aware")
    utc = (at - offset).replace(tzinfo=None)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def leaf_input(*, seq: int, kind: str, at: str, payload: str, prev: str) -> bytes:
    """The bytes hashed for one entry: the canonical JSON of its five fields.

    ``payload`` is already canonical JSON text and is embedded as a value, so that the stored column
    is exactly what was hashed.
    """
    envelope = '{"at":%s,"kind":%s,"payload":%s,"prev":%s,"seq":%d}' % (  # noqa: UP031
        json.dumps(at),
        json.dumps(kind),
        payload,
        json.dumps(prev),
        seq,
    )
    return envelope.encode("utf-8")


def leaf_hash(data: bytes) -> str:
    """RFC 6962 §2.1 leaf hash: ``SHA-256(0x00 || data)``, as lowercase hex."""
    return hashlib.sha256(LEAF_PREFIX + data).hexdigest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 §2.1 interior node hash: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry as stored: every field that is hashed, and the stored hash."""

    seq: int
    kind: str
    at: str
    payload: str
    prev: str
    hash: str

    def computed_hash(self) -> str:
        """The hash this entry must carry, recomputed from its fields."""
        return leaf_hash(
            leaf_input(
                seq=self.seq, kind=self.kind, at=self.at, payload=self.payload, prev=self.prev
            )
        )


def make_entry(*, seq: int, kind: str, at: datetime, payload: object, prev: str) -> Entry:
    """Build the next entry of the chain from plain values, validating each.

    Rule: ``seq`` counts from 1 without gaps; ``prev`` is the previous entry's hash (``GENESIS``
    for the first); ``kind`` is a dotted past-tense name such as ``membership.started``.
    """
    if seq < 1:
        raise InvalidInput(f"ledger sequence numbers start at 1, got {seq}")
    if not _KIND.match(kind):
        raise InvalidInput(f"ledger kind {kind!r} must look like 'noun.verbed'")
    if not _HEX64.match(prev):
        raise InvalidInput("the previous hash must be 64 lowercase hex digits")
    if (seq == 1) != (prev == GENESIS):
        raise InvalidInput("only the first entry follows the genesis hash")
    text = canonical_json(payload)
    instant = format_instant(at)
    digest = leaf_hash(leaf_input(seq=seq, kind=kind, at=instant, payload=text, prev=prev))
    return Entry(seq=seq, kind=kind, at=instant, payload=text, prev=prev, hash=digest)


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verifying a chain found: the count and head when whole, or the first failure."""

    ok: bool
    entries: int
    head: str
    failed_seq: int | None = None
    reason: str = ""

    def __str__(self) -> str:
        if self.ok:
            return f"ok {self.entries} entries, head {self.head}"
        return f"entry {self.failed_seq} fails: {self.reason}"


def verify_chain(
    entries: Iterable[Entry], *, expected_head: tuple[int, str] | None = None
) -> Verdict:
    """Verify a chain read in ascending storage order; stop at the first entry that fails.

    Rule: entry *n* (counting from 1) must carry ``seq == n`` (a gap is a removed entry, a smaller
    number a reordering), ``prev`` equal to the hash of entry *n-1* (``GENESIS`` for the first), and
    a hash equal to its recomputed leaf hash (an altered field). ``expected_head`` (the count and
    head hash recorded elsewhere, e.g. in the head row or a checkpoint) catches removal of the last
    entries, which no chain can show by itself (Crosby & Wallach 2009, §3).
    """
    count = 0
    head = GENESIS
    for entry in entries:
        expected_seq = count + 1
        if entry.seq != expected_seq:
            if entry.seq > expected_seq:
                reason = f"entry {expected_seq} is missing (found {entry.seq} after {count})"
            else:
                reason = f"found sequence number {entry.seq} where {expected_seq} belongs"
            return Verdict(False, count, head, expected_seq, reason)
        if entry.prev != head:
            return Verdict(
                False, count, head, entry.seq, "its previous hash does not match the entry before"
            )
        if problem := _malformed(entry):
            return Verdict(False, count, head, entry.seq, problem)
        if entry.computed_hash() != entry.hash:
            return Verdict(False, count, head, entry.seq, "its contents do not match its hash")
        count, head = entry.seq, entry.hash
    if expected_head is not None and expected_head != (count, head):
        want_count, want_hash = expected_head
        if want_count > count:
            return Verdict(
                False,
                count,
                head,
                count + 1,
                f"the head records {want_count} entries but only {count} are present",
            )
        return Verdict(
            False,
            count,
            head,
            count,
            f"the head records entry {want_count} with hash {want_hash[:12]}…, the chain ends "
            f"at {count} with {head[:12]}…",
        )
    return Verdict(True, count, head)


def _malformed(entry: Entry) -> str:
    """Why ``entry`` is not in the one form this module writes ('' when it is).

    The payload is embedded unquoted in the hashed envelope, so a payload that is not canonical
    JSON could smuggle in a second ``kind`` (``{"a":1},"kind":"x","b":{}``): one hash, two
    readings. Only entries in the canonical form verify, so every verifier reads the same thing.
    """
    if not _KIND.match(entry.kind):
        return "its kind is not a ledger kind"
    if not _HEX64.match(entry.prev):
        return "its previous hash is not 64 hex digits"
    try:
        if not _INSTANT.match(entry.at):
            return "its instant is not in the ledger's form"
        datetime.fromisoformat(entry.at[:-1])  # a real date and time (fast, in C)
        if not _is_canonical(entry.payload):
            return "its payload is not canonical JSON"
    except (InvalidInput, ValueError):
        return "its instant or payload cannot be read"
    return ""


def _refuse_float(text: str) -> object:
    raise ValueError(f"a float ({text}) cannot be in a ledger payload")


def _is_canonical(payload: str) -> bool:
    """Whether ``payload`` is exactly what :func:`canonical_json` writes for its value.

    Fast path: Python's own sorted dump (by code point) settles almost every payload; only when it
    differs is the full RFC 8785 form (UTF-16 key order, checked values) computed.
    """
    value = json.loads(payload, parse_float=_refuse_float, parse_constant=_refuse_float)
    quick = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return quick == payload or canonical_json(value) == payload


def parse_instant(text: str) -> datetime:
    """Read back an instant written by :func:`format_instant` (aware, UTC)."""
    try:
        naive = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")  # noqa: DTZ007 - Z means UTC
    except ValueError as error:
        raise InvalidInput(f"not a ledger instant: {text!r}") from error
    return naive.replace(tzinfo=UTC)
