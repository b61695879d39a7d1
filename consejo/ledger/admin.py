from __future__ import annotations

from django.contrib import admin

from consejo.common.admin import ReadOnlyAdmin
from consejo.ledger.models import LedgerEntry, LedgerHead


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "kind", "at", "short_hash"]
    list_filter = ["kind"]
    search_fields = ["kind", "payload", "hash"]
    list_per_page = 50

    @admin.display(description="hash")
    def short_hash(self, entry: LedgerEntry) -> str:
        return entry.hash[:16]


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyAdmin):
    list_display = ["seq", "hash"]
