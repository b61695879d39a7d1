"""A body's page and a member's page: each gathers what every app knows of them (the roster,
the seats, the delegation, the elections), so they sit above the apps (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consejo.bodies import services
from consejo.bodies.access import access_member, lookup_body
from consejo.bodies.authority import is_operator, names_visible
from consejo.bodies.choices import Sector
from consejo.bodies.forms import (
    LinkForm,
    LoginGrantForm,
    MemberAddForm,
    RosterUploadForm,
    SeatsForm,
)
from consejo.bodies.login_views import show_code
from consejo.bodies.selectors import (
    body_page,
    child_links,
    linkable_bodies,
    login_status,
    member_memberships,
)
from consejo.common.errors import user_message
from consejo.core.errors import Conflict, InvalidInput
from consejo.core.visibility import Names
from consejo.elections.selectors import election_list
from consejo.mandates.composition import council_composition, office_mandates
from consejo.mandates.selectors import (
    appointable_memberships,
    constituency_mandates,
    member_mandates,
)


@require_http_methods(["GET", "POST"])
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    at = timezone.now()
    body = lookup_body(slug=slug)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        if form.is_valid():
            try:
                membership = services.member_add(
                    actor=request.user,
                    body_id=body.pk,
                    name=form.cleaned_data["name"],
                    sector=form.cleaned_data["sector"],
                    phone=form.cleaned_data["phone"],
                    same_name_ok=form.cleaned_data["same_name_ok"],
                )
            except (InvalidInput, Conflict) as error:
                # A refusal (PermissionDenied) is not a form error: it goes to the 403 page.
                form.add_error(None, user_message(error))
            else:
                messages.success(
                    request, _("%(name)s is now a member.") % {"name": membership.member.name}
                )
                return redirect("body", slug=body.slug)
    detail = body_page(
        body=body,
        actor=request.user,
        at=at,
        roster_page=request.GET.get("page", 1),
        search=request.GET.get("q", "").strip()[:100],
    )
    manage: dict[str, Any] = {}
    if detail.can_manage:
        manage = {
            "roster_form": RosterUploadForm(),
            # The file takes the codes (in English); the reader sees what each one means.
            "sectors": [f"{label} ({code})" for code, label in Sector.choices],
        }
        if detail.is_council:
            manage |= {
                "seats_form": SeatsForm(
                    initial={
                        "method": body.apportionment_method or "dhondt",
                        "seats": body.seats,
                        "min_seats": body.min_seats,
                        "members_per_seat": body.members_per_seat,
                    }
                ),
                "link_form": LinkForm(),
                "linkable": linkable_bodies(council=body, actor=request.user, at=at),
                "links": child_links(council=body, at=at),
            }
    # A council shows who sits in it, by constituency, each seat with the chain it is held
    # through; a base body, the delegates it has in councils.
    composition = council_composition(council_id=body.pk, at=at) if detail.is_council else None
    seated = [] if detail.is_council else constituency_mandates(body_id=body.pk, at=at)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "bodies/body.html",
        {
            "d": detail,
            "form": form,
            "at": at,
            "elections": election_list(at=at, body=body),
            "seated": seated,
            "composition": composition,
            "officers": office_mandates(body_id=body.pk, at=at),
            "office_names": names_visible(request.user, Names.OFFICE, at=at),
            **manage,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def member_page(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id)
    at = timezone.now()
    form = LoginGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.member_login_grant(
                actor=request.user, member_id=member.pk, username=form.cleaned_data["username"]
            )
        except (InvalidInput, Conflict) as error:
            form.add_error(None, user_message(error))
        else:
            return show_code(request, issued, granted=True)
    return render(
        request,
        "bodies/member.html",
        {
            "member": member,
            "memberships": member_memberships(member),
            "mandates": member_mandates(member_id=member.pk),
            "appointable": (
                appointable_memberships(member_id=member.pk, at=at)
                if is_operator(request.user)
                else []
            ),
            "login": login_status(actor=request.user, member=member, at=at),
            "form": form,
            "at": at,
        },
        status=400 if request.method == "POST" else 200,
    )
