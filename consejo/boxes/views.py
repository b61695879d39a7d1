"""Pages of a sealed ballot box: its state and its trustees, the trustee's steps (download the
box's file, bring back a step's file), and the published list of sealed ballots."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consejo.bodies.authority import actor_member, names_visible
from consejo.boxes.access import lookup_box
from consejo.boxes.selectors import box_file, box_status, box_trackers
from consejo.boxes.services import trustee_step
from consejo.common.errors import user_message
from consejo.common.methods import post_or_page
from consejo.core.errors import ConsejoError
from consejo.core.visibility import Names

if TYPE_CHECKING:  # the models only name types here: interfaces never import them
    from consejo.boxes.models import Box

#: The largest step file the page takes (a partial decryption of 200,000 ballots of ten
#: candidates is about 18 MB as base64).
MAX_STEP_BYTES = 64 * 2**20
TRACKERS_PER_PAGE = 400


def _box(reference: str) -> Box:
    return lookup_box(reference=reference)


def _my_index(request: HttpRequest, box: Box) -> int | None:
    me = actor_member(request.user)
    if me is None:
        return None
    row = box_status(box).row_of(me.pk)
    return row.index if row is not None else None


@require_GET
def box_page(request: HttpRequest, reference: str) -> HttpResponse:
    box = _box(reference)
    status = box_status(box)
    me = actor_member(request.user)
    mine = status.row_of(me.pk) if me is not None else None
    names = names_visible(request.user, Names.OFFICE, at=timezone.now())
    return render(
        request,
        "boxes/box.html",
        {
            "box": box,
            "status": status,
            "mine": mine,
            "todo": mine is not None and status.owes(mine),
            "names": names,
            "election_id": _election_id(box),
        },
    )


def _election_id(box: Box) -> int | None:
    kind, _sep, key = box.purpose.partition(":")
    return int(key) if kind == "election" and key.isdigit() else None


@require_GET
def box_download(request: HttpRequest, reference: str) -> HttpResponse:
    box = _box(reference)
    response = JsonResponse(box_file(box, you=_my_index(request, box)))
    response["Content-Disposition"] = f'attachment; filename="box-{box.reference[:8]}.json"'
    return response


@post_or_page("box", "reference")
@login_required
def box_step(request: HttpRequest, reference: str) -> HttpResponse:
    box = _box(reference)
    if _my_index(request, box) is None:  # before reading an upload of megabytes
        messages.error(request, _("Only the box's trustees bring steps here."))
        return redirect("box", reference=box.reference)
    upload = request.FILES.get("file")
    text = str(request.POST.get("text", ""))
    try:
        if upload is not None:
            if upload.size is not None and upload.size > MAX_STEP_BYTES:
                raise ConsejoError(_("the file is larger than 64 MB"))
            raw = upload.read(MAX_STEP_BYTES + 1)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ConsejoError(_("the file is not a step's file (not UTF-8 text)")) from None
        if not text.strip():
            raise ConsejoError(_("choose the step's file, or paste its text"))
        done = trustee_step(actor=request.user, reference=box.reference, step=text)
    except ConsejoError as error:
        messages.error(request, user_message(error))
        return redirect("box", reference=box.reference)
    if done.step == "decrypt" and not done.valid:
        messages.error(
            request,
            _(
                "Your partial decryption was recorded, but its proof does not hold: it will not "
                "be used. Make it again from your card and bring it once more."
            ),
        )
    elif done.keyed:
        messages.success(request, _("Step recorded. The election key is complete."))
    else:
        messages.success(request, _("Step recorded. Thank you."))
    return redirect("box", reference=box.reference)


@require_GET
def trackers(request: HttpRequest, reference: str) -> HttpResponse:
    box = _box(reference)
    listed = box_trackers(box)
    query = "".join(ch for ch in request.GET.get("q", "").lower() if ch in "0123456789abcdef")[:64]
    found = [t for t in listed if t.startswith(query)][:20] if len(query) >= 8 else []
    page = Paginator(listed, TRACKERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "boxes/trackers.html",
        {"box": box, "page": page, "query": query, "found": found, "total": len(listed)},
    )
