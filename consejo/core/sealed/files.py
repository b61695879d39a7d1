"""The files a box and its trustees exchange: what the server publishes of a box, and each
step a trustee brings back (as JSON, so that the ``consejo trustee`` command, the static page
and the API read and write the same thing). This module writes and reads them; what a trustee's
device computes for each step is :mod:`consejo.core.sealed.steps`.

Rule: a trustee's device needs nothing but the box's file and the card; the server needs
nothing from a trustee but the step's file. Every value read here is checked (canonical points
and scalars, sizes, the box's reference and the trustee's number) before any use.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from consejo.core.errors import InvalidInput, gettext_noop, term
from consejo.core.limits import load_json
from consejo.core.sealed import ballots, dkg, group, proofs
from consejo.core.sealed.elgamal import CIPHERTEXT_BYTES, Ciphertext
from consejo.core.sealed.group import Point
from consejo.core.sealed.proofs import Proof

BOX_FORMAT = "consejo-box/1"
STEP_FORMAT = "consejo-trustee-step/1"
STEPS = ("commit", "shares", "confirm", "decrypt")
#: The most packed ciphertexts a box's file carries (two million ballots of ten candidates).
MAX_MIXED = 4_000_000


def _hex(value: object, size: int, what: str) -> bytes:
    if not isinstance(value, str) or len(value) != 2 * size:
        raise InvalidInput.of(
            gettext_noop("%(what)s is not %(n)d bytes in hexadecimal"), what=what, n=size
        )
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise InvalidInput.of(gettext_noop("%(what)s is not hexadecimal"), what=what) from None


def _b64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise InvalidInput.of(gettext_noop("%(what)s is not base64 text"), what=what)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput.of(gettext_noop("%(what)s is not base64 text"), what=what) from None


def _int(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput.of(
            gettext_noop("%(what)s must be a whole number from %(low)d to %(high)d"),
            what=what,
            low=low,
            high=high,
        )
    return value


def _number(key: object) -> int:
    """A trustee's number written as a JSON key ("3"), or -1 (refused by the range check):
    ASCII digits only, at most three of them."""
    if isinstance(key, str) and re.fullmatch("[0-9]{1,3}", key):
        return int(key)
    return -1


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass(frozen=True)
class TrusteeView:
    index: int
    commitment: dkg.Commitment | None
    shares: dict[int, bytes] | None
    confirmed: bool


@dataclass(frozen=True)
class BoxView:
    """What the server publishes of a box."""

    reference: str
    threshold: int
    width: int
    ranked: bool
    trustees: dict[int, TrusteeView]
    public_key: Point | None
    mixed: list[Ciphertext] | None = None
    you: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def context(self) -> bytes:
        return context_of(self.reference)

    def commitments(self) -> dict[int, dkg.Commitment]:
        out = {i: t.commitment for i, t in self.trustees.items() if t.commitment is not None}
        if len(out) != len(self.trustees):
            missing = ", ".join(str(i) for i in sorted(set(self.trustees) - set(out)))
            raise InvalidInput.of(
                gettext_noop("trustees %(who)s have not committed yet"), who=missing
            )
        return out


def context_of(reference: str) -> bytes:
    """The context every proof of a box hashes."""
    return b"consejo/box/" + reference.encode("ascii")


def box_file(
    *,
    reference: str,
    threshold: int,
    width: int,
    ranked: bool,
    trustees: Mapping[int, tuple[bytes | None, Mapping[int, bytes] | None, bool]],
    public_key: bytes | None,
    mixed: bytes | None,
    you: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The box's file as the server publishes it."""
    return {
        "format": BOX_FORMAT,
        "box": reference,
        "threshold": threshold,
        "width": width,
        "ranked": ranked,
        "trustees": [
            {
                "index": i,
                "commitment": c.hex() if c is not None else None,
                "shares": {str(j): v.hex() for j, v in sorted(s.items())}
                if s is not None
                else None,
                "confirmed": confirmed,
            }
            for i, (c, s, confirmed) in sorted(trustees.items())
        ],
        "public_key": public_key.hex() if public_key is not None else None,
        "mixed": b64(mixed) if mixed is not None else None,
        "you": you,
        **(dict(extra) if extra else {}),
    }


