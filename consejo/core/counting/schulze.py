"""The Schulze method: a Condorcet-consistent ranking of all candidates from ranked ballots.

Source: Markus Schulze, "A new monotonic, clone-independent, reversal symmetric, and
Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011),
267-303, section 2, with the strength of a link measured by *winning votes* (as the paper
does throughout):

- ``d[X][Y]`` is the number of voters who strictly prefer X to Y. A ballot ranks the candidates it
  names in its order, above every candidate it does not name; the candidates it does not name are
  tied with each other (so it says nothing about them). Withdrawn candidates are skipped.
- The link X -> Y exists when ``d[X][Y] > d[Y][X]`` and its strength is ``d[X][Y]``. A path's
  strength is its weakest link; ``p[X][Y]`` is the strength of the strongest path from X to Y
  (0 if there is none), computed by the Floyd-Warshall variant that the paper gives.
- X is ranked above Y when ``p[X][Y] > p[Y][X]``. The paper proves this relation transitive, so
  the candidates can be listed in an order that respects it: repeatedly take the candidates whom
  no remaining candidate beats; when there are several, a lot drawn from ``random.Random(seed)``
  picks the next one (the note records the seed and every draw).

For ``seats`` > 1 this module elects the first ``seats`` candidates of that ranking. That is the
Schulze *ranking* cut at ``seats``, not Schulze's proportional method ("Schulze STV"). The single
round's votes are each candidate's number of path wins (candidates Y with ``p[X][Y] > p[Y][X]``);
its note gives the ranking, the draws, and the matrices ``d`` and ``p`` as JSON objects keyed by
candidate name (``d[X][Y]`` is ``matrix[X][Y]``). ``tie_broken_by_lot`` is true when a lot
decided who is elected or their order (draws further down the ranking are only noted).
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence

from consejo.core.counting.ballots import Election
from consejo.core.counting.report import Result, Round

METHOD = "schulze"

#: A square matrix over the standing candidates, in the order of ``standing``.
Matrix = list[list[int]]


def pairwise_preferences(election: Election) -> tuple[list[int], Matrix]:
    """The standing candidates, and d: ``d[i][j]`` voters prefer ``standing[i]`` to ``standing[j]``.

    A ballot prefers each candidate it ranks to every later one and to every one it leaves out.
    """
    standing = [c for c in range(len(election.candidates)) if c not in election.withdrawn]
    where = {c: i for i, c in enumerate(standing)}
    n = len(standing)
    d = [[0] * n for _ in range(n)]
    for ranking, weight in election.ballots:
        ranked = [where[c] for c in ranking if c in where]
        if not ranked or weight <= 0:
            continue
        named = set(ranked)
        unranked = [i for i in range(n) if i not in named]
        for at, i in enumerate(ranked):
            row = d[i]
            for j in ranked[at + 1 :]:
                row[j] += weight
            for j in unranked:
                row[j] += weight
    return standing, d


def strongest_paths(d: Sequence[Sequence[int]]) -> Matrix:
    """``p``: strongest path strengths under winning votes (Schulze 2011, Floyd-Warshall)."""
    n = len(d)
    p = [[d[i][j] if i != j and d[i][j] > d[j][i] else 0 for j in range(n)] for i in range(n)]
    for i in range(n):
        row_i = p[i]
        for j in range(n):
            if j == i:
                continue
            row_j = p[j]
            via = row_j[i]
            if via == 0:
                continue
            for k in range(n):
                if k not in (i, j):
                    through = min(via, row_i[k])
                    if through > row_j[k]:
                        row_j[k] = through
    return p


def count_schulze(election: Election, *, seed: int = 0) -> Result:
    """Rank the candidates by the Schulze method (winning votes) and elect the first ``seats``.

    Rule and source in the module docstring (Schulze, Social Choice and Welfare 36, 2011). Ties in
    the ranking, where no remaining candidate beats several others, are drawn by lot from
    ``random.Random(seed)``; the note records each draw.
    """
    names = election.candidates
    standing, d = pairwise_preferences(election)
    p = strongest_paths(d)
    n = len(standing)
    beats = [[p[i][j] > p[j][i] for j in range(n)] for i in range(n)]
    wins = [sum(row) for row in beats]
    rng = random.Random(seed)  # noqa: S311 - a reproducible lot, not a secret
    order: list[int] = []
    draws: list[str] = []
    lot_at: list[int] = []  # positions in the ranking decided by a lot
    remaining = list(range(n))
    while remaining:
        unbeaten = [i for i in remaining if not any(beats[j][i] for j in remaining)]
        if len(unbeaten) == 1:
            chosen = unbeaten[0]
        else:
            chosen = rng.choice(unbeaten)
            lot_at.append(len(order))
            tied = ", ".join(names[standing[i]] for i in unbeaten)
            draws.append(
                f"place {len(order) + 1}: {tied} unbeaten, lot (random.Random(seed={seed})) -> "
                f"{names[standing[chosen]]}"
            )
        order.append(chosen)
        remaining.remove(chosen)
    seats = min(election.seats, n)
    elected = tuple(names[standing[i]] for i in order[:seats])
    label = [names[c] for c in standing]

    def as_json(matrix: Matrix) -> str:
        table = {label[i]: {label[j]: matrix[i][j] for j in range(n) if j != i} for i in range(n)}
        return json.dumps(table, ensure_ascii=False)

    ranking = " > ".join(label[i] for i in order)
    parts = [f"Schulze ranking (winning votes): {ranking}"]
    if draws:
        parts.append("ties drawn by lot: " + "; ".join(draws))
    parts.append(f"pairwise d = {as_json(d)}")
    parts.append(f"strongest paths p = {as_json(p)}")
    valid = sum(
        w for r, w in election.ballots if w > 0 and any(c not in election.withdrawn for c in r)
    )
    round_ = Round(
        number=1,
        votes={label[i]: str(wins[i]) for i in range(n)},
        exhausted="0",
        action="elected",
        candidates=elected,
        transfer_value=None,
        note="; ".join(parts),
    )
    return Result(
        method=METHOD,
        seats=election.seats,
        valid_ballots=valid,
        quota="",
        elected=elected,
        rounds=(round_,),
        tie_broken_by_lot=any(position < seats for position in lot_at),
        ranking=tuple(label[i] for i in order),
    )
