"""Election pages: call an election, nominate, vote, enter a paper tally, count, results.

Each view parses its input, calls one service or selector, and renders. A service's refusal is
shown as a message on the page; a PermissionDenied becomes the 403 page (the error middleware).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods

from consejo.bodies.access import lookup_body
from consejo.bodies.authority import (
    names_visible,
    refuse_names,
    require,
    require_secretary_or_operator,
)
from consejo.common import ratelimit
from consejo.common.errors import http_status, user_message
from consejo.common.methods import post_or_page
from consejo.core.errors import Conflict, InvalidInput, RateLimited
from consejo.core.visibility import Names
from consejo.elections import services
from consejo.elections.access import lookup_candidate, lookup_election, lookup_nominee
from consejo.elections.entries import (
    marks_entered,
    marks_tally,
    ranked_tally,
    ranking_entered,
)
from consejo.elections.forms import (
    ElectionCreateForm,
    NominateForm,
    TallyTextForm,
)
from consejo.elections.selectors import (
    box_of,
    election_blt,
    election_councils,
    election_csv,
    election_list,
    election_outcome,
    election_page,
    election_state,
    trustee_choices,
)
from consejo.mandates.choices import Office


@require_GET
def elections_index(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    return render(request, "elections/list.html", {"elections": election_list(at=at), "at": at})


#: How the "elect people to" field names an office of the body (no body's short name has a colon).
OFFICE_CHOICE = "office:"


@require_http_methods(["GET", "POST"])
@login_required
def election_new(request: HttpRequest, slug: str) -> HttpResponse:
    at = timezone.now()
    body = lookup_body(slug=slug)
    require_secretary_or_operator(request.user, body, at, gettext_noop("call an election"))
    councils = election_councils(body=body, at=at)
    choices = [
        (
            c.council.slug,
            _("%(name)s (committee)") % {"name": c.council.name}
            if c.committee
            else (
                _("%(name)s (%(n)d seats apportioned)") % {"name": c.council.name, "n": c.seats}
                if c.seats is not None
                else c.council.name
            ),
        )
        for c in councils
    ]
    # The body's own offices: an election whose council is the body itself (one seat).
    choices += [
        (f"{OFFICE_CHOICE}{value}", _("%(office)s of %(body)s") % {"office": label, "body": body})
        for value, label in Office.choices
    ]
    people = trustee_choices(body=body, at=at)
    form = ElectionCreateForm(
        request.POST or None,
        councils=choices,
        trustees=[(str(m.pk), m.name) for m in people],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        office = data["council"].removeprefix(OFFICE_CHOICE)
        if office != data["council"]:
            council = body
        else:
            office, council = "", lookup_body(slug=data["council"])
        by_id = {str(m.pk): m for m in people}
        trustees = [by_id[i] for i in data["trustees"]] if data["mode"] == "secret" else []
        try:
            election = services.election_create(
                actor=request.user,
                body_id=body.pk,
                council_id=council.pk,
                title=data["title"],
                method=data["method"],
                mode=data["mode"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                seats=data["seats"],
                substitutes=data["substitutes"],
                trustee_ids=[m.pk for m in trustees],
                threshold=data["threshold"] if trustees else None,
                office=office,
            )
        except (InvalidInput, Conflict) as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("The election was called. Now nominate the candidates."))
            return redirect("election", election_id=election.pk)
    return render(
        request,
        "elections/new.html",
        {"form": form, "body": body, "councils": councils},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def election_detail(request: HttpRequest, election_id: int) -> HttpResponse:
    at = timezone.now()
    election = lookup_election(election_id=election_id)
    search = request.GET.get("q", "").strip()[:100]
    page = election_page(election=election, actor=request.user, at=at, search=search)
    return render(
        request,
        "elections/election.html",
        {"p": page, "v": page.state, "e": election, "search": search, "at": at},
    )


@post_or_page("election", "election_id")
@login_required
def candidate_nominate(request: HttpRequest, election_id: int) -> HttpResponse:
    at = timezone.now()
    election = lookup_election(election_id=election_id)
    form = NominateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a member to nominate."))
        return redirect("election", election_id=election.pk)
    member = lookup_nominee(election=election, member_id=form.cleaned_data["member"], at=at)
    try:
        candidate = services.candidate_nominate(
            actor=request.user,
            election_id=election.pk,
            member_id=member.pk,
            statement=form.cleaned_data["statement"],
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        if candidate.standing:
            messages.success(request, _("%(name)s stands.") % {"name": member.name})
        else:
            messages.success(
                request,
                _("%(name)s is nominated and stands once they accept.") % {"name": member.name},
            )
    return redirect("election", election_id=election.pk)


@post_or_page("election", "election_id")
@login_required
def candidate_decide(
    request: HttpRequest, election_id: int, candidate_id: int, decision: str
) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    candidate = lookup_candidate(election=election, candidate_id=candidate_id)
    service = services.candidate_accept if decision == "accept" else services.candidate_withdraw
    try:
        service(actor=request.user, candidate_id=candidate.pk)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("The nomination is accepted.")
            if decision == "accept"
            else _("The nomination is withdrawn."),
        )
    return redirect("election", election_id=election.pk)


@require_http_methods(["GET", "POST"])
@login_required
def ballot(request: HttpRequest, election_id: int) -> HttpResponse:
    at = timezone.now()
    election = lookup_election(election_id=election_id)
    view = election_state(election=election, actor=request.user, at=at)
    standing = view.standing
    error = ""
    status = 200
    entered: dict[int, str] = {}
    marked: set[int] = set()
    if request.method == "POST":
        try:
            ratelimit.enforce(ratelimit.BALLOTS, actor=request.user, via="web")
        except RateLimited as refused:
            error = user_message(refused)
            status = 429
        else:
            try:
                if view.ranked:
                    entered = {
                        c.pk: str(request.POST.get(f"rank-{c.pk}", ""))[:10] for c in standing
                    }
                    choices = ranking_entered(entered)
                else:
                    marked = marks_entered(request.POST.getlist("choice"))
                    # Every mark goes to the service, which refuses a non-candidate.
                    choices = tuple(sorted(marked))
                tracker = services.ballot_cast(
                    actor=request.user, election_id=election.pk, choices=choices
                )
            except InvalidInput as refused:
                error, status = user_message(refused), 400
            except Conflict as refused:
                messages.error(request, user_message(refused))
                return redirect("election", election_id=election.pk)
            else:
                if tracker is not None:
                    # Shown once, on this page: never kept in the session, which is stored.
                    return render(
                        request,
                        "elections/sealed.html",
                        {"e": election, "tracker": tracker, "box": box_of(election)},
                    )
                # Nothing about the ballot goes into the message (it is kept in the session).
                messages.success(request, _("Your vote was recorded. Thank you."))
                return redirect("election", election_id=election.pk)
    elif view.has_voted:
        messages.info(request, _("You have already voted in this election."))
        return redirect("election", election_id=election.pk)
    elif not view.is_member:
        require(
            False,
            actor=request.user,
            action=gettext_noop("vote in this election"),
            target=election,
        )
    elif not view.may_vote:
        messages.error(request, _("This ballot is not open now."))
        return redirect("election", election_id=election.pk)
    rows = [(c, entered.get(c.pk, ""), c.pk in marked) for c in standing]
    return render(
        request,
        "elections/ballot.html",
        {"v": view, "e": election, "rows": rows, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def tally(request: HttpRequest, election_id: int) -> HttpResponse:
    at = timezone.now()
    election = lookup_election(election_id=election_id)
    require_secretary_or_operator(
        request.user, election.body, at, gettext_noop("enter the ballots of an assembly")
    )
    view = election_state(election=election, actor=request.user, at=at)
    standing = view.standing
    form = TallyTextForm(request.POST or None, request.FILES or None)
    counts = {c.pk: "" for c in standing}
    status = 200
    if request.method == "POST":
        try:
            if view.ranked:
                rows = ranked_tally(form, standing)
            else:
                counts = {c.pk: str(request.POST.get(f"votes-{c.pk}", ""))[:12] for c in standing}
                rows = marks_tally(counts)
            total = services.paper_tally_enter(
                actor=request.user, election_id=election.pk, ballots=rows
            )
        except (InvalidInput, Conflict) as refused:
            form.add_error(None, user_message(refused))
            status = 400
        else:
            message = (
                _("The tally was entered: %(n)d ballots.")
                if view.ranked
                else _("The tally was entered: %(n)d votes.")
            )
            messages.success(request, message % {"n": total})
            return redirect("election", election_id=election.pk)
    numbered = [(i, c, counts.get(c.pk, "")) for i, c in enumerate(standing, start=1)]
    return render(
        request,
        "elections/tally.html",
        {"v": view, "e": election, "form": form, "numbered": numbered},
        status=status,
    )


@post_or_page("election", "election_id")
@login_required
def election_close(request: HttpRequest, election_id: int) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    try:
        services.election_close(actor=request.user, election_id=election.pk)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("The ballot box is closed and mixed. Its trustees can now bring their decryptions."),
        )
    return redirect("election", election_id=election.pk)


@post_or_page("election", "election_id")
@login_required
def election_count(request: HttpRequest, election_id: int) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    try:
        services.election_count(actor=request.user, election_id=election.pk)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
        return redirect("election", election_id=election.pk)
    messages.success(request, _("The ballots were counted and the delegates seated."))
    return redirect("election_results", election_id=election.pk)


def _office_names(request: HttpRequest) -> HttpResponse | None:
    """None if the reader may see who holds or seeks office (``Names.OFFICE``); else the login
    page for an anonymous visitor, and a refusal (403) for anyone else."""
    if names_visible(request.user, Names.OFFICE, at=timezone.now()):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    refuse_names(request.user, Names.OFFICE)


@require_GET
def results(request: HttpRequest, election_id: int) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    if (refused := _office_names(request)) is not None:
        return refused
    if election.counted_at is None:
        return _not_counted(request, election.pk)
    return render(
        request,
        "elections/results.html",
        {"e": election, "o": election_outcome(election)},
    )


@require_GET
def results_csv(request: HttpRequest, election_id: int) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    if (refused := _office_names(request)) is not None:
        return refused
    if election.counted_at is None:
        return _not_counted(request, election.pk)
    response = HttpResponse(election_csv(election), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.csv"'
    return response


@require_GET
def ballots_blt(request: HttpRequest, election_id: int) -> HttpResponse:
    election = lookup_election(election_id=election_id)
    if (refused := _office_names(request)) is not None:
        return refused
    if election.counted_at is None:
        return _not_counted(request, election.pk)
    response = HttpResponse(election_blt(election), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="election-{election.pk}.blt"'
    return response


def _not_counted(request: HttpRequest, election_id: int) -> HttpResponse:
    error = Conflict(_("this election has not been counted yet"))
    return render(request, "error.html", {"error": user_message(error)}, status=http_status(error))
