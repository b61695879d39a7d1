"""Who sees whose name: one policy for every page, API response, export and ledger payload.

People who use consejo may be persecuted: a roster in the wrong hands is a list of people to
arrest. Accountability needs the opposite for those who hold or seek an office: the members must
know who speaks for them. The policy (docs/privacy.md):

* the names of those who hold or seek an office (delegates and substitutes, secretaries and other
  officers, committee members acting as such, candidates) are shown to the logged-in members of
  the federation, and to everyone only where the installation says so (a setting);
* ordinary members' names and phones only to those who may see the body's roster: its own
  members and those of the bodies directly linked to it (who meet them in assemblies);
* the ledger carries ids, never names: a copy given to a witness is not a roster.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Names(StrEnum):
    """Whose names a reader asks to see."""

    OFFICE = "office"  # those who hold or seek an office
    MEMBERS = "members"  # a body's ordinary members (names and phones)


@dataclass(frozen=True, slots=True)
class Reader:
    """What the policy needs to know of whoever reads, at the instant of reading."""

    operator: bool = False
    #: holds a current membership of some body of the federation (an active login)
    in_federation: bool = False
    #: holds a current membership of the body concerned or of a body directly linked to it
    near_body: bool = False


def may_see_names(names: Names, reader: Reader, *, office_public: bool = False) -> bool:
    """Whether ``reader`` may see the names ``names`` (see the module's policy).

    Rule: an operator sees every name. Office holders' and candidates' names are shown to
    members of the federation (and to anyone when ``office_public``): accountability asks that
    constituents know who represents them, and no more than that. Ordinary members' names only
    to those near the body. Sources: DESIGN.md (the rosters of people who may be persecuted);
    the hardening review of issue 8, which found the web showing what the API refused.
    """
    if reader.operator:
        return True
    if names is Names.OFFICE:
        return office_public or reader.in_federation or reader.near_body
    return reader.near_body
