"""Pages that belong to no single capability: home, health, the icon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from consejo.bodies.selectors import federation_tree, home_summary
from consejo.common.database import database_status


# HEAD answers like GET (uptime monitors use it); the server sends no body with it.
@require_safe
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
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    database = database_status()
    status = "ok" if database == "ok" else "error"
    return JsonResponse(
        {"status": status, "database": database}, status=200 if status == "ok" else 503
    )


_ICON = Path(__file__).resolve().parent.parent / "static" / "consejo" / "favicon.ico"


@cache
def _icon() -> bytes:
    return _ICON.read_bytes()


@cache_control(max_age=60 * 60 * 24 * 7, public=True)
@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on every site, whatever the page links."""
    return HttpResponse(_icon(), content_type="image/x-icon")
