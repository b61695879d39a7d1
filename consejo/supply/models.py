"""Supply: items, depots and their stock counts, recipients and their needs, routes, and the
allocation plans a supply committee proposes and approves by a recorded vote.

Thin: fields, database constraints, ``__str__``. Every write goes through consejo.supply.services.
Stock and needs are never overwritten: each count and each registration is a new row, and the
current figure is the newest one, so that the record shows who counted what, when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from consejo.bodies.models import Body, Member

# The limits are the solver's own table (consejo/core/allocation/limits.py), so that what is
# stored is always an input the solver takes; forms, services and the API import them from here.
from consejo.core.allocation.limits import (
    DEPOT_ID_LENGTH,
    ITEM_ID_LENGTH,
    MAX_COST,
    MAX_TIER,
    MAX_UNITS,
    MIN_TIER,
    NAME_LENGTH,
    RECIPIENT_ID_LENGTH,
    UNIT_LENGTH,
)
from consejo.supply.choices import (
    PlanStatus as PlanStatus,
    RecipientKind as RecipientKind,
    VoteChoice as VoteChoice,
)


class Item(models.Model):
    """Something distributed in whole units: a 10 kg gas cylinder, a sack of flour."""

    slug = models.SlugField(_("short name"), max_length=ITEM_ID_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    unit = models.CharField(_("unit"), max_length=UNIT_LENGTH)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Depot(models.Model):
    """A facility holding stock. Its ``committee`` (a supply committee) allocates the stock; its
    ``commission`` (a control commission) counts it."""

    slug = models.SlugField(_("short name"), max_length=DEPOT_ID_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    place = models.CharField(_("place"), max_length=200, blank=True)
    committee = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="depots", verbose_name=_("supply committee")
    )
    commission = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="depots_controlled",
        verbose_name=_("control commission"),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("depot")
        verbose_name_plural = _("depots")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StockCount(models.Model):
    """A count of one item in one depot by its control commission; the newest one is the stock."""

    depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, related_name="counts", verbose_name=_("depot")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="counts", verbose_name=_("item")
    )
    units = models.PositiveIntegerField(_("units"))
    counted_at = models.DateTimeField(_("counted at"))
    counted_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_counts",
        verbose_name=_("counted by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-counted_at", "-id"]
        indexes = [models.Index(fields=["depot", "item", "-counted_at"], name="stock_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(units__gte=0) & Q(units__lte=MAX_UNITS), name="stock_units_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.depot}: {self.units} {self.item}"


class Recipient(models.Model):
    """Who receives: a neighborhood (with its households), a clinic, a kitchen, a school.

    ``body`` is the recipient's own body, whose secretary registers its needs; ``committee`` is
    the supply committee that serves it and sets its ``tier`` (1 is the highest priority).
    """

    slug = models.SlugField(_("short name"), max_length=RECIPIENT_ID_LENGTH, unique=True)
    name = models.CharField(_("name"), max_length=NAME_LENGTH)
    kind = models.CharField(_("kind"), max_length=16, choices=RecipientKind.choices)
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="recipients", verbose_name=_("own body")
    )
    committee = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="recipients_served",
        verbose_name=_("supply committee"),
    )
    tier = models.PositiveSmallIntegerField(_("priority tier"))
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["tier", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__gte=MIN_TIER) & Q(tier__lte=MAX_TIER),
                name="recipient_tier_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """``depot`` can reach ``recipient``, at ``cost`` per unit (any unit the committee likes)."""

    depot = models.ForeignKey(
        Depot, on_delete=models.PROTECT, related_name="routes", verbose_name=_("depot")
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="routes", verbose_name=_("recipient")
    )
    cost = models.PositiveIntegerField(_("cost per unit"))

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routes")
        ordering = ["recipient__name", "cost"]
        constraints = [
            models.UniqueConstraint(fields=["depot", "recipient"], name="route_one_per_pair"),
            models.CheckConstraint(condition=Q(cost__lte=MAX_COST), name="route_cost_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.depot} → {self.recipient}"


class Need(models.Model):
    """A registration of a recipient's need of an item; the newest one is the need."""

    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="needs", verbose_name=_("recipient")
    )
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, related_name="needs", verbose_name=_("item")
    )
    units = models.PositiveIntegerField(_("units"))
    registered_at = models.DateTimeField(_("registered"))
    registered_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs_registered",
        verbose_name=_("registered by"),
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-registered_at", "-id"]
        indexes = [models.Index(fields=["recipient", "item", "-registered_at"], name="need_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(units__gte=0) & Q(units__lte=MAX_UNITS), name="need_units_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.units} {self.item}"


class Plan(models.Model):
    """An allocation plan: the solver's answer to the committee's figures at one instant.

    ``problem`` is the solver's input exactly as given (docs/allocation.md), ``result`` its output;
    both are frozen once written, and their SHA-256 digests go into the ledger, so that anyone can
    check that the plan approved is the plan computed from those figures.
    """

    committee = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="plans", verbose_name=_("supply committee")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    problem = models.JSONField(_("input"))
    result = models.JSONField(_("output"))
    problem_digest = models.CharField(_("SHA-256 of the input"), max_length=64)
    result_digest = models.CharField(_("SHA-256 of the output"), max_length=64)
    total_cost = models.PositiveBigIntegerField(_("total transport cost"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ledger_seq = models.PositiveBigIntegerField(_("ledger entry of the proposal"))

    class Meta:
        verbose_name = _("allocation plan")
        verbose_name_plural = _("allocation plans")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed", decided_at__isnull=True)
                | (~Q(status="proposed") & Q(decided_at__gte=F("proposed_at"))),
                name="plan_decided_when_not_proposed",
            ),
            # One plan in force per committee: the newest approval supersedes the older.
            models.UniqueConstraint(
                fields=["committee"],
                condition=Q(status="approved"),
                name="plan_one_approved_per_committee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee}: plan {self.pk} ({self.get_status_display()})"


class PlanVote(models.Model):
    """A committee member's recorded vote on a plan (open, by name: the committee answers for
    what it approves)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="votes", verbose_name=_("plan")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="plan_votes", verbose_name=_("member")
    )
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)
    cast_at = models.DateTimeField(_("cast"))

    class Meta:
        verbose_name = _("vote on a plan")
        verbose_name_plural = _("votes on plans")
        ordering = ["cast_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "member"], name="plan_vote_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice}"
