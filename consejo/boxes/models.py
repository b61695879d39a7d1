"""Sealed ballot boxes: one per secret vote, whatever it decides (an election now; a recall
vote or a meeting's secret ballot later), below all of them in the order of the apps.

Thin: fields, database constraints, ``__str__``. Every write goes through
consejo.boxes.services; the protocol is consejo.core.sealed.

What a copy of these tables holds (docs/elections.md, "Threat model"): the trustees' public
commitments and the shares they sealed for each other (each opened only with a trustee's card),
the sealed ballots (ciphertexts, never a plaintext and never a voter), the mix's output, and
the trustees' partial decryptions of the mix. Who voted is recorded by the caller (an election's
``Voter``), never here.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from consejo.bodies.models import Body, Member


def new_reference() -> str:
    """A box's reference: 128 random bits, the context of every proof made for the box (a proof
    made for one box is worthless in any other, of this installation or another)."""
    return secrets.token_hex(16)


def random_id() -> int:
    """A random positive 63-bit key: a sealed ballot's key says nothing of when it was cast."""
    return secrets.randbits(63) or 1


class Box(models.Model):
    """The sealed ballot box of one secret vote, and its key ceremony."""

    reference = models.CharField(
        _("reference"), max_length=32, unique=True, default=new_reference, editable=False
    )
    purpose = models.CharField(_("purpose"), max_length=64, unique=True)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="boxes", verbose_name=_("voting body")
    )
    width = models.PositiveSmallIntegerField(_("candidates on a ballot"))
    ranked = models.BooleanField(_("ranked ballots"))
    threshold = models.PositiveSmallIntegerField(_("trustees needed to count"))
    created_at = models.DateTimeField(_("created"))
    public_key = models.BinaryField(_("election key"), max_length=32, null=True, blank=True)
    keyed_at = models.DateTimeField(_("key complete"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    ballots_at_close = models.PositiveIntegerField(_("ballots at close"), null=True, blank=True)
    voters_at_close = models.PositiveIntegerField(_("voters at close"), null=True, blank=True)
    digest = models.CharField(_("digest of the sealed ballots"), max_length=64, blank=True)
    #: The mix's output: every packed, re-encrypted ciphertext, concatenated (64 bytes each).
    mixed = models.BinaryField(_("mixed ballots"), null=True, blank=True)
    mixed_digest = models.CharField(_("digest of the mix"), max_length=64, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)

    class Meta:
        verbose_name = _("sealed ballot box")
        verbose_name_plural = _("sealed ballot boxes")
        constraints = [
            models.CheckConstraint(condition=Q(width__gte=1), name="box_width_positive"),
            models.CheckConstraint(condition=Q(threshold__gte=2), name="box_threshold_two"),
        ]

    def __str__(self) -> str:
        return f"box {self.reference[:8]}"


class Trustee(models.Model):
    """A member who holds one part of a box's key: their number, and what they have published."""

    box = models.ForeignKey(
        Box, on_delete=models.PROTECT, related_name="trustees", verbose_name=_("box")
    )
    index = models.PositiveSmallIntegerField(_("number"))
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="trusteeships", verbose_name=_("member")
    )
    #: Step 1 (consejo.core.sealed.dkg.Commitment, as bytes: key, coefficients, two proofs).
    commitment = models.BinaryField(_("commitment"), null=True, blank=True)
    committed_at = models.DateTimeField(_("committed"), null=True, blank=True)
    #: Step 2: the shares sealed for the others, receiver number → 32 bytes (hex).
    shares = models.JSONField(_("sealed shares"), null=True, blank=True)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    #: Step 3: a proof of knowledge of the trustee's share, or the numbers it accuses.
    confirmation = models.BinaryField(_("confirmation"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    accused = models.JSONField(_("shares that failed"), default=list, blank=True)

    class Meta:
        verbose_name = _("trustee")
        verbose_name_plural = _("trustees")
        ordering = ["box", "index"]
        constraints = [
            models.UniqueConstraint(fields=["box", "index"], name="trustee_number_once"),
            models.UniqueConstraint(fields=["box", "member"], name="trustee_member_once"),
            models.CheckConstraint(condition=Q(index__gte=1), name="trustee_number_positive"),
        ]

    def __str__(self) -> str:
        return f"trustee {self.index} of {self.box}"


class SealedBallot(models.Model):
    """One sealed ballot: a ciphertext per candidate, and its tracker. No voter, by design."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    box = models.ForeignKey(
        Box, on_delete=models.PROTECT, related_name="sealed", verbose_name=_("box")
    )
    data = models.BinaryField(_("ciphertexts"))
    tracker = models.CharField(_("tracker"), max_length=64)

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")
        constraints = [
            models.UniqueConstraint(fields=["box", "tracker"], name="sealed_tracker_once"),
        ]

    def __str__(self) -> str:
        return f"sealed ballot {self.tracker[:12]}"


class PartialDecryption(models.Model):
    """A trustee's partial decryption of the mix, with its proof, checked when it arrived."""

    trustee = models.OneToOneField(
        Trustee,
        on_delete=models.PROTECT,
        related_name="decryption",
        verbose_name=_("trustee"),
    )
    images = models.BinaryField(_("partial decryptions"))
    proof = models.BinaryField(_("proof"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)
    valid = models.BooleanField(_("proof holds"))
    submitted_at = models.DateTimeField(_("submitted"))

    class Meta:
        verbose_name = _("partial decryption")
        verbose_name_plural = _("partial decryptions")

    def __str__(self) -> str:
        return f"partial decryption by {self.trustee}"
