"""Bodies, members, memberships, federation links and apportioned seats.

Thin: fields, database constraints, ``__str__``. Every write goes through consejo.bodies.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from consejo.bodies.choices import (
    COUNCIL_KINDS as COUNCIL_KINDS,
    ApportionmentMethod as ApportionmentMethod,
    BodyKind as BodyKind,
    CouncilLevel as CouncilLevel,
    MembershipRole as MembershipRole,
    Sector as Sector,
)


class Body(models.Model):
    """A base assembly, a council or a committee."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    level = models.CharField(
        _("council level"), max_length=16, choices=CouncilLevel.choices, blank=True
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # How this council's seats are apportioned among its constituent bodies (councils only).
    seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    apportionment_method = models.CharField(
        _("apportionment method"), max_length=16, choices=ApportionmentMethod.choices, blank=True
    )
    min_seats = models.PositiveIntegerField(_("minimum seats per body"), default=0)
    members_per_seat = models.PositiveIntegerField(_("members per seat"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(members_per_seat__isnull=True) | Q(members_per_seat__gte=1),
                name="body_members_per_seat_positive",
            ),
            models.CheckConstraint(
                condition=Q(apportionment_method="") | Q(kind__in=["council", "committee"]),
                name="body_only_councils_apportion",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        """A council or committee: it receives delegates rather than sending only."""
        return self.kind in COUNCIL_KINDS


class Member(models.Model):
    """A person. Login is optional: many members never touch a screen."""

    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
    )
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "id"]
        # Phones are unique per body, not across the federation (services.member_add): a
        # secretary must not learn from a refusal that someone belongs to another body.
        indexes = [models.Index(fields=["phone"], name="member_phone")]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A member's belonging to a body, from ``start`` until ``end`` (open while ``end`` is null)."""

    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("member")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("body")
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    role = models.CharField(
        _("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    # A secretary appointed by an operator to a body that had none, until the body elects one.
    provisional = models.BooleanField(_("provisional"), default=False)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start"]
        indexes = [models.Index(fields=["body", "end"], name="membership_body_end")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "body"],
                condition=Q(end__isnull=True),
                name="membership_one_open_per_member_and_body",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="membership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(provisional=False) | Q(role="secretary"),
                name="membership_only_secretaries_are_provisional",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.body}"


class Federation(models.Model):
    """A link: ``body`` sends delegates to the council ``parent`` (from ``start`` to ``end``)."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="parent_links", verbose_name=_("body")
    )
    parent = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="child_links", verbose_name=_("council")
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("federation link")
        verbose_name_plural = _("federation links")
        ordering = ["parent__name", "body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "parent"],
                condition=Q(end__isnull=True),
                name="federation_one_open_link_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(body=F("parent")), name="federation_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")),
                name="federation_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} → {self.parent}"


class Apportionment(models.Model):
    """One computation of a council's seats among its constituent bodies, kept for the record."""

    council = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="apportionments", verbose_name=_("council")
    )
    method = models.CharField(_("method"), max_length=16, choices=ApportionmentMethod.choices)
    seats = models.PositiveIntegerField(_("seats"))
    min_seats = models.PositiveIntegerField(_("minimum seats per body"))
    members_per_seat = models.PositiveIntegerField(_("members per seat"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"))
    ties = models.JSONField(_("ties broken"), default=list, blank=True)
    ledger_seq = models.PositiveBigIntegerField(_("ledger entry"))

    class Meta:
        verbose_name = _("apportionment")
        verbose_name_plural = _("apportionments")
        ordering = ["-computed_at", "-id"]
        get_latest_by = ["computed_at", "id"]

    def __str__(self) -> str:
        return f"{self.council}: {self.seats} seats ({self.method})"


class ApportionedSeats(models.Model):
    """The seats one constituent body holds in one apportionment."""

    apportionment = models.ForeignKey(
        Apportionment,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name=_("apportionment"),
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="apportioned_seats", verbose_name=_("body")
    )
    members = models.PositiveIntegerField(_("members"))
    quota = models.CharField(_("exact quota"), max_length=32)
    seats = models.PositiveIntegerField(_("seats"))

    class Meta:
        verbose_name = _("apportioned seats")
        verbose_name_plural = _("apportioned seats")
        ordering = ["-members", "body__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["apportionment", "body"], name="apportioned_seats_one_row_per_body"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.seats}"


class RepresentedMember(models.Model):
    """A person whom a council represents, and through how many of its base bodies.

    ``bodies`` is the number of base bodies beneath ``council`` in which ``member`` holds a current
    membership (``consejo.core.represented``); the row exists while it is at least one. Kept by
    ``consejo.bodies.counts`` in the transaction of every membership and link change.
    """

    council = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", db_index=False, verbose_name=_("council")
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    bodies = models.PositiveIntegerField(_("base bodies"))

    class Meta:
        verbose_name = _("represented member")
        verbose_name_plural = _("represented members")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "member"], name="represented_member_one_row_per_council"
            ),
            models.CheckConstraint(
                condition=Q(bodies__gte=1), name="represented_member_in_some_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.council_id} ({self.bodies})"


class RepresentedCount(models.Model):
    """How many people a body represents now (``consejo.core.represented``): a base body its
    current members, a council the distinct people beneath it. Kept with ``RepresentedMember``;
    a body without a row represents nobody."""

    body = models.OneToOneField(
        Body,
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="represented",
        verbose_name=_("body"),
    )
    members = models.PositiveIntegerField(_("people represented"))

    class Meta:
        verbose_name = _("represented count")
        verbose_name_plural = _("represented counts")

    def __str__(self) -> str:
        return f"{self.body_id}: {self.members}"
