"""The one write path for sealed ballot boxes: prepare a box with its trustees, take each
trustee's step of the key ceremony, seal a ballot, close and mix the box, take the trustees'
partial decryptions, open the box for the count.

:func:`box_prepare`, :func:`box_seal`, :func:`box_close` and :func:`box_open` run inside the
caller's service (an election's ``election_create``, ``ballot_cast``, ``election_close``,
``election_count``), in its transaction, after its authority check. :func:`trustee_step` is a
service of its own: the trustee acts. The protocol is consejo.core.sealed; this module stores
what it produces and appends the ledger entries.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from consejo.bodies.authority import actor_member, actor_ref, require
from consejo.bodies.models import Body, Member
from consejo.boxes.models import Box, PartialDecryption, SealedBallot, Trustee
from consejo.common.actors import Actor
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.core.sealed import ballots, dkg, files, mix, proofs
from consejo.core.sealed.elgamal import Multiples
from consejo.ledger.kinds import Kind
from consejo.ledger.models import LedgerEntry
from consejo.ledger.services import ledger_append, service_instant

T = TypeVar("T")


def _present(value: T | None) -> T:
    """A part that files.read_step guarantees for its step."""
    if value is None:
        raise InvalidInput(_("the step's file is incomplete"))
    return value


@functools.lru_cache(maxsize=8)
def multiples(size: int) -> Multiples:
    """The table m·B for m < size, built once per process and size (the count's table of 2^17
    entries takes seconds)."""
    return Multiples(size)


def box_prepare(
    *,
    body: Body,
    purpose: str,
    trustees: Sequence[Member],
    threshold: int | None,
    ranked: bool,
    at: datetime,
    also: Body | None = None,
) -> Box:
    """A new box for a secret vote of ``body``'s members, its trustees numbered 1 … n in the
    order given. Rule: at least three trustees, each a member of ``body`` (or of ``also``, the
    council or committee the vote is for) with a login (a trustee acts only through their own
    login: nobody may commit a key in their name), each once; any ``threshold`` of them count
    (default: a majority)."""
    from consejo.bodies.authority import is_member

    people = list(trustees)
    if len({m.pk for m in people}) != len(people):
        raise InvalidInput(_("a trustee is named twice"))
    if threshold is None:
        threshold = dkg.default_threshold(len(people))
    dkg.check_threshold(len(people), threshold)
    for member in people:
        if not is_member(member, body, at) and not (also and is_member(member, also, at)):
            raise InvalidInput(
                _("%(member)s is not a member of %(body)s") % {"member": member, "body": body}
            )
        if member.user_id is None:
            raise InvalidInput(
                _("%(member)s has no login: a trustee acts through their own") % {"member": member}
            )
    box = Box.objects.create(
        purpose=purpose, body=body, width=1, ranked=ranked, threshold=threshold, created_at=at
    )
    rows = Trustee.objects.bulk_create(
        [Trustee(box=box, index=i, member=m) for i, m in enumerate(people, start=1)]
    )
    ledger_append(
        Kind.BOX_PREPARED,
        {
            "box": box.reference,
            "id": box.pk,
            "purpose": purpose,
            "body": body.slug,
            "threshold": threshold,
            "ranked": ranked,
            "trustees": [[i, m.pk] for i, m in enumerate(people, start=1)],
            "trustee_rows": [t.pk for t in rows],
        },
        at=at,
    )
    return box


@dataclass(frozen=True)
class StepDone:
    """What a trustee's step did: ``valid`` is False only for a partial decryption whose proof
    failed (recorded, and its trustee named); ``keyed`` when the step completed the key."""

    box: Box
    trustee: int
    step: str
    valid: bool = True
    keyed: bool = False


def trustee_step(
    *, actor: Actor, reference: str, step: str | Mapping[str, Any], at: datetime | None = None
) -> StepDone:
    """Take a trustee's step file: the commitment, the sealed shares, the confirmation (or the
    trustees it accuses), or the partial decryption at the count.

    Rule: only the trustee's own login brings its steps, each once and in order: every trustee
    commits before anyone seals shares, every trustee seals before anyone confirms; the key is
    complete when all have confirmed; the partial decryptions come after the box is mixed. Every
    proof is checked here; a partial decryption whose proof fails is recorded with its trustee
    named, and may be brought again.
    """
    with transaction.atomic(durable=True):
        at = service_instant(at)
        box = Box.objects.filter(reference=str(reference)[:32]).first()
        if box is None:
            raise NotFound(_("no such box"))
        everyone = {t.index: t for t in Trustee.objects.filter(box=box).select_related("member")}
        # Who may bring it is decided before the step's contents are read (a partial decryption
        # is megabytes of points to check): only one of the box's trustees, for their own number.
        me = actor_member(actor)
        mine = next((t for t in everyone.values() if me is not None and t.member_id == me.pk), None)
        require(
            mine is not None,
            actor=actor,
            action=gettext_noop("bring a trustee's step"),
            target=box,
        )
        parsed = files.read_step(step, threshold=box.threshold, trustees=len(everyone))
        if parsed.box != box.reference:
            raise InvalidInput(_("this file is for another box"))
        trustee = everyone[parsed.trustee]
        require(
            trustee == mine,
            actor=actor,
            action=gettext_noop("bring a trustee's step"),
            target=trustee,
        )
        context = files.context_of(box.reference)
        done = StepDone(box, trustee.index, parsed.step)
        if parsed.step == "decrypt":
            return _decryption(box, trustee, everyone, parsed, context, actor, at)
        if box.keyed_at is not None:
            raise Conflict(_("the key is already complete"))
        if parsed.step == "commit":
            if trustee.committed_at is not None:
                raise Conflict(_("you have already committed"))
            commitment = _present(parsed.commitment)
            dkg.check_commitment(context, commitment, box.threshold)
            trustee.commitment, trustee.committed_at = commitment.encode(), at
            trustee.save(update_fields=["commitment", "committed_at"])
            _log(
                Kind.TRUSTEE_COMMITTED, box, trustee, actor, at, commitment=trustee.commitment.hex()
            )
            return done
        waiting = [
            t.index
            for t in everyone.values()
            if (t.committed_at if parsed.step == "shares" else t.shared_at) is None
        ]
        if waiting:
            raise Conflict(
                _("waiting for trustees %(who)s to finish the previous step")
                % {"who": ", ".join(map(str, waiting))}
            )
        if parsed.step == "shares":
            if trustee.shared_at is not None:
                raise Conflict(_("you have already sealed your shares"))
            trustee.shares = {str(j): v.hex() for j, v in sorted(_present(parsed.shares).items())}
            trustee.shared_at = at
            trustee.save(update_fields=["shares", "shared_at"])
            _log(Kind.TRUSTEE_SHARED, box, trustee, actor, at, shares=trustee.shares)
            return done
        if trustee.confirmed_at is not None or trustee.accused:
            raise Conflict(_("you have already confirmed"))
        if parsed.accuse:
            trustee.accused = list(parsed.accuse)
            trustee.save(update_fields=["accused"])
            _log(Kind.TRUSTEE_ACCUSED, box, trustee, actor, at, accused=trustee.accused)
            return done
        proof = _present(parsed.proof)
        commitments = _commitments(box, everyone)
        key = dkg.verification_key(commitments, trustee.index)
        if not proofs.check_key(dkg.confirm_context(context, trustee.index), key, proof):
            raise InvalidInput(_("the confirmation's proof does not hold: check the card"))
        trustee.confirmation, trustee.confirmed_at = proof.encode(), at
        trustee.save(update_fields=["confirmation", "confirmed_at"])
        _log(Kind.TRUSTEE_CONFIRMED, box, trustee, actor, at, proof=trustee.confirmation.hex())
        if all(t.confirmed_at is not None for t in everyone.values()):
            box.public_key, box.keyed_at = dkg.election_key(commitments), at
            box.save(update_fields=["public_key", "keyed_at"])
            ledger_append(
                Kind.BOX_KEYED, {"box": box.reference, "key": bytes(box.public_key).hex()}, at=at
            )
            return StepDone(box, trustee.index, parsed.step, keyed=True)
        return done


def _log(kind: Kind, box: Box, trustee: Trustee, actor: Actor, at: datetime, **extra: Any) -> None:
    ledger_append(
        kind,
        {"box": box.reference, "trustee": trustee.index, **extra, "by": actor_ref(actor)},
        at=at,
    )


def _commitments(box: Box, everyone: Mapping[int, Trustee]) -> dict[int, dkg.Commitment]:
    out = {}
    for i, t in everyone.items():
        if t.commitment is None:
            raise Conflict(_("trustee %(i)d has not committed yet") % {"i": i})
        out[i] = dkg.Commitment.decode(i, box.threshold, bytes(t.commitment))
    return out


def _decryption(
    box: Box,
    trustee: Trustee,
    everyone: Mapping[int, Trustee],
    parsed: files.Step,
    context: bytes,
    actor: Actor,
    at: datetime,
) -> StepDone:
    if box.mixed is None:
        raise Conflict(_("the box is not closed and mixed yet"))
    if box.opened_at is not None:
        raise Conflict(_("the box is already open"))
    proof = _present(parsed.proof)
    previous = PartialDecryption.objects.filter(trustee=trustee).first()
    if previous is not None and previous.valid:
        raise Conflict(_("your partial decryption is already in"))
    mixed = files.read_ciphertexts(bytes(box.mixed))
    if len(parsed.images) != len(mixed):
        raise InvalidInput(
            _("the partial decryption holds %(n)d values; the box has %(m)d")
            % {"n": len(parsed.images), "m": len(mixed)}
        )
    key = dkg.verification_key(_commitments(box, everyone), trustee.index)
    valid = dkg.check_partial(context, trustee.index, key, mixed, parsed.images, proof)
    images = b"".join(parsed.images)
    digest = hashlib.sha256(images + proof.encode()).hexdigest()
    fields = {
        "images": images,
        "proof": proof.encode(),
        "digest": digest,
        "valid": valid,
        "submitted_at": at,
    }
    PartialDecryption.objects.update_or_create(trustee=trustee, defaults=fields)
    _log(Kind.DECRYPTION_SUBMITTED, box, trustee, actor, at, digest=digest, valid=valid)
    return StepDone(box, trustee.index, "decrypt", valid=valid)


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
