"""The result of a count: who was elected, in which order, and a round-by-round record.

Shared by the counting rules; ``Result.to_json`` is the JSON that ``consejo count`` prints
(DESIGN.md, "Command line"). Vote figures are decimal strings (5 places for Scottish STV), never
floats, so that a report can be checked digit for digit against a published count.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Round:
    """One round of a count: the votes at its end and what was done in it.

    ``action`` is ``"elected"`` (candidates elected at this point: reached the quota, or filled the
    last vacancies), ``"surplus"`` (a surplus transferred) or ``"excluded"`` (a candidate excluded
    and their papers transferred). ``candidates`` names who was elected, whose surplus was
    transferred or who was excluded. ``exhausted`` is the running total of non-transferable votes.
    ``note`` says how any tie was broken (and anything else a reader needs to check the round).
    """

    number: int
    votes: dict[str, str]
    exhausted: str
    action: str
    candidates: tuple[str, ...]
    transfer_value: str | None
    note: str

    def to_json(self) -> dict[str, object]:
        """The round as plain JSON values."""
        return {
            "number": self.number,
            "action": self.action,
            "candidates": list(self.candidates),
            "votes": dict(self.votes),
            "exhausted": self.exhausted,
            "transfer_value": self.transfer_value,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Result:
    """A finished count: the elected candidates in order of election and every round."""

    method: str
    seats: int
    valid_ballots: int
    quota: str
    elected: tuple[str, ...]
    rounds: tuple[Round, ...]
    tie_broken_by_lot: bool
    #: Every standing candidate in order of merit, where the method itself orders them all
    #: (Schulze's ranking); () where it does not.
    ranking: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The result as ``consejo count`` prints it (DESIGN.md)."""
        extra: dict[str, object] = {"ranking": list(self.ranking)} if self.ranking else {}
        return {
            "method": self.method,
            "seats": self.seats,
            "elected": list(self.elected),
            "rounds": [round_.to_json() for round_ in self.rounds],
            "valid_ballots": self.valid_ballots,
            "quota": self.quota,
            "tie_broken_by_lot": self.tie_broken_by_lot,
            **extra,
        }


def join_notes(*parts: str) -> str:
    """A round's note from its parts, the empty ones left out, joined by "; "."""
    return "; ".join(part for part in parts if part)
