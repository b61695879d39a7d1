"""Supply pages: committees, depots and their counts, recipients and their needs, allocation
plans with their vote, table, chart and map, and the plan's input and output as JSON.

Each view parses its input, calls one service or selector, and renders or redirects. A service's
refusal is shown as a message on the page; a PermissionDenied becomes the 403 page and a missing
short name or number the 404 page (the error middleware).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consejo.bodies.access import access_body
from consejo.common import ratelimit
from consejo.common.errors import user_message
from consejo.core.errors import Conflict, InvalidInput, NotFound
from consejo.supply import services
from consejo.supply.access import (
    access_depot,
    access_item,
    access_plan,
    access_recipient,
    access_supply_committee,
)
from consejo.supply.forms import (
    ItemForm,
    NeedForm,
    RecipientForm,
    RouteForm,
    StockCountForm,
    form_errors,
)
from consejo.supply.models import RecipientKind, VoteChoice
from consejo.supply.selectors import (
    committee_page,
    depot_choices,
    depot_page,
    item_list,
    plan_json,
    plan_page,
    recipient_page,
    supply_committee_list,
)

REFUSALS = (InvalidInput, Conflict, NotFound)


def _items() -> list[tuple[str, str]]:
    return [(i.slug, f"{i.name} ({i.unit})") for i in item_list()]


@require_GET
def supply_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supply/index.html",
        {"committees": supply_committee_list(), "items": item_list()},
    )


@require_GET
def committee_detail(request: HttpRequest, slug: str) -> HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    page = committee_page(committee=committee, actor=request.user, at=timezone.now())
    return render(
        request, "supply/committee.html", {"p": page, "c": committee, "kinds": RecipientKind}
    )


@require_POST
@login_required
def plan_propose(request: HttpRequest, slug: str) -> HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    if not ratelimit.allow(
        "plan-propose",
        str(request.user.pk),
        limit=ratelimit.PROPOSAL_LIMIT,
        window_seconds=ratelimit.PROPOSAL_WINDOW,
    ):
        ratelimit.security_log.warning("denied: plan proposal rate limit for %s", request.user)
        messages.error(request, _("Too many plans proposed. Wait ten minutes and try again."))
        return redirect("supply_committee", slug=committee.slug)
    try:
        plan = services.plan_propose(actor=request.user, committee=committee)
    except REFUSALS as error:
        messages.error(request, user_message(error))
        return redirect("supply_committee", slug=committee.slug)
    messages.success(request, _("The plan was computed and put to the committee's vote."))
    return redirect("supply_plan", plan_id=plan.pk)


@require_POST
@login_required
def recipient_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    form = RecipientForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("supply_committee", slug=committee.slug)
    data = form.cleaned_data
    latitude, longitude = data["latitude"], data["longitude"]
    if (latitude is None) != (longitude is None):
        messages.error(request, _("Give both the latitude and the longitude, or neither."))
        return redirect("supply_committee", slug=committee.slug)
    try:
        body = access_body(actor=request.user, slug=data["body"].strip())
        recipient = services.recipient_register(
            actor=request.user,
            committee=committee,
            body=body,
            slug=data["slug"],
            name=data["name"],
            kind=data["kind"],
            tier=data["tier"],
            households=data["households"],
            location=services.Place(latitude, longitude) if latitude is not None else None,
        )
    except REFUSALS as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("%(name)s was registered.") % {"name": recipient.name})
    return redirect("supply_committee", slug=committee.slug)


@require_POST
@login_required
def route_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    form = RouteForm(request.POST, depots=depot_choices(committee=committee))
    back = str(request.POST.get("next", ""))
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not back.startswith("/"):
        back = reverse("supply_committee", args=[committee.slug])
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(back)
    try:
        recipient = access_recipient(actor=request.user, slug=form.cleaned_data["recipient"])
        route = services.route_set(
            actor=request.user,
            depot_id=form.cleaned_data["depot"],
            recipient_id=recipient.pk,
            cost=form.cleaned_data["cost"],
        )
    except REFUSALS as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("Route set: %(route)s, cost %(cost)d per unit.")
            % {"route": route, "cost": route.cost},
        )
    return redirect(back)


@require_POST
@login_required
def item_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = access_supply_committee(actor=request.user, slug=slug)
    form = ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("supply_committee", slug=committee.slug)
    try:
        item = services.item_create(
            actor=request.user,
            slug=form.cleaned_data["slug"],
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
        )
    except REFUSALS as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("%(name)s was registered.") % {"name": item.name})
    return redirect("supply_committee", slug=committee.slug)


@require_GET
def depot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    depot = access_depot(actor=request.user, slug=slug)
    page = depot_page(depot=depot, actor=request.user, at=timezone.now())
    return render(request, "supply/depot.html", {"p": page, "d": depot})


@require_POST
@login_required
def stock_count(request: HttpRequest, slug: str) -> HttpResponse:
    depot = access_depot(actor=request.user, slug=slug)
    form = StockCountForm(request.POST, items=_items())
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("supply_depot", slug=depot.slug)
    item = access_item(actor=request.user, slug=form.cleaned_data["item"])
    try:
        count = services.stock_count_record(
            actor=request.user,
            depot_id=depot.pk,
            item_id=item.pk,
            units=form.cleaned_data["units"],
            note=form.cleaned_data["note"],
        )
    except REFUSALS as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("Count recorded: %(units)d of %(item)s.") % {"units": count.units, "item": item},
        )
    return redirect("supply_depot", slug=depot.slug)


@require_GET
def recipient_detail(request: HttpRequest, slug: str) -> HttpResponse:
    recipient = access_recipient(actor=request.user, slug=slug)
    page = recipient_page(recipient=recipient, actor=request.user, at=timezone.now())
    return render(request, "supply/recipient.html", {"p": page, "r": recipient})


@require_POST
@login_required
def need_new(request: HttpRequest, slug: str) -> HttpResponse:
    recipient = access_recipient(actor=request.user, slug=slug)
    form = NeedForm(request.POST, items=_items())
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("supply_recipient", slug=recipient.slug)
    item = access_item(actor=request.user, slug=form.cleaned_data["item"])
    try:
        need = services.need_register(
            actor=request.user,
            recipient_id=recipient.pk,
            item_id=item.pk,
            units=form.cleaned_data["units"],
        )
    except REFUSALS as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("Need registered: %(units)d of %(item)s.") % {"units": need.units, "item": item},
        )
    return redirect("supply_recipient", slug=recipient.slug)


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(actor=request.user, plan_id=plan_id)
    page = plan_page(plan=plan, actor=request.user, at=timezone.now())
    return render(request, "supply/plan.html", {"p": page, "plan": plan})


@require_POST
@login_required
def plan_vote(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = access_plan(actor=request.user, plan_id=plan_id)
    ident = str(request.user.pk)
    if not ratelimit.allow(
        "plan-vote", ident, limit=ratelimit.VOTE_LIMIT, window_seconds=ratelimit.VOTE_WINDOW
    ):
        ratelimit.security_log.warning("denied: plan vote rate limit for %s", request.user)
        error = _("Too many attempts. Wait ten minutes and try again.")
        return render(request, "error.html", {"error": error}, status=429)
    choice = str(request.POST.get("choice", ""))[:10]
    if choice not in VoteChoice.values:
        messages.error(request, _("Choose yes, no or abstain."))
        return redirect("supply_plan", plan_id=plan.pk)
    try:
        plan = services.plan_vote(actor=request.user, plan_id=plan.pk, choice=choice)
    except REFUSALS as error:
        messages.error(request, user_message(error))
        return redirect("supply_plan", plan_id=plan.pk)
    messages.success(request, _("Your vote was recorded."))
    if plan.status == "approved":
        messages.success(request, _("The plan is approved: it is the plan in force."))
    elif plan.status == "rejected":
        messages.info(request, _("The plan can no longer be carried: it is rejected."))
    return redirect("supply_plan", plan_id=plan.pk)


@require_GET
def plan_download(request: HttpRequest, plan_id: int, which: str) -> HttpResponse:
    plan = access_plan(actor=request.user, plan_id=plan_id)
    response = HttpResponse(plan_json(plan, which), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-{which}.json"'
    return response
