"""Recorded votes of a body on a proposal: when it is carried, when it is lost."""

from __future__ import annotations

from enum import StrEnum

from consejo.core.errors import InvalidInput


class Decision(StrEnum):
    CARRIED = "carried"
    LOST = "lost"
    OPEN = "open"  # not decided yet: more votes may still carry it or lose it


def majority_of_members(*, yes: int, no: int, abstain: int, members: int) -> Decision:
    """Whether a proposal is carried by a majority of the body's whole membership.

    Rule: carried when the yes votes are more than half of the members (not of those voting: a
    committee of seven cannot approve an allocation with two votes of three present); lost as soon
    as that can no longer happen, i.e. when the no votes and abstentions leave at most half of the
    members who could still say yes. This is the basis Robert's Rules of Order (12th ed., §44, on
    the bases for determining a voting result) calls "a majority of the entire membership", the
    usual rule for decisions that commit a body's resources.
    """
    if min(yes, no, abstain) < 0 or members < 1:
        raise InvalidInput("votes are counted from 0 and a body has at least one member")
    if yes + no + abstain > members:
        raise InvalidInput("more votes than members")
    if 2 * yes > members:
        return Decision.CARRIED
    if 2 * (members - no - abstain) <= members:
        return Decision.LOST
    return Decision.OPEN
