"""The notes of a count's rounds in the reader's language.

The counting rules (consejo/core/counting) write each round's note in English, as the CLI and the
API give it, and the count is stored that way. The results page shows it through this table of
the phrasings the rules write; a part none matches is shown as written.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from consejo.common.wording import phrasing, translated

_N = r"[0-9.]+"
_LOT = r"\(random\.Random\(seed=(?P<seed>[0-9]+)\)\) -> (?P<chosen>.+)"

ROUND_NOTES = (
    # Scottish STV (SSI 2007/42, Schedule 1).
    phrasing(r"first preferences \(rule 45\)", gettext_noop("first preferences (rule 45)")),
    phrasing(r"reached the quota \(rule 47\)", gettext_noop("reached the quota (rule 47)")),
    phrasing(
        r"continuing candidates no more than the vacancies left \(rule 52\)",
        gettext_noop("continuing candidates no more than the vacancies left (rule 52)"),
    ),
    phrasing(
        rf"surplus (?P<surplus>{_N}) of (?P<total>{_N}) votes",
        gettext_noop("surplus %(surplus)s of %(total)s votes"),
    ),
    phrasing(
        rf"a paper received at value v passes on at v x (?P<surplus>{_N}) / (?P<total>{_N}) "
        r"\(5 places, remainder ignored\)",
        gettext_noop(
            "a paper received at value v passes on at v x %(surplus)s / %(total)s (5 places, "
            "remainder ignored)"
        ),
    ),
    phrasing(rf"(?P<loss>{_N}) lost to truncation", gettext_noop("%(loss)s lost to truncation")),
    phrasing(
        r"tie for surplus order \(rule 49\) between (?P<names>.+): broken by the votes at "
        r"stage (?P<stage>[0-9]+) -> (?P<chosen>.+)",
        gettext_noop(
            "tie for the order of surpluses (rule 49) between %(names)s: broken by the votes "
            "at stage %(stage)s → %(chosen)s"
        ),
    ),
    phrasing(
        r"tie for exclusion \(rule 51\) between (?P<names>.+): broken by the votes at "
        r"stage (?P<stage>[0-9]+) -> (?P<chosen>.+)",
        gettext_noop(
            "tie for exclusion (rule 51) between %(names)s: broken by the votes at stage "
            "%(stage)s → %(chosen)s"
        ),
    ),
    phrasing(
        r"tie for surplus order \(rule 49\) between (?P<names>.+): equal at every stage, "
        rf"decided by lot among (?P<drawn>.+) {_LOT}",
        gettext_noop(
            "tie for the order of surpluses (rule 49) between %(names)s: equal at every stage, "
            "decided by lot among %(drawn)s (seed %(seed)s) → %(chosen)s"
        ),
    ),
    phrasing(
        r"tie for exclusion \(rule 51\) between (?P<names>.+): equal at every stage, "
        rf"decided by lot among (?P<drawn>.+) {_LOT}",
        gettext_noop(
            "tie for exclusion (rule 51) between %(names)s: equal at every stage, decided by "
            "lot among %(drawn)s (seed %(seed)s) → %(chosen)s"
        ),
    ),
    # Meek STV (Hill, Wichmann & Woodall 1987; NZ Schedule 1A).
    phrasing(r"first preferences", gettext_noop("first preferences")),
    phrasing(r"1 iteration\(s\)", gettext_noop("1 iteration")),
    phrasing(r"(?P<n>[0-9]+) iteration\(s\)", gettext_noop("%(n)s iterations")),
    phrasing(r"reached the quota \(B\.2\.c\)", gettext_noop("reached the quota (B.2.c)")),
    phrasing(
        rf"total surplus (?P<surplus>{_N}) below omega 0\.000001",
        gettext_noop("total surplus %(surplus)s below omega 0.000001"),
    ),
    phrasing(
        rf"total surplus (?P<surplus>{_N}) no longer falling",
        gettext_noop("total surplus %(surplus)s no longer falling"),
    ),
    phrasing(
        r"total surplus at most omega 10\^-10",
        gettext_noop("total surplus at most omega 10^-10"),
    ),
    phrasing(r"total surplus no longer falling", gettext_noop("total surplus no longer falling")),
    phrasing(r"lowest vote defeated \(B\.3\)", gettext_noop("lowest vote defeated (B.3)")),
    phrasing(r"lowest vote defeated", gettext_noop("lowest vote defeated")),
    phrasing(r"sure losers defeated together", gettext_noop("sure losers defeated together")),
    phrasing(
        r"all seats filled: remaining candidates defeated \(C\.2\)",
        gettext_noop("all seats filled: remaining candidates defeated (C.2)"),
    ),
    phrasing(
        r"all seats filled: remaining candidates defeated",
        gettext_noop("all seats filled: remaining candidates defeated"),
    ),
    phrasing(
        r"hopeful candidates no more than the seats left: elected \(C\.1\)",
        gettext_noop("hopeful candidates no more than the seats left: elected (C.1)"),
    ),
    phrasing(
        r"tie for defeat between (?P<names>.+) \(votes within the total surplus\): broken by "
        r"the tie order given with the ballots -> (?P<chosen>.+)",
        gettext_noop(
            "tie for defeat between %(names)s (votes within the total surplus): broken by the "
            "tie order given with the ballots → %(chosen)s"
        ),
    ),
    phrasing(
        r"tie for defeat between (?P<names>.+) \(votes within the total surplus\): broken by "
        r"ballot paper order \(rule T\) -> (?P<chosen>.+)",
        gettext_noop(
            "tie for defeat between %(names)s (votes within the total surplus): broken by the "
            "order on the ballot paper (rule T) → %(chosen)s"
        ),
    ),
    phrasing(rf"quota (?P<quota>{_N})", gettext_noop("quota %(quota)s")),
    phrasing(r"keep factors: (?P<keeps>.+)", gettext_noop("keep factors: %(keeps)s")),
    # Instant-runoff voting.
    phrasing(
        r"(?P<top>[0-9]+) of (?P<counting>[0-9]+) continuing votes, an absolute majority",
        gettext_noop("%(top)s of %(counting)s continuing votes, an absolute majority"),
    ),
    phrasing(r"the last continuing candidate", gettext_noop("the last continuing candidate")),
    phrasing(
        r"no absolute majority of (?P<counting>[0-9]+) continuing votes",
        gettext_noop("no absolute majority of %(counting)s continuing votes"),
    ),
    phrasing(r"fewest votes \((?P<low>[0-9]+)\)", gettext_noop("fewest votes (%(low)s)")),
    phrasing(
        r"each of their ballots passes to its next continuing candidate or is exhausted",
        gettext_noop(
            "each of their ballots passes to its next continuing candidate or is exhausted"
        ),
    ),
    phrasing(
        r"tie for exclusion at (?P<low>[0-9]+) votes between (?P<names>.+): broken by the votes "
        r"at the end of round (?P<round>[0-9]+) -> (?P<chosen>.+)",
        gettext_noop(
            "tie for exclusion at %(low)s votes between %(names)s: broken by the votes at the end "
            "of round %(round)s → %(chosen)s"
        ),
    ),
    phrasing(
        r"tie for exclusion at (?P<low>[0-9]+) votes between (?P<names>.+): equal in every "
        rf"round, decided by lot among (?P<drawn>.+) {_LOT}",
        gettext_noop(
            "tie for exclusion at %(low)s votes between %(names)s: equal in every round, decided "
            "by lot among %(drawn)s (seed %(seed)s) → %(chosen)s"
        ),
    ),
    # Plurality and approval.
    phrasing(
        r"tie at (?P<level>[0-9]+) votes between (?P<names>.+)",
        gettext_noop("tie at %(level)s votes between %(names)s"),
    ),
    phrasing(
        r"lot \(seed (?P<seed>[0-9]+)\) chose (?P<won>.+)",
        gettext_noop("the lot (seed %(seed)s) chose %(won)s"),
    ),
    # Schulze.
    phrasing(
        r"Schulze ranking \(winning votes\): (?P<ranking>.+)",
        gettext_noop("Schulze ranking (winning votes): %(ranking)s"),
    ),
    phrasing(
        rf"(?:ties drawn by lot: )?place (?P<place>[0-9]+): (?P<tied>.+) unbeaten, lot {_LOT}",
        gettext_noop(
            "place %(place)s: %(tied)s unbeaten, drawn by lot (seed %(seed)s) → %(chosen)s"
        ),
    ),
    phrasing(r"pairwise d = (?P<json>.+)", gettext_noop("pairwise preferences d = %(json)s")),
    phrasing(r"strongest paths p = (?P<json>.+)", gettext_noop("strongest paths p = %(json)s")),
)


def round_note(note: str) -> str:
    """A round's note in the active language."""
    return translated(note, ROUND_NOTES)
