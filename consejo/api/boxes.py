"""API for sealed ballot boxes: the box's file for its trustees, where the ceremony and the count
stand, the published list of trackers, and the trustees' steps.

The box's file and its trackers are public, as they are meant to be: commitments, sealed shares
(each opened only by its trustee's card), ciphertexts. A step needs a token, and only the
trustee it names may bring it (the service decides, at the instant of the request).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

from django.http import HttpRequest
from ninja import Path, Router, Schema
from pydantic import ConfigDict, Field

from consejo.api.auth import TokenAuth
from consejo.api.schemas import KeyIn, errors
from consejo.boxes.access import lookup_box
from consejo.boxes.selectors import box_file, box_status, box_trackers
from consejo.boxes.services import trustee_step

if TYPE_CHECKING:  # the models only name types here: interfaces never import them
    from consejo.boxes.models import Box

router = Router(tags=["boxes"])

Reference = Annotated[str, Path(..., pattern=r"^[0-9a-f]{32}$")]


class TrusteeStateOut(Schema):
    index: int
    member: int
    committed: bool
    shared: bool
    confirmed: bool
    accused: list[int]
    decrypted: bool | None


class BoxStateOut(Schema):
    box: str
    purpose: str
    threshold: int
    step: str
    missing: list[int]
    failed: bool
    sealed: int
    decryptions: int
    keyed: bool
    trustees: list[TrusteeStateOut]


class StepIn(Schema):
    """A trustee's step file, as ``consejo trustee`` or the trustee page makes it."""

    model_config = ConfigDict(extra="allow")
    format: Annotated[str, Field(max_length=40)]
    box: Annotated[str, Field(max_length=64)]
    trustee: KeyIn
    step: Annotated[str, Field(max_length=16)]


class StepOut(Schema):
    box: str
    trustee: int
    step: str
    valid: bool
    keyed: bool


def _box(reference: str) -> Box:
    return lookup_box(reference=reference)


@router.get(
    "/{reference}",
    response={200: dict[str, Any], **errors(404)},
    summary="The box's file, for `consejo trustee` and the trustee page",
)
def get_box(request: HttpRequest, reference: Reference) -> dict[str, Any]:
    return box_file(_box(reference))


@router.get(
    "/{reference}/state",
    response={200: BoxStateOut, **errors(404)},
    summary="Where the key ceremony and the count stand, and which trustees are awaited",
)
def get_state(request: HttpRequest, reference: Reference) -> BoxStateOut:
    box = _box(reference)
    status = box_status(box)
    return BoxStateOut(
        box=box.reference,
        purpose=box.purpose,
        threshold=box.threshold,
        step=status.step,
        missing=list(status.missing),
        failed=status.failed,
        sealed=status.sealed,
        decryptions=status.decryptions,
        keyed=box.keyed_at is not None,
        trustees=[
            TrusteeStateOut(
                index=t.index,
                member=t.member_id,
                committed=t.committed,
                shared=t.shared,
                confirmed=t.confirmed,
                accused=list(t.accused),
                decrypted=t.decrypted,
            )
            for t in status.trustees
        ],
    )


@router.get(
    "/{reference}/trackers",
    response={200: list[str], **errors(404)},
    summary="The published list of sealed ballots: every tracker, sorted",
)
def get_trackers(request: HttpRequest, reference: Reference) -> list[str]:
    return box_trackers(_box(reference))


@router.post(
    "/{reference}/steps",
    response={200: StepOut, **errors(401, 403, 404, 409)},
    auth=TokenAuth(),
    summary="Bring a trustee's step: commitment, sealed shares, confirmation, partial decryption",
)
def post_step(request: HttpRequest, reference: Reference, data: StepIn) -> StepOut:
    # The whole file as sent (its extra fields are the step's: commitment, shares, images…);
    # ``StepIn`` has checked its envelope, files.read_step checks the rest.
    step = json.loads(request.body)
    done = trustee_step(actor=request.user, reference=_box(reference).reference, step=step)
    return StepOut(
        box=done.box.reference,
        trustee=done.trustee,
        step=done.step,
        valid=done.valid,
        keyed=done.keyed,
    )
