"""The rules of an election, apart from the count: its phases, valid ballots, substitutes.

Pure functions over plain values, shared by the web pages, the API and the services, so that a
ballot refused on a phone is refused for the same reason through the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from consejo.core.counting.report import Result
from consejo.core.errors import InvalidInput, gettext_noop


class Phase(StrEnum):
    """Where an election stands at an instant."""

    NOMINATIONS = "nominations"  # candidates are nominated and accept; no ballots yet
    VOTING = "voting"  # ballots are cast (online modes)
    CLOSED = "closed"  # voting over, not yet counted
    COUNTED = "counted"  # the result is final and the mandates exist


def phase(*, opens_at: datetime, closes_at: datetime, counted: bool, at: datetime) -> Phase:
    """The phase of an election at ``at``.

    Rule: nominations until voting opens; voting from ``opens_at`` (inclusive) to ``closes_at``
    (exclusive), the usual half-open interval of a polling period; closed after that until the
    count; counted once the result is recorded, whatever the clock says.
    """
    if counted:
        return Phase.COUNTED
    if at < opens_at:
        return Phase.NOMINATIONS
    if at < closes_at:
        return Phase.VOTING
    return Phase.CLOSED


class Refusal(StrEnum):
    """Why an action on an election is refused; the services say it in the user's words."""

    NOT_ENTITLED = "not_entitled"  # not a member of the electing body (nor its secretary)
    ON_PAPER = "on_paper"  # counted on paper: there is no online ballot
    NOT_VOTING = "not_voting"  # voting is not open at this instant
    ALREADY_VOTED = "already_voted"
    TALLY_ENTERED = "tally_entered"  # paper: the ballots are entered, nominations are over
    VOTING_OPENED = "voting_opened"  # online: nominations closed when voting opened


def nomination_refusal(*, paper: bool, phase: Phase, tally_entered: bool) -> Refusal | None:
    """Why nominations (and accepting or declining one) are closed, or None while they are open.

    Rule: online, nominations run until voting opens; an assembly voting on paper names its
    candidates on the day, until its ballots are entered or counted. Callers: the services
    ``candidate_nominate`` and ``candidate_decide`` (consejo.elections.services), the page's
    ``may_nominate``, ``can_accept`` and ``can_withdraw`` (consejo.elections.selectors) and the
    API, which reads them.
    """
    if paper:
        return Refusal.TALLY_ENTERED if phase is Phase.COUNTED or tally_entered else None
    return None if phase is Phase.NOMINATIONS else Refusal.VOTING_OPENED


def may_nominate(*, entitled: bool, paper: bool, phase: Phase, tally_entered: bool) -> bool:
    """Whether one may nominate now: a member of the electing body (or its secretary, or an
    operator: ``entitled``) while nominations are open (:func:`nomination_refusal`)."""
    refusal = nomination_refusal(paper=paper, phase=phase, tally_entered=tally_entered)
    return entitled and refusal is None


def ballot_refusal(*, entitled: bool, paper: bool, phase: Phase, has_voted: bool) -> Refusal | None:
    """Why a ballot would be refused now, or None if it would be accepted (its choices apart:
    :func:`check_choices`).

    Rule: only a member of the electing body at this instant votes (``entitled``); there is no
    online ballot in an election counted on paper; ballots are received only while voting is
    open (:func:`phase`); one ballot per member (the database keeps it under concurrent requests
    too). Callers: ``ballot_cast`` (consejo.elections.services), the page's ``may_vote``
    (consejo.elections.selectors.election_state) and the API's election detail.
    """
    if not entitled:
        return Refusal.NOT_ENTITLED
    if paper:
        return Refusal.ON_PAPER
    if phase is not Phase.VOTING:
        return Refusal.NOT_VOTING
    if has_voted:
        return Refusal.ALREADY_VOTED
    return None


