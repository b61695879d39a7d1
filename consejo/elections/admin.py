"""Admin for elections: read and search; the count goes through the service (an action).

Secret ballots stay secret here too: voters are listed by name, never in the order they voted,
and ballots are shown grouped by what they say, with no number and, for a secret ballot, no
voter (there is none to show).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consejo.common.admin import ReadOnlyAdmin
from consejo.common.errors import user_message
from consejo.core.errors import ConsejoError
from consejo.elections import services
from consejo.elections.models import PHASE_LABELS, Ballot, BallotMode, Candidate, Election, Voter
from consejo.elections.selectors import election_phase


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    can_delete = False
    fields = ["member", "nominated_by", "nominated_at", "accepted_at", "withdrawn_at"]
    readonly_fields = ["member", "nominated_by", "nominated_at", "accepted_at", "withdrawn_at"]
    ordering = ["member__name", "id"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "body", "council", "method", "mode", "phase", "counted_at"]
    list_filter = ["method", "mode", "counted_at", "body__kind"]
    search_fields = ["title", "body__name", "body__slug", "council__name", "council__slug"]
    list_select_related = ["body", "council"]
    date_hierarchy = "opens_at"
    inlines = [CandidateInline]
    actions = ["count_elections"]

    @admin.display(description=_("phase"))
    def phase(self, election: Election) -> str:
        return str(PHASE_LABELS[election_phase(election, timezone.now())])

    @admin.action(description=_("Count the selected elections (through the service)"))
    def count_elections(self, request: HttpRequest, queryset: QuerySet[Election]) -> None:
        counted = 0
        for election in queryset.filter(counted_at__isnull=True).order_by("pk"):
            try:
                services.election_count(actor=request.user, election_id=election.pk)
            except ConsejoError as error:
                self.message_user(request, f"{election}: {user_message(error)}", messages.ERROR)
            else:
                counted += 1
        self.message_user(request, _("%(n)d elections counted.") % {"n": counted}, messages.SUCCESS)


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["member", "election", "nominated_by", "accepted_at", "withdrawn_at"]
    list_filter = ["accepted_at", "withdrawn_at"]
    search_fields = ["member__name", "election__title"]
    list_select_related = ["member", "election", "nominated_by"]


@admin.register(Voter)
class VoterAdmin(ReadOnlyAdmin):
    """That a member voted; listed by name, not in the order they voted."""

    list_display = ["election", "member"]
    search_fields = ["member__name", "election__title"]
    list_select_related = ["election", "member"]
    ordering = ["election__title", "member__name", "member_id"]
    fields = ["election", "member"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """What was voted, grouped by what it says; no number, and a voter only for open ballots."""

    list_display = ["election", "choices", "weight", "voter"]
    list_display_links = ["choices"]
    list_select_related = ["election", "member"]
    search_fields = ["election__title"]
    ordering = ["election__title", "choices", "weight"]
    fields = ["election", "choices", "weight", "voter"]
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["election", "choices", "weight", "voter"]

    @admin.display(description=_("voter (open ballots only)"))
    def voter(self, ballot: Ballot) -> str:
        if ballot.election.mode != BallotMode.OPEN or ballot.member is None:
            return "—"
        return str(ballot.member)
