"""API tokens: how programs act for a person. Only a hash of the token is stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True)
    prefix = models.CharField(_("first characters"), max_length=8)
    created_at = models.DateTimeField(_("created"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class RateCounter(models.Model):
    """Attempts of one kind (``scope``) by one party (``key``) in one fixed window.

    One row per (scope, key, window), bumped by a single ``INSERT … ON CONFLICT DO UPDATE SET n =
    n + 1 … RETURNING n`` (consejo.common.ratelimit): atomic on SQLite and PostgreSQL alike, and
    shared by every worker of the installation. ``key`` is a digest: no login name or address is
    stored in the clear. Rows whose window has ended are deleted as new windows begin.
    """

    scope = models.CharField(_("scope"), max_length=32)
    key = models.CharField(_("key digest (SHA-256)"), max_length=64)
    window_start = models.BigIntegerField(_("window start (Unix seconds)"))
    expires = models.BigIntegerField(_("window end (Unix seconds)"), db_index=True)
    n = models.IntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "key", "window_start"], name="one_counter_per_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}… {self.n}"


class LoginCode(models.Model):
    """A one-time code with which a member sets their own password (docs/logins.md).

    Only a keyed digest of the code is stored (HMAC with the installation's secret key): a copy of
    the database does not reveal the codes. A code is used once, and lapses at ``expires_at`` or
    when a newer code is issued for the same login (one open code per login, in the database).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_codes",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(_("code digest (HMAC-SHA-256)"), max_length=64)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("replaced or revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="one_open_login_code_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.issued_at:%Y-%m-%d %H:%M}"
