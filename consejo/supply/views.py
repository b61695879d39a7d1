"""Supply pages: committees, depots and their counts, recipients and their needs, allocation
plans with their vote, table, chart and map, and the plan's input and output as JSON.

Each view parses its input, calls one service or selector, and renders or redirects. A service's
refusal is shown as a message on the page; a PermissionDenied becomes the 403 page and a missing
short name or number the 404 page (the error middleware).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consejo.bodies.access import lookup_body
from consejo.common import ratelimit
from consejo.common.errors import form_errors, user_message
from consejo.common.methods import post_or_page
from consejo.core.errors import Conflict, InvalidInput, NotFound, RateLimited
from consejo.supply import services
from consejo.supply.access import (
    lookup_depot,
    lookup_item,
    lookup_plan,
    lookup_recipient,
    lookup_supply_committee,
)
from consejo.supply.choices import RecipientKind, VoteChoice
from consejo.supply.forms import (
    ItemForm,
    NeedForm,
    RecipientForm,
    RouteForm,
    StockCountForm,
)
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
    committee = lookup_supply_committee(slug=slug)
    return _committee(request, committee)


def _committee(
    request: HttpRequest, committee: Any, *, refused: str = "", error: str = "", **forms: Any
) -> HttpResponse:
    """The committee's page; after a refused form, with that form open and its input kept."""
    page = committee_page(committee=committee, actor=request.user, at=timezone.now())
    if error:
        messages.error(request, error)
    context = {
        "p": page,
        "c": committee,
        "kinds": RecipientKind,
        "refused": refused,
        "recipient_form": forms.get("recipient_form") or RecipientForm(),
        "route_form": forms.get("route_form") or RouteForm(depots=[]),
        "item_form": forms.get("item_form") or ItemForm(),
    }
    return render(request, "supply/committee.html", context, status=400 if refused else 200)


@post_or_page("supply_committee", "slug")
@login_required
def plan_propose(request: HttpRequest, slug: str) -> HttpResponse:
    committee = lookup_supply_committee(slug=slug)
    try:
        ratelimit.enforce(ratelimit.PROPOSALS, actor=request.user, via="web")
    except RateLimited as error:
        messages.error(request, user_message(error))
        return redirect("supply_committee", slug=committee.slug)
    try:
        plan = services.plan_propose(actor=request.user, committee_id=committee.pk)
    except REFUSALS as error:
        messages.error(request, user_message(error))
        return redirect("supply_committee", slug=committee.slug)
    messages.success(request, _("The plan was computed and put to the committee's vote."))
    return redirect("supply_plan", plan_id=plan.pk)


@post_or_page("supply_committee", "slug")
@login_required
def recipient_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = lookup_supply_committee(slug=slug)
    form = RecipientForm(request.POST)

    def again(error: str) -> HttpResponse:
        return _committee(request, committee, refused="recipient", error=error, recipient_form=form)

    if not form.is_valid():
        return again(form_errors(form))
    data = form.cleaned_data
    latitude, longitude = data["latitude"], data["longitude"]
    if (latitude is None) != (longitude is None):
        return again(_("Give both the latitude and the longitude, or neither."))
    try:
        body = lookup_body(slug=data["body"].strip())
        recipient = services.recipient_register(
            actor=request.user,
            committee_id=committee.pk,
            body_id=body.pk,
            slug=data["slug"],
            name=data["name"],
            kind=data["kind"],
            tier=data["tier"],
            households=data["households"],
            location=services.Place(latitude, longitude) if latitude is not None else None,
        )
    except REFUSALS as error:
        return again(user_message(error))
    messages.success(request, _("%(name)s was registered.") % {"name": recipient.name})
    return redirect("supply_committee", slug=committee.slug)


@post_or_page("supply_committee", "slug")
@login_required
def route_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = lookup_supply_committee(slug=slug)
    form = RouteForm(request.POST, depots=depot_choices(committee=committee))
    back = str(request.POST.get("next", ""))
    if not url_has_allowed_host_and_scheme(back, allowed_hosts=None) or not back.startswith("/"):
        back = ""

    def again(error: str) -> HttpResponse:
        if back:  # the recipient's page: only the cost is typed there
            messages.error(request, error)
            return redirect(back)
        return _committee(request, committee, refused="route", error=error, route_form=form)

    if not form.is_valid():
        return again(form_errors(form))
    try:
        recipient = lookup_recipient(slug=form.cleaned_data["recipient"])
        route = services.route_set(
            actor=request.user,
            depot_id=form.cleaned_data["depot"],
            recipient_id=recipient.pk,
            cost=form.cleaned_data["cost"],
        )
    except REFUSALS as error:
        return again(user_message(error))
    messages.success(
        request,
        _("Route set: %(route)s, cost %(cost)d per unit.") % {"route": route, "cost": route.cost},
    )
    return redirect(back or reverse("supply_committee", args=[committee.slug]))


