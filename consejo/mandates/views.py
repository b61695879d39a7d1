"""Pages that change mandates directly: an operator's provisional appointment of a secretary.
(Elections, which make most mandates, have their own pages.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _, gettext_noop
from django.views.decorators.http import require_http_methods

from consejo.bodies.access import access_member
from consejo.bodies.authority import is_operator, require
from consejo.bodies.forms import ProvisionalSecretaryForm
from consejo.common.errors import form_errors, user_message
from consejo.core.errors import Conflict, InvalidInput
from consejo.mandates import services


@require_http_methods(["GET", "POST"])
@login_required
def provisional_secretary(request: HttpRequest, member_id: int) -> HttpResponse:
    """An operator makes a member the provisional secretary of one of the bodies they belong
    to (consejo.mandates.services.secretary_appoint_provisional)."""
    member = access_member(actor=request.user, member_id=member_id)
    require(
        is_operator(request.user),
        actor=request.user,
        action=gettext_noop("appoint a provisional secretary"),
        target=_("this installation"),
    )
    if request.method == "GET":
        return redirect("member", member_id=member.pk)
    form = ProvisionalSecretaryForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("member", member_id=member.pk)
    try:
        office = services.secretary_appoint_provisional(
            actor=request.user,
            membership_id=form.cleaned_data["membership"],
            reason=form.cleaned_data["reason"],
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("%(name)s is now the provisional secretary of %(body)s.")
            % {"name": member.name, "body": office.council.name},
        )
    return redirect("member", member_id=member.pk)
