"""A whole key ceremony and count run in one process, for the demo and the tests: each trustee's
steps made from its seed exactly as ``consejo trustee`` makes them, and brought through
:func:`consejo.boxes.services.trustee_step` under the trustee's own login.

In a real vote every seed stays on its trustee's device; here they are in memory together,
which is only ever done for a demonstration or a test.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from consejo.boxes.models import Box
from consejo.boxes.selectors import box_file
from consejo.boxes.services import trustee_step
from consejo.core.sealed import files, steps


def step_file(box: Box, index: int, seed: bytes, step: str) -> dict[str, Any]:
    """Trustee ``index``'s file for ``step``, from the box's file as the server publishes it."""
    box.refresh_from_db()
    view = files.read_box(box_file(box, you=index))
    make = {
        "commit": steps.step_commit,
        "shares": steps.step_shares,
        "confirm": steps.step_confirm,
        "decrypt": steps.step_decrypt,
    }[step]
    return make(view, index, seed)


def run_key_ceremony(
    box: Box, logins: Mapping[int, Any], seeds: Mapping[int, bytes], *, at: datetime | None = None
) -> None:
    """The three steps of every trustee, in order; the box is keyed at the end."""
    for step in ("commit", "shares", "confirm"):
        for index, login in sorted(logins.items()):
            trustee_step(
                actor=login,
                reference=box.reference,
                step=step_file(box, index, seeds[index], step),
                at=at,
            )
    box.refresh_from_db()


def decrypt(
    box: Box,
    logins: Mapping[int, Any],
    seeds: Mapping[int, bytes],
    indices: Iterable[int],
    *,
    at: datetime | None = None,
) -> None:
    """The partial decryptions of the trustees ``indices``."""
    for index in indices:
        trustee_step(
            actor=logins[index],
            reference=box.reference,
            step=step_file(box, index, seeds[index], "decrypt"),
            at=at,
        )
    box.refresh_from_db()
