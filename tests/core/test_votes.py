"""The rule of a recorded vote (consejo.core.votes.majority_of_members): worked cases and
Hypothesis properties.

The rule (Robert's Rules of Order, 12th ed., §44: "a majority of the entire membership"): carried
when the yes votes are more than half of the members; lost as soon as the members who have not
said no or abstained are at most half of the body (yes can no longer exceed half); open otherwise.
The oracle below enumerates the votes still to come instead of using that arithmetic.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, strategies as st

from consejo.core.errors import InvalidInput
from consejo.core.votes import Decision, majority_of_members

CARRIED, LOST, OPEN = Decision.CARRIED, Decision.LOST, Decision.OPEN


def decide(yes: int, no: int, abstain: int, members: int) -> Decision:
    return majority_of_members(yes=yes, no=no, abstain=abstain, members=members)


@st.composite
def tallies(draw: st.DrawFn, max_members: int = 60) -> tuple[int, int, int, int]:
    """(yes, no, abstain, members) with at most ``members`` votes cast."""
    members = draw(st.integers(1, max_members))
    yes = draw(st.integers(0, members))
    no = draw(st.integers(0, members - yes))
    abstain = draw(st.integers(0, members - yes - no))
    return yes, no, abstain, members


def oracle(yes: int, no: int, abstain: int, members: int) -> Decision:
    """By enumeration: which final outcomes can the remaining members still produce?"""
    remaining = members - yes - no - abstain
    outcomes = {2 * (yes + more) > members for more in range(remaining + 1)}
    if outcomes == {True}:
        return CARRIED
    if outcomes == {False}:
        return LOST
    return OPEN


# --- worked cases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "members", "expected"),
    [
        # A committee of three: two yes carry it, two no (or abstentions) lose it.
        (0, 0, 0, 3, OPEN),
        (1, 0, 0, 3, OPEN),
        (2, 0, 0, 3, CARRIED),
        (2, 1, 0, 3, CARRIED),
        (1, 1, 0, 3, OPEN),
        (0, 2, 0, 3, LOST),
        (1, 2, 0, 3, LOST),
        (1, 0, 2, 3, LOST),  # abstentions count against carrying
        (0, 1, 1, 3, LOST),
        # Seven members: two yes of three present carry nothing.
        (2, 1, 0, 7, OPEN),
        (4, 0, 0, 7, CARRIED),
        (3, 4, 0, 7, LOST),
        (3, 3, 0, 7, OPEN),
        (3, 0, 3, 7, OPEN),
        # An even body: exactly half is not a majority, and half against loses it.
        (2, 0, 0, 4, OPEN),
        (3, 0, 0, 4, CARRIED),
        (2, 2, 0, 4, LOST),
        (2, 1, 1, 4, LOST),
        (1, 1, 0, 4, OPEN),
        # A body of one decides alone; of two, both must agree.
        (1, 0, 0, 1, CARRIED),
        (0, 1, 0, 1, LOST),
        (0, 0, 1, 1, LOST),
        (0, 0, 0, 1, OPEN),
        (1, 0, 0, 2, OPEN),
        (2, 0, 0, 2, CARRIED),
        (1, 1, 0, 2, LOST),
        (0, 0, 0, 2, OPEN),
    ],
)
def test_worked_cases(yes: int, no: int, abstain: int, members: int, expected: Decision) -> None:
    assert decide(yes, no, abstain, members) is expected


def test_every_small_tally_agrees_with_the_oracle() -> None:
    for members in range(1, 13):
        for yes, no, abstain in itertools.product(range(members + 1), repeat=3):
            if yes + no + abstain <= members:
                assert decide(yes, no, abstain, members) is oracle(yes, no, abstain, members), (
                    yes,
                    no,
                    abstain,
                    members,
                )


@pytest.mark.parametrize(
    ("yes", "no", "abstain", "members", "message"),
    [
        (-1, 0, 0, 3, "counted from 0"),
        (0, -1, 0, 3, "counted from 0"),
        (0, 0, -1, 3, "counted from 0"),
        (0, 0, 0, 0, "at least one member"),
        (0, 0, 0, -3, "at least one member"),
        (2, 2, 0, 3, "more votes than members"),
        (4, 0, 0, 3, "more votes than members"),
        (0, 2, 2, 3, "more votes than members"),
        (1, 0, 0, 0, "at least one member"),
    ],
)
def test_impossible_tallies_are_refused(
    yes: int, no: int, abstain: int, members: int, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        decide(yes, no, abstain, members)


# --- properties -------------------------------------------------------------------------------


@given(tallies(max_members=500))
def test_the_decision_follows_the_rule(tally: tuple[int, int, int, int]) -> None:
    yes, no, abstain, members = tally
    decision = decide(yes, no, abstain, members)
    assert (decision is CARRIED) == (yes > members / 2)
    if decision is not CARRIED:
        assert (decision is LOST) == (members - no - abstain <= members / 2)


@given(tallies())
def test_the_decision_agrees_with_enumerating_the_votes_still_to_come(
    tally: tuple[int, int, int, int],
) -> None:
    assert decide(*tally) is oracle(*tally)


@given(tallies())
def test_a_decided_vote_stays_decided_whatever_the_others_vote(
    tally: tuple[int, int, int, int],
) -> None:
    yes, no, abstain, members = tally
    decision = decide(yes, no, abstain, members)
    remaining = members - yes - no - abstain
    if decision is OPEN:
        # Open means both outcomes are still reachable.
        assert decide(yes + remaining, no, abstain, members) is CARRIED
        assert decide(yes, no + remaining, abstain, members) is LOST
        return
    for more_yes in range(remaining + 1):
        for more_no in range(remaining - more_yes + 1):
            more_abstain = remaining - more_yes - more_no
            final = decide(yes + more_yes, no + more_no, abstain + more_abstain, members)
            assert final is decision


@given(tallies(), st.sampled_from(["yes", "no", "abstain"]))
def test_one_more_vote_moves_the_decision_only_its_own_way(
    tally: tuple[int, int, int, int], choice: str
) -> None:
    yes, no, abstain, members = tally
    assume(yes + no + abstain < members)
    before = decide(yes, no, abstain, members)
    after = decide(
        yes + (choice == "yes"), no + (choice == "no"), abstain + (choice == "abstain"), members
    )
    if before is not OPEN:
        assert after is before
    elif choice == "yes":
        assert after in (OPEN, CARRIED)  # a yes never loses a proposal
    else:
        assert after in (OPEN, LOST)  # a no or an abstention never carries one


@given(tallies())
def test_a_no_and_an_abstention_weigh_the_same(tally: tuple[int, int, int, int]) -> None:
    yes, no, abstain, members = tally
    assert decide(yes, no, abstain, members) is decide(yes, no + abstain, 0, members)
    assert decide(yes, no, abstain, members) is decide(yes, 0, no + abstain, members)


@given(tallies())
def test_a_larger_body_never_carries_what_a_smaller_one_did_not(
    tally: tuple[int, int, int, int],
) -> None:
    yes, no, abstain, members = tally
    # One more member who has not voted: the same votes carry no more, and lose no more.
    before = decide(yes, no, abstain, members)
    after = decide(yes, no, abstain, members + 1)
    if before is not CARRIED:
        assert after is not CARRIED
    if before is not LOST:
        assert after is not LOST


@given(tallies())
def test_the_vote_of_everyone_is_always_decisive(tally: tuple[int, int, int, int]) -> None:
    yes, no, abstain, members = tally
    remaining = members - yes - no - abstain
    assert decide(yes, no, abstain + remaining, members) is not OPEN
    assert decide(yes, no + remaining, abstain, members) is not OPEN


@given(st.integers(min_value=1, max_value=10_000))
def test_the_votes_needed_are_the_fewest_yes_that_carry(members: int) -> None:
    from consejo.core.votes import votes_needed

    needed = votes_needed(members)
    assert majority_of_members(yes=needed, no=0, abstain=0, members=members) is Decision.CARRIED
    assert (
        majority_of_members(yes=needed - 1, no=0, abstain=0, members=members)
        is not Decision.CARRIED
    )


@given(
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["yes", "no", "abstain"]))),
    st.sets(st.integers(0, 20)),
)
def test_only_the_votes_of_current_members_count(
    votes: list[tuple[int, str]], members: set[int]
) -> None:
    from consejo.core.votes import members_tally

    tally = members_tally(votes, members)
    for choice in ("yes", "no", "abstain"):
        expected = sum(1 for m, c in votes if c == choice and m in members)
        assert getattr(tally, choice) == expected


@given(st.booleans(), st.booleans(), st.booleans())
def test_a_vote_is_refused_for_the_first_reason_that_applies(
    entitled: bool, open_: bool, has_voted: bool
) -> None:
    from consejo.core.votes import Refusal, vote_refusal

    refusal = vote_refusal(entitled=entitled, open_=open_, has_voted=has_voted)
    if not entitled:
        assert refusal is Refusal.NOT_ENTITLED
    elif not open_:
        assert refusal is Refusal.CLOSED
    elif has_voted:
        assert refusal is Refusal.ALREADY_VOTED
    else:
        assert refusal is None
