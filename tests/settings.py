"""Test settings: consejo's own, over plain HTTP, on SQLite or (second pass) PostgreSQL."""

import os
import tempfile

os.environ.setdefault("CONSEJO_HTTPS", "false")
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-not-for-any-real-installation-0123456789"
)
os.environ.setdefault("CONSEJO_VAR_DIR", tempfile.mkdtemp(prefix="consejo-test-var-"))

import dj_database_url

from consejo.settings import *  # noqa: F403
from consejo.settings import DATABASES

POSTGRES = os.environ.get("CONSEJO_TEST_DATABASE") == "postgres"
POSTGRES_URL = os.environ.get(
    "CONSEJO_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/consejo"
)

if POSTGRES:
    DATABASES["default"] = dj_database_url.parse(POSTGRES_URL)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"] = dj_database_url.parse("sqlite:///:memory:")
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# The production cache lives in the database; the suite clears its cache before every test, also
# in tests that have no database, so it keeps one in memory.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Hashing passwords slowly is a production virtue and a test-suite vice.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
