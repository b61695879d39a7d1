"""One hierarchy of errors for the whole of consejo.

Each interface maps :class:`ConsejoError` once: a message on the page, one JSON error shape in the
API, a line on stderr with exit status 2 in the command line. Anything else that escapes is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self


def gettext_noop(text: str) -> str:
    """Mark ``text`` as a message to translate without translating it (GNU gettext's idiom).

    The core has no catalog: ``makemessages`` finds the marked texts here, and the interfaces
    translate an error's :attr:`ConsejoError.template` when they show it.
    """
    return text


class Term(str):
    """A word or phrase put into a message (``what`` in "%(what)s is not hexadecimal") that is
    itself a text to translate: :func:`consejo.common.errors.user_message` translates it with
    the message."""


def term(text: str) -> Term:
    """``text`` as a :class:`Term`: write ``term(gettext_noop("…"))``, so that makemessages
    finds the text."""
    return Term(text)


class ConsejoError(Exception):
    """Base of every error consejo raises on purpose; ``str(error)`` is shown to the user.

    An error made with :meth:`of` also keeps its message's ``template`` and ``params``, so that a
    page can show it in the reader's language (consejo.common.errors.user_message).
    """

    #: A short machine-readable code for the API's error shape.
    code = "error"
    template: str | None = None
    params: Mapping[str, object] = {}

    @classmethod
    def of(cls, template: str, **params: object) -> Self:
        """The error whose message is ``template % params`` (a text marked with gettext_noop)."""
        error = cls(template % params if params else template)
        error.template, error.params = template, params
        return error


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


class RateLimited(ConsejoError):
    """Too many attempts of one action by one person in a window: wait and try again."""

    code = "rate_limited"


class LedgerBroken(ConsejoError):
    """The ledger's hash chain does not verify."""

    code = "ledger_broken"
