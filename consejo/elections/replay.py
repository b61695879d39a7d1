"""What the audit covers of elections, candidates, voters and ballots, and how each of their ledger
kinds rebuilds its rows (consejo.ledger.audit; docs/ledger.md).

A ballot is named by what it is, not by its number (drawn at random, so that the order of rows
says nothing): an open ballot by its election and voter, a paper or counted secret ballot by its
election and choices (one row per distinct ballot, with its count).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consejo.boxes.replay import ballot_sealed, box_opened
from consejo.core.ledger import canonical_json, json_digest
from consejo.core.references import reference
from consejo.ledger.audit import UNKNOWN, Computed, Row, State, Table, register
from consejo.ledger.kinds import Kind

ELECTION = "elections.Election"
CANDIDATE = "elections.Candidate"
VOTER = "elections.Voter"
BALLOT = "elections.Ballot"
_SECRET = "secret"  # noqa: S105 - a ballot mode


def _ballot_key(row: Row) -> str:
    if row["member"] is not None:
        return f"{row['election']}/member/{row['member']}"
    return f"{row['election']}/{canonical_json(row['choices'])}"


def _result_digest(row: Row) -> str | None:
    return None if row["result"] is None else json_digest(row["result"])


TABLES = (
    Table(
        ELECTION,
        fields=(
            "body",
            "council",
            "office",
            "title",
            "method",
            "mode",
            "seats",
            "substitutes",
            "opens_at",
            "closes_at",
            "created_at",
            "created_by",
            "counted_at",
            "seed",
            "ledger_seq",
        ),
        computed={"result": Computed(("result",), _result_digest)},
    ),
    Table(
        CANDIDATE,
        fields=(
            "election",
            "member",
            "nominated_by",
            "nominated_at",
            "accepted_at",
            "withdrawn_at",
        ),
        personal=("statement",),
    ),
    Table(
        VOTER,
        fields=(),
        key=lambda row: f"{row['election']}/{row['member']}",
        reads=("election", "member"),
        not_covered={"id": "a number the database draws; a voter is named by election and member"},
    ),
    Table(
        BALLOT,
        fields=("choices", "weight"),
        key=_ballot_key,
        reads=("election", "member"),
        not_covered={"id": "drawn at random; a ballot is named by its voter or its choices"},
    ),
)


def election_called(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        ELECTION,
        p["election"],
        {
            "body": state.named("bodies.Body", p["body"]),
            "council": state.named("bodies.Body", p["council"]),
            "office": p.get("office", ""),
            "title": p["title"],
            "method": p["method"],
            "mode": p["mode"],
            "seats": p["seats"],
            "substitutes": p["substitutes"],
            "opens_at": p["opens_at"],
            "closes_at": p["closes_at"],
            "created_at": state.at,
            "created_by": p["by"],
            "counted_at": None,
            "seed": "",
            "result": None,
            "ledger_seq": None,
        },
    )


def candidate_nominated(state: State, p: Mapping[str, Any]) -> None:
    state.put(
        CANDIDATE,
        p["candidate"],
        {
            "election": p["election"],
            "member": p["member"],
            "nominated_by": p["nominated_by"],
            "statement": p.get("statement", UNKNOWN),
            "nominated_at": state.at,
            "accepted_at": state.at if p["accepted"] else None,
            "withdrawn_at": None,
        },
    )


def candidate_accepted(state: State, p: Mapping[str, Any]) -> None:
    state.patch(CANDIDATE, p["candidate"], accepted_at=state.at)


def candidate_withdrawn(state: State, p: Mapping[str, Any]) -> None:
    state.patch(CANDIDATE, p["candidate"], withdrawn_at=state.at)


def _put_ballots(state: State, election: int, ballots: list[Any]) -> None:
    grouped: dict[str, tuple[list[int], int]] = {}
    for choices, weight in ballots:
        key = f"{election}/{canonical_json(choices)}"
        grouped[key] = (choices, grouped.get(key, (choices, 0))[1] + weight)
    for key, (choices, weight) in grouped.items():
        state.put(BALLOT, key, {"choices": choices, "weight": weight})


def ballot_cast(state: State, p: Mapping[str, Any]) -> None:
    election = state.row(ELECTION, p["election"])
    if election is None:
        return
    state.put(VOTER, f"{p['election']}/{p['member']}", {})
    if election["mode"] == _SECRET:
        # The box's width is the candidates standing at the first ballot: counted only then.
        ballot_sealed(
            state,
            reference("election", p["election"]),
            lambda: _standing(state, p["election"]),
        )
    elif "choices" in p:
        state.put(
            BALLOT,
            f"{p['election']}/member/{p['member']}",
            {"choices": p["choices"], "weight": 1},
        )


def _standing(state: State, election: int) -> int:
    return sum(
        1
        for c in state.rows(CANDIDATE).values()
        if c["election"] == election and c["accepted_at"] is not None and c["withdrawn_at"] is None
    )


def tally_entered(state: State, p: Mapping[str, Any]) -> None:
    # A tally entered again replaces the last one.
    prefix = f"{p['election']}/"
    for key in [k for k in state.rows(BALLOT) if k.startswith(prefix)]:
        state.delete(BALLOT, key)
    _put_ballots(state, p["election"], p["ballots"])


def election_counted(state: State, p: Mapping[str, Any]) -> None:
    election = state.row(ELECTION, p["election"])
    if election is None:
        return
    state.patch(
        ELECTION,
        p["election"],
        counted_at=state.at,
        seed=p["seed"],
        result=p.get("result_digest", UNKNOWN),
        ledger_seq=state.seq,
    )
    if election["mode"] == _SECRET:
        _put_ballots(state, p["election"], p["ballots"])
        box_opened(state, reference("election", p["election"]))


def register_replay() -> None:
    """Register this app's tables and replayers with the audit (from ``ElectionsConfig.ready``)."""
    register(
        tables=TABLES,
        replayers={
            Kind.ELECTION_CALLED: election_called,
            Kind.CANDIDATE_NOMINATED: candidate_nominated,
            Kind.CANDIDATE_ACCEPTED: candidate_accepted,
            Kind.CANDIDATE_WITHDRAWN: candidate_withdrawn,
            Kind.BALLOT_CAST: ballot_cast,
            Kind.TALLY_ENTERED: tally_entered,
            Kind.ELECTION_COUNTED: election_counted,
        },
    )
