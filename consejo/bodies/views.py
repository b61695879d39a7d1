"""Pages of bodies and members: parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _, gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from consejo.bodies import services
from consejo.bodies.access import lookup_body, lookup_link, lookup_membership
from consejo.bodies.authority import (
    require,
    require_secretary_or_operator,
)
from consejo.bodies.choices import Sector
from consejo.bodies.forms import (
    BodyCreateForm,
    LinkForm,
    RosterUploadForm,
    SeatsForm,
)
from consejo.bodies.selectors import (
    councils_managed,
    creatable_kinds,
    federation_tree,
    membership_end_refusal,
)
from consejo.bodies.services import RosterRow
from consejo.common.errors import form_errors, user_message
from consejo.common.methods import post_or_page
from consejo.core.csvtext import decode_text
from consejo.core.errors import Conflict, ConsejoError, InvalidInput
from consejo.core.roster import RosterRefused, read_roster_csv

ROSTER_MAX_BYTES = 5 * 1024 * 1024


@require_GET
def body_tree(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    can_create = bool(councils_managed(actor=request.user, at=at)) or request.user.is_superuser
    return render(
        request,
        "bodies/tree.html",
        {"tree": federation_tree(at=at), "at": at, "can_create": can_create},
    )


@require_http_methods(["GET", "POST"])
@login_required
def body_new(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    councils = councils_managed(actor=request.user, at=at)
    operator = request.user.is_superuser
    require(
        bool(councils) or operator,
        actor=request.user,
        action=gettext_noop("create a body"),
        target=_("this installation"),
    )
    choices = [(c.slug, c.name) for c in councils]
    if operator:
        choices.insert(0, ("", _("— none (a top-level body) —")))
    form = BodyCreateForm(
        request.POST or None, parents=choices, kinds=None if operator else creatable_kinds()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = lookup_body(slug=data["parent"]) if data["parent"] else None
        try:
            body = services.body_create(
                actor=request.user,
                name=data["name"],
                slug=data["slug"],
                kind=data["kind"],
                level=data["level"],
                place=data["place"],
                description=data["description"],
                parent_id=parent.pk if parent is not None else None,
            )
        except (InvalidInput, Conflict) as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("%(name)s was created.") % {"name": body.name})
            return redirect("body", slug=body.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "bodies/new.html", {"form": form}, status=status)


@post_or_page("body", "slug")
@login_required
def council_seats(request: HttpRequest, slug: str) -> HttpResponse:
    council = lookup_body(slug=slug)
    form = SeatsForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("body", slug=council.slug)
    data = form.cleaned_data
    try:
        services.council_seats_configure(
            actor=request.user,
            council_id=council.pk,
            method=data["method"],
            seats=data["seats"],
            min_seats=data["min_seats"],
            members_per_seat=data["members_per_seat"],
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The seats were apportioned again."))
    return redirect("body", slug=council.slug)


@post_or_page("body", "slug")
@login_required
def federation_link_add(request: HttpRequest, slug: str) -> HttpResponse:
    council = lookup_body(slug=slug)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("body", slug=council.slug)
    body = lookup_body(slug=form.cleaned_data["body"])
    try:
        services.federation_link(actor=request.user, body_id=body.pk, parent_id=council.pk)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("%(body)s now sends delegates here.") % {"body": body.name})
    return redirect("body", slug=council.slug)


@require_http_methods(["GET", "POST"])
@login_required
def federation_link_end(request: HttpRequest, slug: str, link_id: int) -> HttpResponse:
    council = lookup_body(slug=slug)
    link = lookup_link(council=council, link_id=link_id)
    if request.POST.get("confirm") != "yes":
        # Unlinking moves seats: asked once more, naming both sides.
        return render(
            request,
            "bodies/confirm.html",
            {
                "body": council,
                "question": _("Should %(body)s stop sending delegates to %(council)s?")
                % {"body": link.body.name, "council": council.name},
                "consequence": _("The seats of %(council)s are apportioned again at once.")
                % {"council": council.name},
                "button": _("Yes, unlink %(body)s") % {"body": link.body.name},
                "with_reason": False,
            },
        )
    try:
        link = services.federation_unlink(actor=request.user, link_id=link_id)
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request, _("%(body)s no longer sends delegates here.") % {"body": link.body.name}
        )
    return redirect("body", slug=council.slug)


@post_or_page("body", "slug")
@login_required
def roster_import(request: HttpRequest, slug: str) -> HttpResponse:
    body = lookup_body(slug=slug)
    # Refuse before reading the file: a stranger's upload is not parsed at all.
    require_secretary_or_operator(
        request.user, body, timezone.now(), gettext_noop("import a roster")
    )
    form = RosterUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("body", slug=body.slug)
    upload = form.cleaned_data["file"]
    try:
        if upload.size > ROSTER_MAX_BYTES:
            raise InvalidInput(_("the file is larger than 5 MB; split the roster"))
        lines = read_roster_csv(decode_text(upload.read()), sectors=_sector_names())
        count = services.membership_import(
            actor=request.user,
            body_id=body.pk,
            rows=[
                RosterRow(name=p.name, sector=p.sector, phone=p.phone, line=p.line) for p in lines
            ],
            same_name_ok=form.cleaned_data["same_name_ok"],
        )
    except RosterRefused as refused:
        _roster_problems(request, refused.problems)
    except (InvalidInput, Conflict) as error:
        _roster_problems(request, (error,))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d member was registered.", "%(count)d members were registered.", count
            )
            % {"count": count},
        )
    return redirect("body", slug=body.slug)


#: Problems of a refused roster shown one by one; the lines of any others are listed after them.
ROSTER_PROBLEMS_SHOWN = 50


def _sector_names() -> dict[str, list[str]]:
    """Each sector's code and the names the form shows for it, in the reader's language first,
    then in each other language, so that a file may say "minero/a", "minera" or "miner"."""
    names: dict[str, list[str]] = {code: [str(label)] for code, label in Sector.choices}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Sector.choices:
                names[code].append(str(label))
    return names


def _roster_problems(request: HttpRequest, problems: Sequence[ConsejoError]) -> None:
    """Every problem of a refused roster as a message in the reader's language, with its line."""
    if len(problems) == 1:
        messages.error(
            request,
            _("The roster was not imported: %(error)s") % {"error": user_message(problems[0])},
        )
        return
    messages.error(
        request,
        ngettext(
            "The roster was not imported: %(n)d problem. Correct it and upload the file again.",
            "The roster was not imported: %(n)d problems. Correct them and upload the file again.",
            len(problems),
        )
        % {"n": len(problems)},
    )
    for problem in problems[:ROSTER_PROBLEMS_SHOWN]:
        messages.error(request, user_message(problem))
    rest = problems[ROSTER_PROBLEMS_SHOWN:]
    lines = [p.params["line"] for p in rest if "line" in p.params]
    if rest and len(lines) == len(rest):
        messages.error(request, _("Also wrong: lines %(lines)s.") % {"lines": _line_ranges(lines)})
    elif rest:
        messages.error(request, _("And %(n)d more problems.") % {"n": len(rest)})


