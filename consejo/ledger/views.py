"""The ledger page: its head, its newest entries, and a verification anyone can run."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from consejo.ledger.selectors import ledger_entry_list, ledger_head_get, ledger_verify_for


@require_GET
def ledger_page(request: HttpRequest) -> HttpResponse:
    seq, head = ledger_head_get()
    verdict = ledger_verify_for(request.user) if request.GET.get("verify") else None
    kind = request.GET.get("kind", "")[:64]
    return render(
        request,
        "ledger/ledger.html",
        {
            "seq": seq,
            "head": head,
            "verdict": verdict,
            "entries": ledger_entry_list(kind=kind or None, limit=50),
            "kind": kind,
        },
    )
