"""Sealed ballot boxes in the admin: read-only (every write is a service; a box's contents are
ciphertexts, shown by their digests)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from consejo.boxes.models import Box, PartialDecryption, Trustee


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TrusteeInline(admin.TabularInline):
    model = Trustee
    fields = ("index", "member", "committed_at", "shared_at", "confirmed_at", "accused")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Box)
class BoxAdmin(ReadOnly):
    list_display = (
        "reference",
        "purpose",
        "body",
        "threshold",
        "keyed_at",
        "closed_at",
        "opened_at",
    )
    fields = (
        "reference",
        "purpose",
        "body",
        "width",
        "ranked",
        "threshold",
        "created_at",
        "keyed_at",
        "closed_at",
        "ballots_at_close",
        "voters_at_close",
        "digest",
        "mixed_digest",
        "opened_at",
    )
    readonly_fields = fields
    inlines = [TrusteeInline]


@admin.register(PartialDecryption)
class PartialDecryptionAdmin(ReadOnly):
    list_display = ("trustee", "valid", "submitted_at", "digest")
    fields = list_display
    readonly_fields = fields
