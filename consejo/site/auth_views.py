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

from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login, update_session_auth_hash, views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods

from consejo.bodies import services
from consejo.common import ratelimit
from consejo.common.errors import user_message
from consejo.core.errors import InvalidInput

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


class LoginCodeForm(forms.Form):
    username = forms.CharField(
        label=gettext_lazy("Login name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "username"}),
    )
    code = forms.CharField(
        label=gettext_lazy("One-time code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    password1 = forms.CharField(
        label=gettext_lazy("Your new password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            raise forms.ValidationError(gettext_lazy("The two passwords differ."))
        return data


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Set one's own password with a one-time code from the secretary (docs/logins.md)."""
    form = LoginCodeForm(request.POST or None)
    status, limited = 200, ""
    if request.method == "POST":
        counted, allowed = login_attempt(request, "login-code", login_name(request))
        status = 400
        if not allowed:
            limited = _("Too many failed attempts. Wait a quarter of an hour and try again.")
            status = 429
        elif form.is_valid():
            try:
                user = services.login_code_redeem(
                    username=form.cleaned_data["username"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["password1"],
                )
            except InvalidInput as error:
                form.add_error(None, user_message(error))
            else:
                login_succeeded(counted)
                auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Your password is set. You are logged in."))
                return redirect("home")
    return render(
        request, "registration/login_code.html", {"form": form, "limited": limited}, status=status
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password: Django's form (the old password, then the new one twice), the
    change made by a service (so it enters the ledger), the old-password guesses rate limited."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not ratelimit.allow(
            "password-change",
            str(request.user.pk),
            limit=LOGIN_LIMIT,
            window_seconds=LOGIN_WINDOW,
        ):
            ratelimit.security_log.warning(
                "denied: password change rate limit for %s", request.user
            )
            message = _("Too many failed attempts. Wait a quarter of an hour and try again.")
            return render(
                request,
                self.template_name,
                {"form": self.get_form(), "limited": message},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            user = services.login_password_change(
                actor=self.request.user, password=form.cleaned_data["new_password1"]
            )
        except InvalidInput as error:
            form.add_error(None, user_message(error))
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())
