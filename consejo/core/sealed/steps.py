"""A trustee's steps in a sealed vote, on the trustee's own device: from the box's file and the
trustee's seed (the card), the file of each step to bring back to the server.

Rule: the device needs nothing but the box's file (:mod:`consejo.core.sealed.files`, which checks
every value in it) and the seed; before a seed is used on a box's published values, the
commitment it gives must be the one the box published for that trustee (:func:`check_card`), so
that a wrong card, or a box's file that is not the box, is refused instead of sealing shares or
decrypting for it. The protocol is Pedersen's distributed key generation with Feldman's checks
and Chaum-Pedersen proofs (:mod:`consejo.core.sealed.dkg`).
"""

from __future__ import annotations

from typing import Any

from consejo.core.errors import InvalidInput, gettext_noop
from consejo.core.sealed import dkg, files, proofs
from consejo.core.sealed.group import Scalar


def _secrets(box: files.BoxView, index: int, seed: bytes) -> dkg.TrusteeSecrets:
    if index not in box.trustees:
        raise InvalidInput.of(gettext_noop("this box has no trustee number %(i)d"), i=index)
    return dkg.derive(box.context, index, box.threshold, seed)


def step_commit(box: files.BoxView, index: int, seed: bytes) -> dict[str, Any]:
    """Step 1: the commitment the trustee's seed gives for this box."""
    return files.write_step(
        box.reference,
        index,
        "commit",
        commitment=dkg.commit(box.context, _secrets(box, index, seed)).encode().hex(),
    )


def check_card(box: files.BoxView, index: int, seed: bytes) -> None:
    """Refuse a card whose seed does not give the commitment the box published for ``index``."""
    published = box.trustees[index].commitment if index in box.trustees else None
    if published is None:
        raise InvalidInput.of(gettext_noop("trustee %(i)d has not committed yet"), i=index)
    mine = dkg.commit(box.context, _secrets(box, index, seed))
    if (
        mine.coefficients != published.coefficients
        or mine.communication_key != published.communication_key
    ):
        raise InvalidInput.of(
            gettext_noop("this card is not the card of trustee %(i)d of this box"), i=index
        )


def step_shares(box: files.BoxView, index: int, seed: bytes) -> dict[str, Any]:
    """Step 2: the shares sealed for every other trustee."""
    check_card(box, index, seed)
    keys = {i: c.communication_key for i, c in box.commitments().items()}
    sealed = dkg.seal_shares(box.context, _secrets(box, index, seed), keys)
    return files.write_step(
        box.reference, index, "shares", shares={str(j): v.hex() for j, v in sorted(sealed.items())}
    )


def share_of(box: files.BoxView, index: int, seed: bytes) -> tuple[Scalar, list[int]]:
    """The trustee's share of the key, and the trustees whose sealed share failed."""
    check_card(box, index, seed)
    missing = [i for i, t in box.trustees.items() if i != index and t.shares is None]
    if missing:
        raise InvalidInput.of(
            gettext_noop("trustees %(who)s have not sealed their shares yet"),
            who=", ".join(map(str, missing)),
        )
    incoming = {
        i: t.shares.get(index, b"")
        for i, t in box.trustees.items()
        if i != index and t.shares is not None
    }
    return dkg.open_shares(box.context, _secrets(box, index, seed), box.commitments(), incoming)


def step_confirm(box: files.BoxView, index: int, seed: bytes) -> dict[str, Any]:
    """Step 3: a proof that the trustee holds its share, or the trustees whose share failed."""
    share, bad = share_of(box, index, seed)
    if bad:
        return files.write_step(box.reference, index, "confirm", accuse=bad)
    proof = proofs.prove_key(dkg.confirm_context(box.context, index), share)
    return files.write_step(box.reference, index, "confirm", proof=proof.encode().hex())


def step_decrypt(box: files.BoxView, index: int, seed: bytes) -> dict[str, Any]:
    """At the count: the partial decryption of the mix, with its proof."""
    if box.mixed is None:
        raise InvalidInput.of(gettext_noop("the box has not been closed and mixed yet"))
    share, bad = share_of(box, index, seed)
    if bad:
        raise InvalidInput.of(
            gettext_noop("the shares of trustees %(who)s fail: this card cannot decrypt"),
            who=", ".join(map(str, bad)),
        )
    images, proof = dkg.partial_decrypt(box.context, index, share, box.mixed)
    return files.write_step(
        box.reference,
        index,
        "decrypt",
        count=len(images),
        images=files.b64(b"".join(images)),
        proof=proof.encode().hex(),
    )
