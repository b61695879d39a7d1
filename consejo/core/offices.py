"""Who can act for a body, and the guard that keeps a body from being left without anyone who can.

Until offices are held by mandate (a later issue), a body acts on the web through its secretaries:
the members holding an open ``secretary`` membership. The rules here are pure: the services count
the secretaries inside their transaction and ask.
"""

from __future__ import annotations

from consejo.core.errors import Conflict, gettext_noop

SECRETARY = "secretary"


def leaves_body_headless(*, ending_role: str, open_secretaries: int) -> bool:
    """Whether ending a membership of role ``ending_role`` leaves its body with no secretary.

    Rule: a body must never be left without anyone who can act for it on the web; the last open
    secretary membership cannot end. A secretary who leaves first hands over: the body elects (or,
    until offices are elected, an operator appoints provisionally) another secretary, and then the
    membership ends. Source: the hardening review of issue 8 (one tap on "Dar de baja" locked
    Senkata's assembly out for good).
    """
    return ending_role == SECRETARY and open_secretaries <= 1


def check_membership_may_end(*, ending_role: str, open_secretaries: int) -> None:
    """Raise :class:`Conflict` if :func:`leaves_body_headless` says so, with what to do instead."""
    if leaves_body_headless(ending_role=ending_role, open_secretaries=open_secretaries):
        raise Conflict.of(
            gettext_noop(
                "this is the body's only secretary: another secretary must be appointed before "
                "this membership ends, or nobody could act for the body"
            )
        )
