"""The key ceremony: a box is prepared with its trustees, and each trustee takes the steps of the
distributed key generation and, after the vote, of the decryption (consejo.core.sealed.dkg)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.utils.translation import gettext as _, gettext_noop

from consejo.bodies.authority import actor_member, actor_ref, require
from consejo.bodies.models import Body, Member
from consejo.boxes.models import Box, PartialDecryption, Trustee
from consejo.common.actors import Actor
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.core.sealed import dkg, files, proofs
from consejo.core.sealed.elgamal import Multiples
from consejo.ledger.kinds import Kind
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
    eligible: Collection[int] | None = None,
) -> Box:
    """A new box for a secret vote of ``body``'s members, its trustees numbered 1 … n in the
    order given. Rule: at least three trustees, each a member of ``body`` (or, where the caller
    says who may be one, one of ``eligible``: a council's sitting delegates) with a login (a
    trustee acts only through their own login: nobody may commit a key in their name), each once;
    any ``threshold`` of them count (default: a majority)."""
    from consejo.bodies.authority import is_member

    people = list(trustees)
    if len({m.pk for m in people}) != len(people):
        raise InvalidInput(_("a trustee is named twice"))
    if threshold is None:
        threshold = dkg.default_threshold(len(people))
    dkg.check_threshold(len(people), threshold)
    for member in people:
        allowed = member.pk in eligible if eligible is not None else is_member(member, body, at)
        if not allowed:
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
