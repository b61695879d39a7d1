"""Admin for supply: read and search, never write. Counts, needs, routes and plans change only
through the services, so that every change is in the ledger; a plan's input and output are
frozen (their digests are in the ledger) and shown, never edited."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from consejo.common.admin import ReadOnlyAdmin
from consejo.supply.models import Depot, Item, Need, Plan, PlanVote, Recipient, Route, StockCount

#: Characters of a plan's input or output shown on its page (a city's plan runs to megabytes;
#: the whole of it is in the API and the plan's JSON downloads).
SHOWN_JSON = 20_000


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "unit", "created_at"]
    search_fields = ["name", "slug"]


@admin.register(Depot)
class DepotAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "committee", "commission", "place", "created_at"]
    list_filter = ["committee"]
    search_fields = ["name", "slug", "place"]
    list_select_related = ["committee", "commission"]


@admin.register(StockCount)
class StockCountAdmin(ReadOnlyAdmin):
    list_display = ["depot", "item", "units", "counted_at", "counted_by"]
    list_filter = ["item", "depot"]
    search_fields = ["depot__name", "depot__slug", "item__name", "note"]
    list_select_related = ["depot", "item", "counted_by"]
    date_hierarchy = "counted_at"


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "tier", "households", "body", "committee"]
    list_filter = ["kind", "tier", "committee"]
    search_fields = ["name", "slug", "body__name"]
    list_select_related = ["body", "committee"]


@admin.register(Route)
class RouteAdmin(ReadOnlyAdmin):
    list_display = ["depot", "recipient", "cost"]
    list_filter = ["depot"]
    search_fields = ["depot__name", "depot__slug", "recipient__name", "recipient__slug"]
    list_select_related = ["depot", "recipient"]


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "item", "units", "registered_at", "registered_by"]
    list_filter = ["item"]
    search_fields = ["recipient__name", "recipient__slug", "item__name"]
    list_select_related = ["recipient", "item", "registered_by"]
    date_hierarchy = "registered_at"


#: A plan's page: its frozen input and output are shown (``input``, ``output``), never as fields.
PLAN_FIELDS = [
    "committee",
    "status",
    "proposed_at",
    "proposed_by",
    "decided_at",
    "total_cost",
    "ledger_seq",
    "problem_digest",
    "result_digest",
    "input",
    "output",
]


class PlanVoteInline(admin.TabularInline):
    model = PlanVote
    extra = 0
    can_delete = False
    fields = ["member", "choice", "cast_at"]
    readonly_fields = ["member", "choice", "cast_at"]
    ordering = ["cast_at", "id"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["id", "committee", "status", "proposed_at", "total_cost", "decided_at"]
    list_filter = ["status", "committee"]
    search_fields = ["committee__name", "committee__slug", "problem_digest", "result_digest"]
    list_select_related = ["committee"]
    date_hierarchy = "proposed_at"
    inlines = [PlanVoteInline]
    fields = tuple(PLAN_FIELDS)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(PLAN_FIELDS)

    @admin.display(description=_("input"))
    def input(self, plan: Plan) -> str:
        return _shown(plan.problem)

    @admin.display(description=_("output"))
    def output(self, plan: Plan) -> str:
        return _shown(plan.result)


@admin.register(PlanVote)
class PlanVoteAdmin(ReadOnlyAdmin):
    """Votes on plans are open, by name: the committee answers for what it approves."""

    list_display = ["plan", "member", "choice", "cast_at"]
    list_filter = ["choice"]
    search_fields = ["member__name", "plan__committee__name"]
    list_select_related = ["plan__committee", "member"]


def _shown(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, indent=1)
    if len(text) > SHOWN_JSON:
        return text[:SHOWN_JSON] + "\n…"
    return text
