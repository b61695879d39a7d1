"""The append-only ledger: one row per recorded change, hash-chained (see consejo.core.ledger)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LedgerEntry(models.Model):
    """One entry of the chain. Written only by ``consejo.ledger.services.ledger_append``."""

    seq = models.PositiveBigIntegerField(_("sequence number"), primary_key=True)
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    at = models.CharField(_("instant (UTC)"), max_length=32)
    payload = models.TextField(_("payload (canonical JSON)"))
    prev = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["seq"]
        constraints = [
            # A fork (two entries claiming the same predecessor) cannot be stored at all.
            models.UniqueConstraint(fields=["prev"], name="ledger_entry_prev_unique"),
            models.UniqueConstraint(fields=["hash"], name="ledger_entry_hash_unique"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="ledger_entry_seq_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class LedgerHead(models.Model):
    """The single row naming the last entry: locked by every append, so appends queue in order.

    It also records the count and head hash, so that removing the newest entries is detected even
    before checkpoints exist (a chain alone cannot show a truncated tail).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    at = models.CharField(max_length=32, blank=True)  # the newest entry's instant, as hashed

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger head")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="ledger_head_single_row"),
            models.CheckConstraint(condition=Q(seq__gte=0), name="ledger_head_seq_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"head #{self.seq} {self.hash[:12]}"
