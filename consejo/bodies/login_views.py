"""Login pages of a member: the one-time code shown once, a reset, disabling and enabling a
login, and a body's printed login cards."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consejo.bodies import services
from consejo.bodies.access import access_member, lookup_body
from consejo.bodies.selectors import (
    login_cards_due,
)
from consejo.common.errors import user_message
from consejo.common.methods import post_or_page
from consejo.core.errors import Conflict, InvalidInput, NotFound


def show_code(request: HttpRequest, issued: services.IssuedCode, *, granted: bool) -> HttpResponse:
    """The one page that ever shows a code: not kept in any cache, not shown again."""
    response = render(request, "bodies/login_code.html", {"issued": issued, "granted": granted})
    response["Cache-Control"] = "no-store"
    return response


@post_or_page("member", "member_id")
@login_required
def member_login_reset(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id)
    try:
        issued = services.member_login_reset(actor=request.user, member_id=member.pk)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
        return redirect("member", member_id=member.pk)
    return show_code(request, issued, granted=False)


@post_or_page("member", "member_id")
@login_required
def member_login_active(request: HttpRequest, member_id: int, action: str) -> HttpResponse:
    member = access_member(actor=request.user, member_id=member_id)
    service = services.login_enable if action == "enable" else services.login_disable
    try:
        service(actor=request.user, user_id=member.user_id or 0)
    except (InvalidInput, Conflict, NotFound) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("The login of %(name)s works again.") % {"name": member.name}
            if action == "enable"
            else _(
                "The login of %(name)s is disabled: it cannot log in, its sessions and API "
                "tokens no longer work."
            )
            % {"name": member.name},
        )
    return redirect("member", member_id=member.pk)


@require_http_methods(["GET", "POST"])
@login_required
def login_cards(request: HttpRequest, slug: str) -> HttpResponse:
    body = lookup_body(slug=slug)
    if request.method == "GET":
        due = login_cards_due(actor=request.user, body=body, at=timezone.now())
        return render(request, "bodies/login_cards.html", {"body": body, "due": due})
    printed = services.login_cards_issue(actor=request.user, body_id=body.pk)
    response = render(request, "bodies/login_cards.html", {"body": body, "printed": printed})
    response["Cache-Control"] = "no-store"
    return response