def check_choices(
    choices: Sequence[int], *, standing: Sequence[int], ranked: bool, max_marks: int | None
) -> tuple[int, ...]:
    """Check a ballot and return its choices in the voter's order.

    Rule: a ballot names only standing candidates, each at most once, and at least one (a blank
    ballot is cast by not voting; an assembly that counts blank ballots enters them on paper). A
    ranked ballot may stop at any preference (partial rankings are valid in every STV rule here,
    as in the Scottish order of 2007). A marked ballot (block vote) carries at most ``max_marks``
    marks: one per seat, as in the multi-member wards of English local elections.
    """
    allowed = set(standing)
    out = tuple(choices)
    if not out:
        raise InvalidInput.of(gettext_noop("the ballot is empty: choose at least one candidate"))
    if len(set(out)) != len(out):
        raise InvalidInput.of(gettext_noop("the ballot names a candidate twice"))
    if any(choice not in allowed for choice in out):
        raise InvalidInput.of(gettext_noop("the ballot names someone who is not a candidate"))
    if not ranked and max_marks is not None and len(out) > max_marks:
        raise InvalidInput.of(
            gettext_noop("the ballot marks %(n)d candidates; at most %(most)d may be"),
            n=len(out),
            most=max_marks,
        )
    return out


def ranking_from_numbers(numbers: dict[int, str]) -> tuple[int, ...]:
    """Read a ranked paper-style ballot: candidate → the number written beside it ("1", "2"…).

    Rule: blanks are skipped; the numbers must be whole, start at 1 and follow without gaps or
    repeats (1, 2, 3). On paper a count stops reading a ballot at the first missing or repeated
    preference; on a screen the voter is told at once and corrects it.
    """
    given: dict[int, int] = {}
    for candidate, text in numbers.items():
        text = text.strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()):  # "²" and "٣" are digits to isdigit()
            raise InvalidInput.of(
                gettext_noop("preference “%(text)s” is not a whole number"), text=text
            )
        given[candidate] = int(text)
    order = sorted(given, key=lambda c: given[c])
    if sorted(given.values()) != list(range(1, len(given) + 1)):
        raise InvalidInput.of(gettext_noop("number your choices 1, 2, 3… without gaps or repeats"))
    return tuple(order)


def order_of_merit(result: Result) -> tuple[str, ...]:
    """Every candidate of a count in order of merit: the elected first, then the runners-up.

    Rule: the elected in their order of election; then, where the method ranks every candidate
    (Schulze), its ranking; otherwise the others by their votes in the last round they were in,
    most first, and between equal votes the one who stayed in the count longer. Substitutes
    (*suplentes*) are taken from the head of the runners-up, "who follow in votes", the usual
    rule of union and neighbourhood statutes in Bolivia; a by-election is the alternative.
    """
    elected = list(result.elected)
    if result.ranking:
        return tuple(elected + [name for name in result.ranking if name not in elected])
    last: dict[str, tuple[Decimal, int]] = {}
    out: set[str] = set()
    for round_ in result.rounds:
        # Every round lists every candidate, the excluded with 0 (a round holds the votes after
        # its exclusion): a candidate was last "in" the round before the one excluding them.
        if round_.action == "excluded":
            out.update(round_.candidates)
        for name, votes in round_.votes.items():
            if name in out:
                last.setdefault(name, (Decimal(0), 0))  # excluded before any round recorded them
                continue
            try:
                last[name] = (Decimal(votes), round_.number)
            except InvalidOperation as error:  # a report is made by the rules; never from input
                raise ValueError(f"round {round_.number}: votes {votes!r} of {name}") from error
    others = [name for name in last if name not in elected]
    others.sort(key=lambda name: (-last[name][0], -last[name][1], name))
    return tuple(elected + others)


def lot_seed(ledger_hash: str) -> int:
    """The seed of the lot for ties no rule decides, from the ledger head when the count runs.

    Rule: nobody can know it before the ballots are in (the head hash changes with every ballot
    and every other action), and anyone can recompute it from the published ledger; the same
    idea as drawing lots from a public randomness beacon (RFC 3797, "Publicly Verifiable Nominations
    Committee Random Selection").
    """
    if len(ledger_hash) < 16 or any(ch not in "0123456789abcdef" for ch in ledger_hash):
        raise InvalidInput("a ledger hash is hexadecimal")
    return int(ledger_hash[:16], 16)
