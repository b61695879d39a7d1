"""Who acts for a body, and the guard that keeps a body from being left without anyone who can.

Offices are mandates (consejo.core.mandates): a body elects its secretary, chair, treasurer, a
committee its coordinator, each with substitutes, recallable, from a start to an end. A body
acts on the web through the holders of its *acting* offices at that instant. The rules here are
pure: the services read the open office mandates inside their transaction and ask.
"""

from __future__ import annotations

from consejo.core.errors import Conflict, gettext_noop

SECRETARY = "secretary"
COORDINATOR = "coordinator"

#: The offices whose holder acts for the body on the web: registers its members, calls its
#: elections, enters its paper results. A chair presides and a treasurer keeps accounts; neither
#: keeps the roster. Source: issue 11 ("every authority check that reads the secretary
#: membership today reads the open office mandates at the instant").
ACTING_OFFICES = frozenset({SECRETARY, COORDINATOR})


def leaves_body_headless(
    *, leaving_holds_office: bool, other_holders: int, substitutes: int
) -> bool:
    """Whether a member's leaving the body leaves it with nobody who can act for it on the web.

    Rule: a body must never be left without anyone who can act for it; when the holder of its
    acting office leaves, the office's first substitute takes it (the vacancy rule,
    ``core.mandates.seating``). So a leaving is held back only when it would empty the last
    acting office and no substitute waits: the body first elects (or an operator appoints
    provisionally) another officer. Source: the hardening review of issue 8 (one tap on "Dar de
    baja" locked Senkata's assembly out for good); issue 11 ("an office is never left empty").
    """
    return leaving_holds_office and other_holders == 0 and substitutes == 0


def check_membership_may_end(
    *, leaving_holds_office: bool, other_holders: int, substitutes: int
) -> None:
    """Raise :class:`Conflict` if :func:`leaves_body_headless` says so, with what to do instead."""
    if leaves_body_headless(
        leaving_holds_office=leaving_holds_office,
        other_holders=other_holders,
        substitutes=substitutes,
    ):
        raise Conflict.of(
            gettext_noop(
                "this is the body's only secretary and no substitute waits: the body must elect "
                "another secretary (or an operator appoint one provisionally) before this "
                "membership ends, or nobody could act for the body"
            )
        )
