"""Login with a rate limit: a few failed attempts per person and per address, then a pause."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consejo.common import ratelimit

LOGIN_LIMIT = 10  # failed attempts per window and login name
# Per address the limit is higher: many people share one address (a union office, a phone
# carrier's NAT, the proxy in front of consejo), and one guesser must not lock them all out.
ADDRESS_LIMIT = 100
LOGIN_WINDOW = 15 * 60


def _client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


class LoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", "")).strip().lower()[:150]
        idents = [("login-user", username), ("login-address", _client_address(request))]
        limits = {"login-user": LOGIN_LIMIT, "login-address": ADDRESS_LIMIT}
        if any(ratelimit.is_limited(s, i, limit=limits[s]) for s, i in idents):
            ratelimit.security_log.warning(
                "denied: login rate limit for %r from %s", username, _client_address(request)
            )
            message = _("Too many failed attempts. Wait a quarter of an hour and try again.")
            return render(
                request,
                "registration/login.html",
                {"form": self.get_form_class()(request), "limited": message},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            for scope, ident in idents:
                ratelimit.reset(scope, ident)
        else:
            for scope, ident in idents:
                ratelimit.hit(scope, ident, window_seconds=LOGIN_WINDOW)
            ratelimit.security_log.info("failed login for %r", username)
        return response
