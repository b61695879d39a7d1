"""The counting methods by name, as ``consejo count --method`` and the elections app know them.

One table, so that the command line, the web pages and the API offer the same methods under the
same names (DESIGN.md, "Command line").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from consejo.core.counting.ballots import Election
from consejo.core.counting.irv import count_irv
from consejo.core.counting.plurality import count_approval, count_plurality
from consejo.core.counting.report import Result
from consejo.core.counting.schulze import count_schulze
from consejo.core.counting.stv_meek import count_meek_stv
from consejo.core.counting.stv_scottish import count_scottish_stv


@dataclass(frozen=True, slots=True)
class Method:
    """A counting method: its name, its counter and what its ballot asks of the voter.

    ``ranked``: the voter numbers candidates in order of preference (1, 2, 3…); otherwise the
    voter marks candidates: at most ``seats`` of them (the block vote) or any number (approval).
    """

    name: str
    count: Callable[..., Result]
    ranked: bool
    marks_at_most_seats: bool = False


METHODS: dict[str, Method] = {
    "plurality": Method("plurality", count_plurality, ranked=False, marks_at_most_seats=True),
    "approval": Method("approval", count_approval, ranked=False),
    "irv": Method("irv", count_irv, ranked=True),
    "scottish-stv": Method("scottish-stv", count_scottish_stv, ranked=True),
    "meek-stv": Method("meek-stv", count_meek_stv, ranked=True),
    "schulze": Method("schulze", count_schulze, ranked=True),
}


def count(method: str, election: Election, *, seed: int = 0) -> Result:
    """Count ``election`` by the method called ``method`` (a key of :data:`METHODS`)."""
    return METHODS[method].count(election, seed=seed)