def _object(text: str | Mapping[str, Any], expected: str) -> Mapping[str, Any]:
    data = load_json(text) if isinstance(text, str) else text
    if not isinstance(data, Mapping) or data.get("format") != expected:
        raise InvalidInput.of(gettext_noop("not a file of the kind %(kind)s"), kind=expected)
    return data


def read_box(text: str | Mapping[str, Any]) -> BoxView:
    """A box's file, checked."""
    data = _object(text, BOX_FORMAT)
    reference = data.get("box")
    if not isinstance(reference, str) or not 1 <= len(reference) <= 64 or not reference.isalnum():
        raise InvalidInput.of(gettext_noop("the box's reference cannot be read"))
    rows = data.get("trustees")
    if not isinstance(rows, list) or not 1 <= len(rows) <= dkg.MAX_TRUSTEES:
        raise InvalidInput.of(gettext_noop("the box's trustees cannot be read"))
    threshold = _int(data.get("threshold"), term(gettext_noop("threshold")), 2, len(rows))
    width = _int(data.get("width"), term(gettext_noop("width")), 1, ballots.MAX_WIDTH)
    ranked = data.get("ranked")
    if not isinstance(ranked, bool):
        raise InvalidInput.of(gettext_noop("the box's ballot kind cannot be read"))
    trustees: dict[int, TrusteeView] = {}
    for row in rows:
        if not isinstance(row, Mapping):
            raise InvalidInput.of(gettext_noop("the box's trustees cannot be read"))
        i = _int(row.get("index"), term(gettext_noop("a trustee's number")), 1, dkg.MAX_TRUSTEES)
        commitment = None
        if row.get("commitment") is not None:
            size = group.POINT_BYTES * (threshold + 1) + 2 * proofs.PROOF_BYTES
            commitment = dkg.Commitment.decode(
                i, threshold, _hex(row["commitment"], size, term(gettext_noop("a commitment")))
            )
        shares = None
        if row.get("shares") is not None:
            raw = row["shares"]
            if not isinstance(raw, Mapping):
                raise InvalidInput.of(
                    gettext_noop("the shares of trustee %(i)d cannot be read"), i=i
                )
            shares = {
                _int(
                    _number(j),
                    term(gettext_noop("a trustee's number")),
                    1,
                    dkg.MAX_TRUSTEES,
                ): _hex(v, group.SCALAR_BYTES, term(gettext_noop("a sealed share")))
                for j, v in raw.items()
            }
        trustees[i] = TrusteeView(i, commitment, shares, bool(row.get("confirmed")))
    if sorted(trustees) != list(range(1, len(rows) + 1)):
        raise InvalidInput.of(gettext_noop("the box's trustees are not numbered 1 to n"))
    public_key = None
    if data.get("public_key") is not None:
        public_key = group.point(
            _hex(data["public_key"], group.POINT_BYTES, term(gettext_noop("the election key")))
        )
    mixed = None
    if data.get("mixed") is not None:
        raw_mixed = _b64(data["mixed"], term(gettext_noop("the mixed ballots")))
        if len(raw_mixed) % CIPHERTEXT_BYTES or len(raw_mixed) // CIPHERTEXT_BYTES > MAX_MIXED:
            raise InvalidInput.of(gettext_noop("the mixed ballots cannot be read"))
        mixed = read_ciphertexts(raw_mixed)
    you = data.get("you")
    if you is not None:
        you = _int(you, term(gettext_noop("your number")), 1, len(rows))
    return BoxView(reference, threshold, width, ranked, trustees, public_key, mixed, you)


