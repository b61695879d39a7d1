"""The ledger pages: its head, its entries page by page, one entry, and a verification anyone
can run."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from consejo.bodies.authority import may_see_rosters
from consejo.core.errors import NotFound
from consejo.ledger.selectors import (
    kind_label,
    ledger_entry_get,
    ledger_entry_page,
    ledger_head_get,
    ledger_verify_for,
    verdict_reason,
)


@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    seq, head = ledger_head_get()
    verdict = ledger_verify_for(request.user) if request.GET.get("verify") else None
    kind = request.GET.get("kind", "")[:64]
    page = ledger_entry_page(kind=kind or None, number=request.GET.get("page", 1))
    return render(
        request,
        "ledger/ledger.html",
        {
            "seq": seq,
            "head": head,
            "verdict": verdict,
            "reason": verdict_reason(verdict) if verdict and not verdict.ok else "",
            "page": page,
            "rows": [(e, kind_label(e.kind)) for e in page.object_list],
            "kind": kind,
            "kind_label": kind_label(kind) if kind else "",
        },
    )


@require_GET
def ledger_entry(request: HttpRequest, seq: int) -> HttpResponse:
    entry = ledger_entry_get(seq)
    if entry is None:
        raise NotFound(_("The ledger has no entry %(seq)d.") % {"seq": seq})
    # Payloads say who belongs where: shown to those who may see rosters, as in the API.
    payload = None
    if may_see_rosters(request.user, timezone.now()):
        payload = json.dumps(json.loads(entry.payload), indent=1, ensure_ascii=False)
    head_seq, _head = ledger_head_get()
    return render(
        request,
        "ledger/entry.html",
        {
            "e": entry,
            "label": kind_label(entry.kind),
            "payload": payload,
            "newer": entry.seq + 1 if entry.seq < head_seq else None,
        },
    )