@post_or_page("supply_committee", "slug")
@login_required
def item_new(request: HttpRequest, slug: str) -> HttpResponse:
    committee = lookup_supply_committee(slug=slug)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _committee(
            request, committee, refused="item", error=form_errors(form), item_form=form
        )
    try:
        item = services.item_create(
            actor=request.user,
            slug=form.cleaned_data["slug"],
            name=form.cleaned_data["name"],
            unit=form.cleaned_data["unit"],
        )
    except REFUSALS as error:
        return _committee(
            request, committee, refused="item", error=user_message(error), item_form=form
        )
    messages.success(request, _("%(name)s was registered.") % {"name": item.name})
    return redirect("supply_committee", slug=committee.slug)


@require_GET
def depot_detail(request: HttpRequest, slug: str) -> HttpResponse:
    depot = lookup_depot(slug=slug)
    return _depot(request, depot)


def _depot(request: HttpRequest, depot: Any, *, error: str = "", form: Any = None) -> HttpResponse:
    """The depot's page; after a refused count, with its input kept."""
    page = depot_page(depot=depot, actor=request.user, at=timezone.now())
    if error:
        messages.error(request, error)
    context = {"p": page, "d": depot, "form": form or StockCountForm(items=[])}
    return render(request, "supply/depot.html", context, status=400 if error else 200)


@post_or_page("supply_depot", "slug")
@login_required
def stock_count(request: HttpRequest, slug: str) -> HttpResponse:
    depot = lookup_depot(slug=slug)
    form = StockCountForm(request.POST, items=_items())
    if not form.is_valid():
        return _depot(request, depot, error=form_errors(form), form=form)
    item = lookup_item(slug=form.cleaned_data["item"])
    try:
        count = services.stock_count_record(
            actor=request.user,
            depot_id=depot.pk,
            item_id=item.pk,
            units=form.cleaned_data["units"],
            note=form.cleaned_data["note"],
        )
    except REFUSALS as error:
        return _depot(request, depot, error=user_message(error), form=form)
    messages.success(
        request,
        _("Count recorded: %(units)d of %(item)s.") % {"units": count.units, "item": item},
    )
    return redirect("supply_depot", slug=depot.slug)


@require_GET
def recipient_detail(request: HttpRequest, slug: str) -> HttpResponse:
    recipient = lookup_recipient(slug=slug)
    return _recipient(request, recipient)


def _recipient(
    request: HttpRequest, recipient: Any, *, error: str = "", form: Any = None
) -> HttpResponse:
    """The recipient's page; after a refused need, with its input kept."""
    page = recipient_page(recipient=recipient, actor=request.user, at=timezone.now())
    if error:
        messages.error(request, error)
    context = {"p": page, "r": recipient, "form": form or NeedForm(items=[])}
    return render(request, "supply/recipient.html", context, status=400 if error else 200)


@post_or_page("supply_recipient", "slug")
@login_required
def need_new(request: HttpRequest, slug: str) -> HttpResponse:
    recipient = lookup_recipient(slug=slug)
    form = NeedForm(request.POST, items=_items())
    if not form.is_valid():
        return _recipient(request, recipient, error=form_errors(form), form=form)
    item = lookup_item(slug=form.cleaned_data["item"])
    try:
        need = services.need_register(
            actor=request.user,
            recipient_id=recipient.pk,
            item_id=item.pk,
            units=form.cleaned_data["units"],
        )
    except REFUSALS as error:
        return _recipient(request, recipient, error=user_message(error), form=form)
    messages.success(
        request,
        _("Need registered: %(units)d of %(item)s.") % {"units": need.units, "item": item},
    )
    return redirect("supply_recipient", slug=recipient.slug)


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = lookup_plan(plan_id=plan_id)
    page = plan_page(plan=plan, actor=request.user, at=timezone.now())
    return render(request, "supply/plan.html", {"p": page, "plan": plan})


@post_or_page("supply_plan", "plan_id")
@login_required
def plan_vote(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = lookup_plan(plan_id=plan_id)
    try:
        ratelimit.enforce(ratelimit.PLAN_VOTES, actor=request.user, via="web")
    except RateLimited as error:
        return render(request, "error.html", {"error": user_message(error)}, status=429)
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
    plan = lookup_plan(plan_id=plan_id)
    response = HttpResponse(plan_json(plan, which), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-{which}.json"'
    return response
