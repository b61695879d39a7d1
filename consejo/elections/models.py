"""Elections: who stands, who voted, the ballots and the result.

Thin: fields, database constraints, ``__str__``. Every write goes through
consejo.elections.services.

Secret ballots (DESIGN.md, "Secret ballots stay secret"): :class:`Voter` records *that* a member
voted; the ballot itself is sealed to the election key of its trustees as it is cast and kept in
the election's sealed box (consejo.boxes), never in plaintext. The count opens the box with the
trustees' partial decryptions of its mix and writes :class:`Ballot` rows, grouped, in sorted
order. docs/elections.md says what this protects against and what it does not.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from consejo.bodies.models import Body, Member
from consejo.elections.choices import (
    PHASE_LABELS as PHASE_LABELS,
    BallotMode as BallotMode,
    Method as Method,
)
from consejo.mandates.choices import Office


def random_ballot_id() -> int:
    """A random positive 63-bit key: it says nothing about when a ballot was written."""
    return secrets.randbits(63) or 1


class Election(models.Model):
    """The electors of ``body`` (its members; a council's sitting delegates) elect ``seats``
    people to sit in ``council``, or to hold one of ``body``'s offices.

    ``council`` is the council that ``body`` sends delegates to, or a committee that a body
    elects; for an office (``office``: secretary, chair…) it is ``body`` itself. The result
    (``result``: the JSON of the count) is recorded once, by the count.
    """

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="elections", verbose_name=_("electing body")
    )
    council = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="elections_into",
        verbose_name=_("council or committee"),
    )
    office = models.CharField(_("office"), max_length=16, choices=Office.choices, blank=True)
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("counting method"), max_length=16, choices=Method.choices)
    mode = models.CharField(_("ballot"), max_length=16, choices=BallotMode.choices)
    seats = models.PositiveIntegerField(_("seats"))
    substitutes = models.PositiveIntegerField(_("substitutes"), default=0)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    seed = models.CharField(_("seed of the lot"), max_length=24, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(_("ledger entry of the count"), null=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_seats_positive"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="election_closes_after_it_opens"
            ),
            # A body elects into another body, or to an office of its own.
            models.CheckConstraint(
                condition=(Q(office="") & ~Q(body=F("council")))
                | (~Q(office="") & Q(body=F("council"))),
                name="election_into_another_body_or_an_office",
            ),
            models.CheckConstraint(
                condition=Q(method__in=[m.value for m in Method]), name="election_method_known"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=[m.value for m in BallotMode]), name="election_mode_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """A member nominated in an election; stands once they accept, until they withdraw."""

    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("election")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="candidacies", verbose_name=_("member")
    )
    nominated_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="nominations_made",
        null=True,
        blank=True,
        verbose_name=_("nominated by"),
    )
    statement = models.TextField(_("statement"), blank=True, max_length=1000)
    nominated_at = models.DateTimeField(_("nominated"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["member__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "member"], name="candidate_once_per_election"
            ),
        ]

    def __str__(self) -> str:
        return str(self.member)

    @property
    def standing(self) -> bool:
        """Accepted and not withdrawn: on the ballot."""
        return self.accepted_at is not None and self.withdrawn_at is None


class Voter(models.Model):
    """That ``member`` voted in ``election``: one row per member and election, by constraint."""

    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="voters", verbose_name=_("election")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="votes_cast", verbose_name=_("member")
    )

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["election", "member"], name="voter_one_ballot"),
        ]

    def __str__(self) -> str:
        return f"{self.member} voted in {self.election}"


class Ballot(models.Model):
    """What was voted: the candidates chosen (in order of preference for ranked methods).

    ``choices`` holds candidate keys; ``weight`` is how many ballots were cast so. An open
    ballot is a row with its ``member``, written when it is cast. A paper tally holds one row per
    distinct ballot with its count, and so do secret ballots once counted (from the sealed
    box): no member, written all at once in sorted order.
    """

    id = models.BigIntegerField(primary_key=True, default=random_ballot_id, editable=False)
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="ballots", verbose_name=_("election")
    )
    choices = models.JSONField(_("choices"))
    weight = models.PositiveIntegerField(_("ballots"), default=1)
    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="open_ballots",
        null=True,
        blank=True,
        verbose_name=_("voter (open ballots only)"),
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "member"],
                condition=Q(member__isnull=False),
                name="ballot_one_open_ballot_per_member",
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="ballot_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"ballot in {self.election}"
