"""Recorded votes of a body on a proposal: when it is carried, when it is lost."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from enum import StrEnum
from typing import NamedTuple

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


def votes_needed(members: int) -> int:
    """The yes votes that carry a proposal under :func:`majority_of_members`: more than half of
    the members, ``members // 2 + 1``. Callers: the plan's page (consejo.supply.selectors) and
    the API's plan (consejo.api.supply), which show it beside the tally. A body without members
    needs one vote, which nobody can cast."""
    if members < 0:
        raise InvalidInput("a body has at least no members")
    return members // 2 + 1


class Tally(NamedTuple):
    """The votes on a proposal that count."""

    yes: int
    no: int
    abstain: int


def members_tally(votes: Iterable[tuple[int, str]], members: Collection[int]) -> Tally:
    """The tally of ``votes`` (member id, choice: ``yes``, ``no`` or ``abstain``) that counts at
    an instant: the votes of those who are ``members`` then.

    Rule: the decision counts the members at this instant and the votes of those members; a vote
    cast by someone who has left the body since is no member's vote any more (counting it would
    let the departed carry a proposal, or tally more votes than members). Callers: ``plan_vote``
    (consejo.supply.services), the plan's page (consejo.supply.selectors) and the API's plan.
    """
    counted = {"yes": 0, "no": 0, "abstain": 0}
    for member, choice in votes:
        if member in members:
            if choice not in counted:
                raise InvalidInput(f"not a choice: {choice!r}")
            counted[choice] += 1
    return Tally(**counted)


class Refusal(StrEnum):
    """Why a vote on a proposal is refused; the services say it in the user's words."""

    NOT_ENTITLED = "not_entitled"  # not a member of the body at this instant
    CLOSED = "closed"  # the proposal is no longer open to a vote
    ALREADY_VOTED = "already_voted"


def vote_refusal(*, entitled: bool, open_: bool, has_voted: bool) -> Refusal | None:
    """Why a member's vote on a proposal would be refused now, or None if it would be recorded.

    Rule: only a member of the body at this instant votes; only while the proposal is open; one
    vote per member (the database keeps it under concurrent requests too). Callers: ``plan_vote``
    (consejo.supply.services), the page's ``may_vote`` (consejo.supply.selectors.plan_page).
    """
    if not entitled:
        return Refusal.NOT_ENTITLED
    if not open_:
        return Refusal.CLOSED
    if has_voted:
        return Refusal.ALREADY_VOTED
    return None
