"""Reads of sealed ballot boxes: the box's file for trustees, where the ceremony and the count
stand, the published list of sealed ballots' trackers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from consejo.boxes.models import Box, PartialDecryption, SealedBallot, Trustee
from consejo.core.sealed import files


def box_file(box: Box, *, you: int | None = None) -> dict[str, Any]:
    """The box's file (consejo.core.sealed.files), as ``consejo trustee`` and the static page
    read it; the mix's output is in it once the box is mixed."""
    trustees = {
        t.index: (
            bytes(t.commitment) if t.commitment is not None else None,
            {int(j): bytes.fromhex(v) for j, v in t.shares.items()} if t.shares else None,
            t.confirmed_at is not None,
        )
        for t in Trustee.objects.filter(box=box).order_by("index")
    }
    return files.box_file(
        reference=box.reference,
        threshold=box.threshold,
        width=box.width,
        ranked=box.ranked,
        trustees=trustees,
        public_key=bytes(box.public_key) if box.public_key is not None else None,
        mixed=bytes(box.mixed) if box.mixed is not None else None,
        you=you,
    )


@dataclass(frozen=True)
class TrusteeRow:
    index: int
    member_id: int
    name: str
    committed: bool
    shared: bool
    confirmed: bool
    accused: tuple[int, ...]
    decrypted: bool | None  # None: not yet; False: proof failed; True: proof held


@dataclass(frozen=True)
class BoxStatus:
    """Where a box stands: ``step`` is the ceremony's next step for everyone ("commit",
    "shares", "confirm"), or "voting", "decrypt", "opened"; ``failed`` when a trustee accused
    another (the key cannot be completed: the vote must be called again)."""

    box: Box
    step: str
    trustees: tuple[TrusteeRow, ...]
    failed: bool
    decryptions: int
    sealed: int

    def owes(self, row: TrusteeRow) -> bool:
        """Whether trustee ``row`` has a step to bring now."""
        if self.failed:
            return False
        return {
            "commit": not row.committed,
            "shares": not row.shared,
            "confirm": not row.confirmed and not row.accused,
            "decrypt": row.decrypted is not True,
        }.get(self.step, False)

    def row_of(self, member_id: int | None) -> TrusteeRow | None:
        return next((t for t in self.trustees if t.member_id == member_id), None)

    @property
    def missing(self) -> tuple[int, ...]:
        """The trustees still owed the current step."""
        attribute = {"commit": "committed", "shares": "shared", "confirm": "confirmed"}.get(
            self.step
        )
        if attribute is not None:
            return tuple(t.index for t in self.trustees if not getattr(t, attribute))
        if self.step == "decrypt":
            return tuple(t.index for t in self.trustees if not t.decrypted)
        return ()


def box_status(box: Box) -> BoxStatus:
    decrypted = {d.trustee_id: d.valid for d in PartialDecryption.objects.filter(trustee__box=box)}
    rows = tuple(
        TrusteeRow(
            index=t.index,
            member_id=t.member_id,
            name=t.member.name,
            committed=t.committed_at is not None,
            shared=t.shared_at is not None,
            confirmed=t.confirmed_at is not None,
            accused=tuple(t.accused or ()),
            decrypted=decrypted.get(t.pk),
        )
        for t in Trustee.objects.filter(box=box).select_related("member").order_by("index")
    )
    if box.opened_at is not None:
        step = "opened"
    elif box.mixed is not None:
        step = "decrypt"
    elif box.keyed_at is not None:
        step = "voting"
    elif not all(t.committed for t in rows):
        step = "commit"
    elif not all(t.shared for t in rows):
        step = "shares"
    else:
        step = "confirm"
    return BoxStatus(
        box=box,
        step=step,
        trustees=rows,
        failed=any(t.accused for t in rows),
        decryptions=sum(1 for v in decrypted.values() if v),
        sealed=SealedBallot.objects.filter(box=box).count(),
    )


def box_trackers(box: Box) -> list[str]:
    """The published list of sealed ballots: every tracker, sorted (never in the voting order)."""
    return sorted(SealedBallot.objects.filter(box=box).values_list("tracker", flat=True))
