"""Pages of bodies and members: parse, call one selector or service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consejo.bodies import services
from consejo.bodies.access import access_body, access_member
from consejo.bodies.forms import LoginGrantForm, MemberAddForm
from consejo.bodies.selectors import (
    body_detail,
    can_grant_login,
    federation_tree,
    member_memberships,
)
from consejo.core.errors import Conflict, ConsejoError, InvalidInput


@require_GET
def body_tree(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    return render(request, "bodies/tree.html", {"tree": federation_tree(at=at), "at": at})


@require_http_methods(["GET", "POST"])
def body_page(request: HttpRequest, slug: str) -> HttpResponse:
    at = timezone.now()
    body = access_body(actor=request.user, slug=slug)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            try:
                membership = services.member_add(
                    actor=request.user,
                    body=body,
                    name=form.cleaned_data["name"],
                    sector=form.cleaned_data["sector"],
                    phone=form.cleaned_data["phone"],
                )
            except (InvalidInput, Conflict) as error:
                # A refusal (PermissionDenied) is not a form error: it goes to the 403 page.
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(name)s is now a member.") % {"name": membership.member.name}
                )
                return redirect("body", slug=body.slug)
    detail = body_detail(
        body=body,
        actor=request.user,
        at=at,
        roster_page=request.GET.get("page", 1),
        search=request.GET.get("q", "").strip()[:100],
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "bodies/body.html", {"d": detail, "form": form, "at": at}, status=status)


@require_POST
@login_required
def membership_end(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    body = access_body(actor=request.user, slug=slug)
    try:
        services.membership_end(
            actor=request.user,
            membership_id=membership_id,
            reason=request.POST.get("reason", ""),
        )
    except ConsejoError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The membership has ended."))
    return redirect("body", slug=body.slug)


@require_http_methods(["GET", "POST"])
@login_required
def member_page(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id)
    at = timezone.now()
    form = LoginGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_login_grant(
                actor=request.user,
                member=member,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except (InvalidInput, Conflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s can now log in.") % {"name": member.name})
            return redirect("member", member_id=member.pk)
    return render(
        request,
        "bodies/member.html",
        {
            "member": member,
            "memberships": member_memberships(member),
            "can_grant_login": can_grant_login(actor=request.user, member=member, at=at),
            "form": form,
            "at": at,
        },
        status=400 if request.method == "POST" else 200,
    )


def _login_url() -> str:
    from django.urls import reverse

    return reverse("login")
