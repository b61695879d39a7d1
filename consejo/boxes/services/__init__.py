"""The one write path for sealed boxes: the key ceremony of the trustees, then sealing, closing
and opening the box inside the transaction of the vote that owns it (elections.services).

The ceremony's services are the trustees' own (one durable transaction each); ``box_seal``,
``box_close`` and ``box_open`` are steps of the owner's transaction: they take the box row the
owner locked, and never commit on their own."""

from __future__ import annotations

from consejo.boxes.services.keys import StepDone, box_prepare, multiples, trustee_step
from consejo.boxes.services.sealing import box_close, box_fix_width, box_open, box_seal

__all__ = [
    "StepDone",
    "T",
    "box_close",
    "box_fix_width",
    "box_open",
    "box_prepare",
    "box_seal",
    "multiples",
    "trustee_step",
]
