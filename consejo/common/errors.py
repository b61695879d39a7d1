"""The one mapping from ConsejoError to each interface: HTTP status, page, JSON shape."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from consejo.core.errors import (
    Conflict,
    ConsejoError,
    InvalidInput,
    LedgerBroken,
    NotFound,
    PermissionDenied,
    RateLimited,
    Term,
)

_STATUS: list[tuple[type[ConsejoError], int]] = [
    (InvalidInput, 400),
    (PermissionDenied, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (LedgerBroken, 500),
]


def http_status(error: ConsejoError) -> int:
    """The HTTP status for an error (400 for anything not listed: the request was refused)."""
    for kind, status in _STATUS:
        if isinstance(error, kind):
            return status
    return 400


def user_message(error: ConsejoError) -> str:
    """The error's message in the active language: its template translated, when it has one
    (errors the core raises with ``ConsejoError.of``); otherwise as it was raised."""
    if error.template is None:
        return str(error)
    text = gettext(error.template)
    if not error.params:
        return text
    params = {k: gettext(v) if isinstance(v, Term) else v for k, v in error.params.items()}
    return text % params


def error_body(error: ConsejoError) -> dict[str, object]:
    """The API's one error shape for a ConsejoError, in the reader's language."""
    return error_json(error.code, user_message(error))


def error_json(code: str, message: str) -> dict[str, object]:
    """The API's one error shape: ``{"error": {"code": ..., "message": ...}}`` (docs/api.md)."""
    return {"error": {"code": code, "message": message}}


def form_errors(form: Any) -> str:
    """A form's errors as one line for a page's message: "Units counted: …" (the field's label,
    then what is wrong; a form-wide error alone)."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label or "") if field is not None else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)
