"""Settings, twelve-factor: what differs between installations comes from the environment.

Secure by default: ``DEBUG`` is off and HTTPS is assumed unless ``CONSEJO_HTTPS=false`` (what
``make run`` sets for the local demo). ``consejo check --deploy`` is clean with the defaults.

Environment:
    DATABASE_URL      default ``sqlite:///<repo>/var/consejo.sqlite3`` (WAL, synchronous=FULL)
    SECRET_KEY        default: generated once into ``var/secret_key``
    CONSEJO_LEDGER_KEY  the key of the ledger's commitments to personal fields (docs/ledger.md),
                      default: generated once into ``var/ledger_key``; keep it with the secret key
    ALLOWED_HOSTS     comma-separated, default ``127.0.0.1,localhost``
    DEBUG             ``true`` only on a developer's machine
    CONSEJO_HTTPS     ``false`` to serve over plain HTTP (local demo); default ``true``
    CONSEJO_BEHIND_PROXY  ``true`` when a proxy in front sets ``X-Forwarded-Proto``; default off
    CONSEJO_VAR_DIR   where the SQLite file and the generated secret live, default ``<repo>/var``
    CONSEJO_PUBLIC_OFFICE_HOLDERS  ``true`` to show delegates' and candidates' names to anyone
    PORT              used by ``make run`` (default 8000)
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CONSEJO_VAR_DIR", BASE_DIR / "var"))


def env_flag(name: str, *, default: bool) -> bool:
    """Read a boolean from the environment; anything but a clear yes or no is an error."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, got {value!r}")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # 50 characters from a 62-letter alphabet: Django's own rule for a strong key.
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
        path.write_text("".join(secrets.choice(alphabet) for _ in range(60)))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_flag("DEBUG", default=False)
HTTPS = env_flag("CONSEJO_HTTPS", default=True)
# Who holds or seeks an office (delegates, officers, candidates) is shown to logged-in members of
# the federation; "true" shows it to the anonymous web too (docs/privacy.md).
CONSEJO_PUBLIC_OFFICE_HOLDERS = env_flag("CONSEJO_PUBLIC_OFFICE_HOLDERS", default=False)
SECRET_KEY = _secret_key()


def _ledger_key() -> bytes:
    if key := os.environ.get("CONSEJO_LEDGER_KEY"):
        return key.encode()
    path = VAR_DIR / "ledger_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip().encode()


# The key of the ledger's commitments to personal fields (consejo.core.commitments): outside the
# database, so that a copy of the database alone cannot look a name up in the ledger.
CONSEJO_LEDGER_KEY = _ledger_key()
ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    # Swagger UI's assets come from ninja's static files, not from a CDN (/api/v1/docs offline).
    "ninja",
    "consejo.common",
    "consejo.ledger",
    "consejo.bodies",
    # The sealed ballot box of every secret vote: below elections (and recall, meetings later).
    "consejo.boxes",
    "consejo.mandates",
    "consejo.elections",
    "consejo.supply",
    # Above every app: the pages and commands of the whole site (docs/architecture.md).
    "consejo.site",
    "consejo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "consejo.common.middleware.SecurityHeadersMiddleware",
    "consejo.common.middleware.HeadMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "consejo.common.middleware.ConsejoErrorMiddleware",
]

ROOT_URLCONF = "consejo.urls"
WSGI_APPLICATION = "consejo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "consejo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "consejo.site.context.viewer",
            ],
            "string_if_invalid": "",
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'consejo.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Pragmas are applied and asserted on every new connection by consejo.common.database; the
    # IMMEDIATE mode takes the write lock at BEGIN, so two writers queue instead of deadlocking.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False

# One cache for every worker and every app server, in the database they already share: no other
# server to run. `consejo migrate` creates its table (consejo.common.apps).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "consejo_cache",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "consejo" / "locale"]
TIME_ZONE = "America/La_Paz"
USE_I18N = True
USE_TZ = True
# Numbers as the reader writes them: 19.280 and 7,5548 in Spanish (consejo/formats/es).
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["consejo.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "consejo" / "static"]
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves from the app folders (below) but warns when the collected root is missing.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
# Hashed, compressed names after `consejo collectstatic`; the files' own names before it
# (consejo.common.staticfiles).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "consejo.common.staticfiles.StaticStorage"},
}
# Also serve straight from the app folders: nothing to collect before `make run`.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent on every response by consejo.common.middleware.SecurityHeadersMiddleware. Scripts and
# styles only from our own files (no inline code, so an injected <script> does not run); images
# also as data: URIs (Swagger UI's icons).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page needs a sensor, the camera or the microphone: a script that got in cannot ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)
# Trust X-Forwarded-Proto only from a proxy we were told about: otherwise any client could claim
# HTTPS with a header and be served over plain HTTP.
BEHIND_PROXY = env_flag("CONSEJO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        # Server errors are logged with their traceback (the user sees a plain page, never it).
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "consejo": {"handlers": ["console"], "level": "INFO"},
        "consejo.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
