"""Sealing ballots into a box, closing it (count, digest, mix) and opening it from the trustees'
partial decryptions: steps of the owner's transaction, on the box row it locked."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from consejo.boxes.models import Box, PartialDecryption, SealedBallot, Trustee
from consejo.boxes.services.keys import multiples
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.sealed import ballots, dkg, files, mix
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry
from consejo.ledger.services import ledger_append


def box_seal(box: Box, choices: Sequence[int], *, width: int) -> str:
    """Seal one ballot (``choices``: positions on the ballot paper, in the voter's order) into
    ``box``; returns its tracker. Inside the caller's transaction (``ballot_cast``).

    Rule: only a box whose key is complete and which is still open takes ballots; every ballot
    of a box has the box's width (the candidates standing when voting opened).
    """
    if box.keyed_at is None or box.public_key is None:
        raise Conflict(_("the trustees have not finished the election key: voting cannot start"))
    if box.closed_at is not None:
        raise Conflict(_("the ballot box is closed"))
    if box.width != width:
        raise Conflict(_("the ballot paper changed while voting was open"))
    ranks = ballots.ranks_of(choices, width, ranked=box.ranked)
    sealed = ballots.encode(ballots.seal(bytes(box.public_key), ranks, multiples(width + 1)))
    tracker = ballots.tracker(sealed)
    try:
        with transaction.atomic():
            SealedBallot.objects.create(box=box, data=sealed, tracker=tracker)
    except IntegrityError as error:  # 2^-256: a collision of SHA-256 or a replayed ballot
        raise Conflict(_("this sealed ballot is already in the box")) from error
    return tracker


def box_fix_width(box: Box, width: int) -> None:
    """Fix the box's width when voting opens: the number of standing candidates, which cannot
    change afterwards (nominations close when voting opens)."""
    if not 1 <= width <= ballots.MAX_WIDTH:
        raise InvalidInput(
            _("a sealed ballot holds from 1 to %(n)d candidates") % {"n": ballots.MAX_WIDTH}
        )
    if box.width != width and not SealedBallot.objects.filter(box=box).exists():
        Box.objects.filter(pk=box.pk).update(width=width)
        box.width = width


def box_close(box: Box, *, voters: int, at: datetime) -> None:
    """Close the box and mix it: record the number of voters, of ballots and the digest of the
    sorted sealed ballots (``box.closed``), then pack, re-encrypt and shuffle them and keep only
    the mix's output (``box.mixed``). Inside the caller's transaction, after its authority check.
    """
    if box.closed_at is not None:
        raise Conflict(_("the ballot box is already closed"))
    rows = [bytes(d) for d in SealedBallot.objects.filter(box=box).values_list("data", flat=True)]
    digest = ballots.box_digest(rows)
    Box.objects.filter(pk=box.pk).update(
        closed_at=at, ballots_at_close=len(rows), voters_at_close=voters, digest=digest
    )
    ledger_append(
        Kind.BOX_CLOSED,
        {"box": box.reference, "voters": voters, "ballots": len(rows), "digest": digest},
        at=at,
    )
    if box.public_key is None:
        return  # never keyed: nothing was cast, nothing to mix
    shape = ballots.layout(box.width, ranked=box.ranked)
    packed = [ballots.pack(ballots.decode(r, box.width), shape) for r in rows]
    shuffled = mix.shuffle(bytes(box.public_key), packed)
    output = b"".join(c.encode() for ballot in shuffled for c in ballot)
    mixed_digest = hashlib.sha256(output).hexdigest()
    Box.objects.filter(pk=box.pk).update(mixed=output, mixed_digest=mixed_digest)
    ledger_append(
        Kind.BOX_MIXED,
        {"box": box.reference, "ballots": len(shuffled), "digest": mixed_digest},
        at=at,
    )
    box.refresh_from_db()


def _entries(kind: Kind, box: Box, **payload: object) -> list[dict[str, Any]]:
    """The payloads of the ledger entries of ``kind`` about ``box`` (and ``payload``), in order."""
    import json

    out = []
    rows = LedgerEntry.objects.filter(kind=kind, payload__contains=box.reference).order_by("seq")
    for text in rows.values_list("payload", flat=True):
        data = json.loads(text)
        if data.get("box") == box.reference and all(data.get(k) == v for k, v in payload.items()):
            out.append(data)
    return out


def box_open(box: Box, *, voters: int, cast_entries: int, at: datetime) -> list[tuple[int, ...]]:
    """Open the box for the count: every ballot's choices (positions on the ballot paper, in
    the voter's order), in the mix's order. Inside the caller's transaction.

    Rule: refused, with nothing written, when the sealed ballots, the voters, the
    ``ballot.cast`` entries and what ``box.closed`` recorded disagree, when the mix or a partial
    decryption is not the one the ledger recorded, or when fewer than k trustees' partial
    decryptions hold (saying which trustees are missing). The k lowest-numbered trustees whose
    proofs held decrypt.
    """
    if box.mixed is None or box.closed_at is None:
        raise Conflict(_("the ballot box is not closed and mixed yet"))
    if box.opened_at is not None:
        raise Conflict(_("the ballot box is already open"))
    rows = [bytes(d) for d in SealedBallot.objects.filter(box=box).values_list("data", flat=True)]
    counts = {
        "sealed ballots": len(rows),
        "voters": voters,
        "ballot.cast entries": cast_entries,
        "ballots at close": box.ballots_at_close,
        "voters at close": box.voters_at_close,
    }
    if len(set(counts.values())) != 1:
        raise Conflict(
            _("the box does not add up, nothing was counted: %(counts)s")
            % {"counts": ", ".join(f"{k} {v}" for k, v in counts.items())}
        )
    if ballots.box_digest(rows) != box.digest:
        raise Conflict(
            _("the sealed ballots are not those the box held at close: nothing was counted")
        )
    mixed_bytes = bytes(box.mixed)
    recorded = _entries(Kind.BOX_MIXED, box)
    if (
        hashlib.sha256(mixed_bytes).hexdigest() != box.mixed_digest
        or len(recorded) != 1
        or recorded[0]["digest"] != box.mixed_digest
    ):
        raise Conflict(_("the mix is not the one the ledger recorded: nothing was counted"))
    shape = ballots.layout(box.width, ranked=box.ranked)
    mixed = files.read_ciphertexts(mixed_bytes)
    if len(mixed) != len(rows) * len(shape.groups):
        raise Conflict(_("the mix does not hold the box's ballots: nothing was counted"))
    trustees = list(Trustee.objects.filter(box=box).order_by("index"))
    decryptions = {d.trustee_id: d for d in PartialDecryption.objects.filter(trustee__box=box)}
    good: dict[int, list[bytes]] = {}
    for t in trustees:
        d = decryptions.get(t.pk)
        if d is None or not d.valid or len(good) == box.threshold:
            continue
        logged = _entries(Kind.DECRYPTION_SUBMITTED, box, trustee=t.index)
        if not logged or logged[-1]["digest"] != d.digest or not logged[-1]["valid"]:
            raise Conflict(
                _("trustee %(i)d's partial decryption is not the one the ledger recorded")
                % {"i": t.index}
            )
        raw = bytes(d.images)
        good[t.index] = [raw[i : i + 32] for i in range(0, len(raw), 32)]
    if len(good) < box.threshold:
        failed = [t.index for t in trustees if t.pk in decryptions and not decryptions[t.pk].valid]
        missing = [t.index for t in trustees if t.pk not in decryptions]
        message = _(
            "%(have)d of the %(k)d trustees needed have decrypted; waiting for trustees %(missing)s"
        ) % {
            "have": len(good),
            "k": box.threshold,
            "missing": ", ".join(map(str, missing)) or "-",
        }
        if failed:
            message += " " + _("(proofs failed: trustees %(failed)s)") % {
                "failed": ", ".join(map(str, failed))
            }
        raise Conflict(message)
    points = dkg.combine(mixed, good)
    try:
        values = ballots.read_plaintexts(points, multiples(shape.table_size))
        per = len(shape.groups)
        opened = [
            ballots.choices_of(
                ballots.unpack(values[b * per : (b + 1) * per], shape), ranked=box.ranked
            )
            for b in range(len(rows))
        ]
    except InvalidInput as error:
        raise Conflict(
            _("the box does not open: %(error)s; nothing was counted") % {"error": error}
        ) from None
    Box.objects.filter(pk=box.pk).update(opened_at=at)
    box.opened_at = at
    return opened
