"""The mix: the box's ballots re-encrypted and put in a random order.

Rule (Chaum 1981, "Untraceable electronic mail, return addresses, and digital pseudonyms";
Sako and Kilian 1995 for re-encryption mixes): every ciphertext gets fresh randomness, so no
output can be matched to an input by its bytes, and the order is a uniformly random permutation
drawn from the operating system's generator. Neither the permutation nor the randomness is
kept. This mix proves nothing yet: a server that cheats here can swap ballots (docs/elections.md);
a verifiable shuffle (Terelius and Wikström 2010) will prove it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from consejo.core.sealed import elgamal
from consejo.core.sealed.elgamal import Ciphertext
from consejo.core.sealed.group import Point


def shuffle(key: Point, ballots: Sequence[Sequence[Ciphertext]]) -> list[list[Ciphertext]]:
    """The ballots re-encrypted under ``key``, in a fresh random order."""
    out = [[elgamal.reencrypt(key, c) for c in ballot] for ballot in ballots]
    secrets.SystemRandom().shuffle(out)
    return out
