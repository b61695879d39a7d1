"""Turn a ConsejoError raised under a page into that page's message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from consejo.common.errors import error_body, http_status
from consejo.core.errors import ConsejoError


class ConsejoErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConsejoError):
            return None
        status = http_status(exception)
        if request.path.startswith("/api/"):
            return JsonResponse(error_body(exception), status=status)
        return render(request, "error.html", {"error": exception}, status=status)
