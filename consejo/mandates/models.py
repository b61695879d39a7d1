"""Mandates: a seat in a council or committee, or an office of a body, given by a constituency,
held through another mandate or through nothing, with a start and an end (consejo.core.mandates
holds the rules of the graph; docs/mandates.md tells it).

Thin: fields and database constraints. Every write goes through consejo.mandates.services,
called by the apps above (today the count of an election; recall comes with its own capability).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from consejo.bodies.models import Body, Member
from consejo.core.references import MAX_REFERENCE
from consejo.mandates.choices import (
    EndReason as EndReason,
    MandateRole as MandateRole,
    Office as Office,
)


class Mandate(models.Model):
    """``member`` sits in ``council`` for ``constituency`` from ``start`` until ``end``.

    ``rank`` orders a delegation: delegates in their order of election (1, 2…), substitutes in the
    order they would take a seat (1 first). ``office`` is empty for a seat; for an office
    (secretary, chair…) constituency and council are the body whose office it is.
    ``derives_from`` is the mandate that made the holder eligible (a district delegate's seat,
    for the city seat the district council elected her to): it ends, and this one ends with it.
    """

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("member")
    )
    constituency = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="mandates_given",
        verbose_name=_("constituency"),
    )
    council = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="mandates_held", verbose_name=_("council")
    )
    office = models.CharField(_("office"), max_length=16, choices=Office.choices, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=MandateRole.choices)
    rank = models.PositiveIntegerField(_("rank"))
    derives_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived",
        verbose_name=_("held through"),
    )
    # What created the mandate and what ended it, as references (consejo.core.references:
    # "election:12"): the apps that create and end mandates sit above this one and write them.
    origin = models.CharField(_("created by"), max_length=MAX_REFERENCE, blank=True)
    # An office an operator filled until the body elects (secretary_appoint_provisional).
    provisional = models.BooleanField(_("provisional"), default=False)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason it ended"), max_length=200, blank=True, choices=EndReason.choices
    )
    ended_by = models.CharField(_("ended by"), max_length=MAX_REFERENCE, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["council__name", "constituency__name", "role", "rank"]
        indexes = [
            models.Index(fields=["council", "end"], name="mandate_council_end"),
            models.Index(fields=["origin"], name="mandate_origin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "constituency", "council", "office"],
                condition=Q(end__isnull=True),
                name="mandate_one_open_per_member_delegation",
            ),
            models.UniqueConstraint(
                fields=["constituency", "council", "office", "role", "rank"],
                condition=Q(end__isnull=True),
                name="mandate_one_open_per_seat",
            ),
            # A seat is given by another body; an office by the body itself.
            models.CheckConstraint(
                condition=(Q(office="") & ~Q(constituency=F("council")))
                | (~Q(office="") & Q(constituency=F("council"))),
                name="mandate_office_in_its_own_body",
            ),
            models.CheckConstraint(
                condition=~Q(derives_from=F("id")), name="mandate_not_through_itself"
            ),
            models.CheckConstraint(
                condition=Q(provisional=False) | ~Q(office=""),
                name="mandate_only_offices_are_provisional",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="mandate_ends_after_it_starts",
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="mandate_rank_positive"),
        ]

    def __str__(self) -> str:
        if self.office:
            return f"{self.member}: {self.get_office_display()} ({self.council})"
        return f"{self.member}: {self.get_role_display()} {self.constituency} → {self.council}"