def read_ciphertexts(data: bytes) -> list[Ciphertext]:
    return [
        Ciphertext.decode(data[i : i + CIPHERTEXT_BYTES])
        for i in range(0, len(data), CIPHERTEXT_BYTES)
    ]


# --- a trustee's step file ---


def write_step(reference: str, trustee: int, step: str, **payload: Any) -> dict[str, Any]:
    """The file of a trustee's ``step`` for the box ``reference``, as the trustee's device writes
    it (:func:`read_step` reads it back on the server)."""
    return {"format": STEP_FORMAT, "box": reference, "trustee": trustee, "step": step, **payload}


@dataclass(frozen=True)
class Step:
    """A trustee's step file as the server reads it (:func:`read_step`), its shape checked."""

    box: str
    trustee: int
    step: str
    commitment: dkg.Commitment | None = None
    shares: dict[int, bytes] | None = None
    proof: Proof | None = None
    accuse: tuple[int, ...] = ()
    images: tuple[Point, ...] = ()


def read_step(text: str | Mapping[str, Any], *, threshold: int, trustees: int) -> Step:
    """A trustee's step file, checked for its shape (the server checks its proofs)."""
    data = _object(text, STEP_FORMAT)
    reference = data.get("box")
    if not isinstance(reference, str):
        raise InvalidInput.of(gettext_noop("the box's reference cannot be read"))
    index = _int(data.get("trustee"), term(gettext_noop("the trustee's number")), 1, trustees)
    step = data.get("step")
    if step not in STEPS:
        raise InvalidInput.of(gettext_noop("unknown step: %(step)s"), step=str(step)[:20])
    if step == "commit":
        size = group.POINT_BYTES * (threshold + 1) + 2 * proofs.PROOF_BYTES
        return Step(
            reference,
            index,
            step,
            commitment=dkg.Commitment.decode(
                index,
                threshold,
                _hex(data.get("commitment"), size, term(gettext_noop("the commitment"))),
            ),
        )
    if step == "shares":
        raw = data.get("shares")
        if not isinstance(raw, Mapping):
            raise InvalidInput.of(gettext_noop("the shares cannot be read"))
        shares = {}
        for j, v in raw.items():
            number = _number(j)
            shares[_int(number, term(gettext_noop("a trustee's number")), 1, trustees)] = _hex(
                v, group.SCALAR_BYTES, "a sealed share"
            )
        if sorted(shares) != [j for j in range(1, trustees + 1) if j != index]:
            raise InvalidInput.of(
                gettext_noop("a share is needed for every other trustee, and only for them")
            )
        return Step(reference, index, step, shares=shares)
    if step == "confirm":
        if data.get("accuse") is not None:
            accused = data["accuse"]
            if not isinstance(accused, list) or not accused:
                raise InvalidInput.of(gettext_noop("the accused trustees cannot be read"))
            numbers = tuple(
                sorted(
                    {
                        _int(a, term(gettext_noop("a trustee's number")), 1, trustees)
                        for a in accused
                    }
                )
            )
            return Step(reference, index, step, accuse=numbers)
        return Step(
            reference,
            index,
            step,
            proof=Proof.decode(
                _hex(data.get("proof"), proofs.PROOF_BYTES, term(gettext_noop("the proof")))
            ),
        )
    count = _int(data.get("count"), term(gettext_noop("the number of values")), 1, MAX_MIXED)
    raw_images = _b64(data.get("images"), term(gettext_noop("the partial decryptions")))
    if len(raw_images) != count * group.POINT_BYTES:
        raise InvalidInput.of(
            gettext_noop("the partial decryptions do not hold %(n)d values"), n=count
        )
    images = tuple(
        group.point(raw_images[i : i + group.POINT_BYTES])
        for i in range(0, len(raw_images), group.POINT_BYTES)
    )
    proof = Proof.decode(
        _hex(data.get("proof"), proofs.PROOF_BYTES, term(gettext_noop("the proof")))
    )
    return Step(reference, index, step, proof=proof, images=images)
