"""What the audit covers of sealed ballot boxes and their trustees, and how each of their ledger
kinds rebuilds its rows (consejo.ledger.audit; docs/ledger.md).

Sealed ballots themselves are not in the ledger one by one (an entry per ballot, in the order of
voting, would say who cast which): they are audited by their number and, once the box is closed,
by the digest ``box.closed`` recorded (consejo.core.sealed.ballots.box_digest).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any

from consejo.core.sealed.ballots import box_digest
from consejo.ledger.audit import Computed, Difference, Row, State, Table, register
from consejo.ledger.kinds import Kind

BOX = "boxes.Box"
TRUSTEE = "boxes.Trustee"
DECRYPTION = "boxes.PartialDecryption"
SEALED = "boxes.SealedBallot"


def _sha256(column: str) -> Computed:
    return Computed((column,), lambda row: _hex_digest(row[column]))


def _hex_digest(value: bytes | memoryview | None) -> str | None:
    return None if value is None else hashlib.sha256(bytes(value)).hexdigest()


def _decryption_digest(row: Row) -> str:
    return hashlib.sha256(bytes(row["images"]) + bytes(row["proof"])).hexdigest()


TABLES = (
    Table(
        BOX,
        fields=(
            "reference",
            "purpose",
            "body",
            "width",
            "ranked",
            "threshold",
            "created_at",
            "public_key",
            "keyed_at",
            "closed_at",
            "ballots_at_close",
            "voters_at_close",
            "digest",
            "mixed_digest",
            "opened_at",
        ),
        computed={"mixed": _sha256("mixed")},
    ),
    Table(
        TRUSTEE,
        fields=(
            "box",
            "index",
            "member",
            "commitment",
            "committed_at",
            "shares",
            "shared_at",
            "confirmation",
            "confirmed_at",
            "accused",
        ),
    ),
    Table(
        DECRYPTION,
        fields=("valid", "digest", "submitted_at"),
        computed={"images": Computed(("images", "proof"), _decryption_digest)},
        key=lambda row: str(row["trustee"]),
        reads=("trustee",),
        not_covered={"id": "a number the database draws; a decryption is named by its trustee"},
    ),
)

NOT_COVERED = {
    SEALED: "ballots are audited by their number and the digest box.closed records, not one "
    "by one (an entry per ballot would show the order of voting)",
}


def box_prepared(state: State, p: Mapping[str, Any]) -> None:
    reference, box_id = p["box"], p.get("id")
    if box_id is None:
        state.problem("it does not name its box's row (written before entries did)")
        return
    state.put(
        BOX,
        box_id,
        {
            "reference": reference,
            "purpose": p["purpose"],
            "body": state.named("bodies.Body", p["body"]),
            "width": 1,
            "ranked": p["ranked"],
            "threshold": p["threshold"],
            "created_at": state.at,
            "public_key": None,
            "keyed_at": None,
            "closed_at": None,
            "ballots_at_close": None,
            "voters_at_close": None,
            "digest": "",
            "mixed": None,
            "mixed_digest": "",
            "opened_at": None,
        },
    )
    state.name(BOX, reference, box_id)
    state.name(BOX, p["purpose"], box_id)
    for (index, member), row in zip(p["trustees"], p["trustee_rows"], strict=True):
        state.put(
            TRUSTEE,
            row,
            {
                "box": box_id,
                "index": index,
                "member": member,
                "commitment": None,
                "committed_at": None,
                "shares": None,
                "shared_at": None,
                "confirmation": None,
                "confirmed_at": None,
                "accused": [],
            },
        )
        state.name(TRUSTEE, f"{reference}/{index}", row)


def _trustee(state: State, p: Mapping[str, Any]) -> Any:
    return state.named(TRUSTEE, f"{p['box']}/{p['trustee']}")


def trustee_committed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(TRUSTEE, _trustee(state, p), commitment=p["commitment"], committed_at=state.at)


def trustee_shared(state: State, p: Mapping[str, Any]) -> None:
    state.patch(TRUSTEE, _trustee(state, p), shares=p["shares"], shared_at=state.at)


def trustee_accused(state: State, p: Mapping[str, Any]) -> None:
    state.patch(TRUSTEE, _trustee(state, p), accused=p["accused"])


def trustee_confirmed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(TRUSTEE, _trustee(state, p), confirmation=p["proof"], confirmed_at=state.at)


def box_keyed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(BOX, state.named(BOX, p["box"]), public_key=p["key"], keyed_at=state.at)


def box_closed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(
        BOX,
        state.named(BOX, p["box"]),
        closed_at=state.at,
        ballots_at_close=p["ballots"],
        voters_at_close=p["voters"],
        digest=p["digest"],
    )


def box_mixed(state: State, p: Mapping[str, Any]) -> None:
    state.patch(BOX, state.named(BOX, p["box"]), mixed=p["digest"], mixed_digest=p["digest"])


def decryption_submitted(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        DECRYPTION,
        _trustee(state, p),
        {
            "valid": p["valid"],
            "digest": p["digest"],
            "images": p["digest"],
            "submitted_at": state.at,
        },
    )


def ballot_sealed(state: State, purpose: str, width: Callable[[], int]) -> None:
    """A secret ballot went into the box for ``purpose`` (called by the elections' replayer of
    ``ballot.cast``): the first one fixes the box's width (``width()``, asked only then); each
    one adds to its count."""
    box_id = state.named(BOX, purpose)
    box = state.row(BOX, box_id)
    if box is None:
        return
    if state.counts[SEALED, box["reference"]] == 0:
        state.patch(BOX, box_id, width=width())
    state.counts[SEALED, box["reference"]] += 1


def box_opened(state: State, purpose: str) -> None:
    """The box for ``purpose`` was opened by the count (``election.counted``)."""
    state.patch(BOX, state.named(BOX, purpose), opened_at=state.at)


def sealed_ballots(state: State) -> list[Difference]:
    """Every box holds as many sealed ballots as were cast into it and, once closed, exactly the
    ballots whose digest ``box.closed`` recorded."""
    from consejo.boxes.models import SealedBallot

    found: dict[str, list[bytes]] = {}
    for reference, data in SealedBallot.objects.values_list("box__reference", "data").iterator():
        found.setdefault(reference, []).append(bytes(data))
    out = []
    for box_id, box in sorted(state.rows(BOX).items()):
        reference = box["reference"]
        held = found.pop(reference, [])
        cast = state.counts.get((SEALED, reference), 0)
        seq = state.origin.get((BOX, box_id), {}).get("digest")
        if len(held) != cast:
            out.append(Difference(SEALED, reference, "count", cast, len(held), seq))
        elif box["closed_at"] is not None and box_digest(held) != box["digest"]:
            out.append(
                Difference(SEALED, reference, "digest", box["digest"], box_digest(held), seq)
            )
    for reference, held in sorted(found.items()):
        out.append(Difference(SEALED, reference, "count", 0, len(held), None))
    return out


def register_replay() -> None:
    """Register this app's tables, replayers and the sealed-ballot check with the audit."""
    register(
        tables=TABLES,
        not_covered=NOT_COVERED,
        checks=(sealed_ballots,),
        replayers={
            Kind.BOX_PREPARED: box_prepared,
            Kind.TRUSTEE_COMMITTED: trustee_committed,
            Kind.TRUSTEE_SHARED: trustee_shared,
            Kind.TRUSTEE_ACCUSED: trustee_accused,
            Kind.TRUSTEE_CONFIRMED: trustee_confirmed,
            Kind.BOX_KEYED: box_keyed,
            Kind.BOX_CLOSED: box_closed,
            Kind.BOX_MIXED: box_mixed,
            Kind.DECRYPTION_SUBMITTED: decryption_submitted,
        },
    )
