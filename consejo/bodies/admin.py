"""Admin for bodies and members: read and search; changes go through the services (actions)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from consejo.bodies import services
from consejo.bodies.models import (
    ApportionedSeats,
    Apportionment,
    Body,
    Federation,
    Member,
    Membership,
    RepresentedCount,
    RepresentedMember,
)
from consejo.common.admin import ReadOnlyAdmin
from consejo.common.errors import user_message
from consejo.core.errors import ConsejoError


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "level", "place", "apportionment_method", "seats"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "slug", "place"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_per_page = 50
    list_display = ["name", "phone", "user", "created_at"]
    search_fields = ["name", "phone"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["member", "body", "sector", "role", "start", "end"]
    list_filter = ["sector", "role", "body__kind"]
    search_fields = ["member__name", "body__name"]
    list_select_related = ["member", "body"]
    list_per_page = 50
    actions = ["end_memberships"]

    @admin.action(description="End the selected memberships now (through the service)")
    def end_memberships(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        ended = 0
        for membership in queryset.filter(end__isnull=True):
            try:
                services.membership_end(actor=request.user, membership_id=membership.pk)
            except ConsejoError as error:
                self.message_user(request, f"{membership}: {user_message(error)}", messages.ERROR)
            else:
                ended += 1
        self.message_user(request, f"{ended} memberships ended.", messages.SUCCESS)


@admin.register(Federation)
class FederationAdmin(ReadOnlyAdmin):
    list_display = ["body", "parent", "start", "end"]
    list_select_related = ["body", "parent"]
    search_fields = ["body__name", "parent__name"]


class ApportionedSeatsInline(admin.TabularInline):
    model = ApportionedSeats
    extra = 0
    can_delete = False
    readonly_fields = ["body", "members", "quota", "seats"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Apportionment)
class ApportionmentAdmin(ReadOnlyAdmin):
    list_display = ["council", "method", "seats", "min_seats", "computed_at", "ledger_seq"]
    list_filter = ["method"]
    inlines = [ApportionedSeatsInline]


@admin.register(RepresentedCount)
class RepresentedCountAdmin(ReadOnlyAdmin):
    """The kept counts (consejo.bodies.counts), shown to be checked, never edited."""

    list_display = ["body", "members"]
    list_select_related = ["body"]
    search_fields = ["body__name", "body__slug"]


@admin.register(RepresentedMember)
class RepresentedMemberAdmin(ReadOnlyAdmin):
    """Who each council represents, and through how many of its base bodies."""

    list_display = ["council", "member", "bodies"]
    list_select_related = ["council", "member"]
    search_fields = ["council__slug", "member__name"]
    list_per_page = 50
