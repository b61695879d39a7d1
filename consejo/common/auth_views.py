"""Login with a rate limit that strangers can neither bypass nor turn against the real user.

Every attempt is counted before the password is checked, in two counters shared by all workers
(consejo.common.ratelimit): one per (login name, address) and one per address. Never one per name
alone: ten wrong guesses from a stranger's phone must not lock the secretary out of her own
login, typed right from her own. A successful login clears its own (name, address) counter and
takes back only its own attempt from the address's counter, so logging into one's own account
between guesses wins an attacker nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consejo.common import ratelimit

LOGIN_LIMIT = 10  # attempts per window for one login name from one address
# Per address the limit is higher: many people share one address (a union office, a phone
# carrier's NAT, the hall's wifi at an assembly), and one guesser must not lock them all out.
ADDRESS_LIMIT = 100
LOGIN_WINDOW = 15 * 60


def login_attempt(
    request: HttpRequest, scope: str, username: str
) -> tuple[list[ratelimit.Attempt], bool]:
    """Count one attempt by ``username`` from the request's address in ``scope``, per (name,
    address) and per address; returns the attempts (to refund on success) and whether allowed."""
    address = ratelimit.client_address(request)
    counted = [
        ratelimit.attempt(
            scope, f"{username}\n{address}", limit=LOGIN_LIMIT, window_seconds=LOGIN_WINDOW
        ),
        ratelimit.attempt(
            f"{scope}-address", address, limit=ADDRESS_LIMIT, window_seconds=LOGIN_WINDOW
        ),
    ]
    allowed = all(a.allowed for a in counted)
    if not allowed:
        ratelimit.security_log.warning(
            "denied: %s rate limit for %r from %s", scope, username, address
        )
    return counted, allowed


def login_succeeded(counted: list[ratelimit.Attempt]) -> None:
    """After a success: the (name, address) count starts again; the address keeps every failure."""
    pair, address = counted
    pair.reset()
    address.refund()


def login_name(request: HttpRequest) -> str:
    return str(request.POST.get("username", "")).strip().lower()[:150]


class LoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = login_name(request)
        counted, allowed = login_attempt(request, "login", username)
        if not allowed:
            message = _("Too many failed attempts. Wait a quarter of an hour and try again.")
            return render(
                request,
                "registration/login.html",
                {"form": self.get_form_class()(request), "limited": message},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            login_succeeded(counted)
        else:
            ratelimit.security_log.info("failed login for %r", username)
        return response