def _line_ranges(lines: Iterable[object]) -> str:
    """Line numbers as ranges: 51, 53-60, 72."""
    numbers = sorted({int(str(n)) for n in lines})
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(ranges)


@require_http_methods(["GET", "POST"])
@login_required
def membership_end(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    body = lookup_body(slug=slug)
    membership = lookup_membership(body=body, membership_id=membership_id)
    name = membership.member.name
    if (refusal := membership_end_refusal(membership=membership, at=timezone.now())) is not None:
        # Said before the confirmation, not after it: the service would refuse it anyway.
        messages.error(request, user_message(refusal))
        return redirect("body", slug=body.slug)
    if request.POST.get("confirm") != "yes":
        # One tap on a phone must not end a membership: asked once more, naming the person.
        require_secretary_or_operator(
            request.user, body, timezone.now(), gettext_noop("end a membership")
        )
        return render(
            request,
            "bodies/confirm.html",
            {
                "body": body,
                "question": _("End the membership of %(name)s in %(body)s?")
                % {"name": name, "body": body.name},
                "consequence": _(
                    "They are no longer a member from this moment: they cannot vote here, and "
                    "the seats are apportioned again. The ledger keeps the record."
                ),
                "button": _("Yes, end the membership of %(name)s") % {"name": name},
                "with_reason": True,
            },
        )
    try:
        services.membership_end(
            actor=request.user,
            membership_id=membership_id,
            reason=request.POST.get("reason", ""),
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, user_message(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member of %(body)s.") % {"name": name, "body": body.name},
        )
    return redirect("body", slug=body.slug)
