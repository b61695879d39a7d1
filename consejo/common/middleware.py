"""Errors shown the one way each interface promises: a page with a message, or the API's JSON
shape; never a traceback, whatever reaches the server."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consejo.common.errors import error_body, error_json, http_status, user_message
from consejo.core.errors import ConsejoError, InvalidInput

_API = "/api/"
_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}
_KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")


class SecurityHeadersMiddleware:
    """The Content-Security-Policy and the Permissions-Policy on every response, static files and
    error pages included (settings ``CONTENT_SECURITY_POLICY`` and ``PERMISSIONS_POLICY``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response


class HeadMiddleware:
    """A HEAD request gets the headers a GET would, Content-Length included, and no body: the
    servers drop a body anyway, and gunicorn logs a warning each time an uptime monitor asks."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method == "HEAD" and not response.streaming and response.content:
            length = response.get("Content-Length") or str(len(response.content))
            response.content = b""
            response["Content-Length"] = length
        return response


class ConsejoErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query:
            # A NUL byte is in no name or address; PostgreSQL cannot even compare it.
            return self._error(request, InvalidInput(_("the address holds a NUL character")))
        response = self.get_response(request)
        if (
            request.path.startswith(_API)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            # Django's own 404, 405 and 500 answers are HTML: give the API's one shape instead.
            status = response.status_code
            code = _CODES.get(status, "error")
            message = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
            answer = JsonResponse(error_json(code, message), status=status)
            # What the answer says besides its body stays: a 405 must name the methods the
            # address allows (RFC 9110 §15.5.6), a 401 how to authenticate.
            for header in _KEPT_HEADERS:
                if header in response:
                    answer[header] = response[header]
            return answer
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ConsejoError):
            return None
        return self._error(request, exception)

    def _error(self, request: HttpRequest, error: ConsejoError) -> HttpResponse:
        status = http_status(error)
        if request.path.startswith(_API):
            return JsonResponse(error_body(error), status=status)
        return render(request, "error.html", {"error": user_message(error)}, status=status)
