"""One hierarchy of errors for the whole of consejo.

Each interface maps :class:`ConsejoError` once: a message on the page, one JSON error shape in the
API, a line on stderr with exit status 2 in the command line. Anything else that escapes is a bug.
"""

from __future__ import annotations


class ConsejoError(Exception):
    """Base of every error consejo raises on purpose; ``str(error)`` is shown to the user."""

    #: A short machine-readable code for the API's error shape.
    code = "error"


class InvalidInput(ConsejoError):
    """The input is malformed or breaks a rule (a negative count, an unknown name...)."""

    code = "invalid"


class NotFound(ConsejoError):
    """The thing asked for does not exist (or the actor may not know that it exists)."""

    code = "not_found"


class PermissionDenied(ConsejoError):
    """The actor holds no current mandate or membership that allows the action."""

    code = "permission_denied"


class Conflict(ConsejoError):
    """The action contradicts the current state (a duplicate, a cycle, a closed record)."""

    code = "conflict"


class LedgerBroken(ConsejoError):
    """The ledger's hash chain does not verify."""

    code = "ledger_broken"
