"""Pages that belong to no single capability: home, health."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from consejo.bodies.selectors import federation_tree, home_summary
from consejo.common.database import database_status


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    at = timezone.now()
    return render(
        request,
        "home.html",
        {
            "summary": home_summary(at=at),
            "tree": federation_tree(at=at, councils_only=True),
            "at": at,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {"status": status, "database": database}, status=200 if status == "ok" else 503
    )
