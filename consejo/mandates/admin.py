"""Admin for mandates: read and search. Mandates start and end through services (the count of an
election today), each with its ledger entry."""

from __future__ import annotations

from django.contrib import admin

from consejo.common.admin import ReadOnlyAdmin
from consejo.mandates.models import Mandate


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin):
    list_display = ["member", "role", "rank", "constituency", "council", "start", "end"]
    list_filter = ["role", "end", "council"]
    search_fields = ["member__name", "constituency__name", "council__name"]
    list_select_related = ["member", "constituency", "council"]
    date_hierarchy = "start"
