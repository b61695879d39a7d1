"""Keyed commitments: how the ledger records a personal field without publishing it.

A member's name or phone is in the ledger as ``HMAC-SHA-256(key, where ‖ value)``, cut to 128
bits, where ``where`` names the table, the field and the row. The key is kept outside the
database (``CONSEJO_LEDGER_KEY`` or ``var/ledger_key``, like Django's secret key), so:

* the audit, holding the key, recomputes the commitment of what the table holds and compares
  (a changed name is found like any changed number);
* a reader of the ledger, without the key, cannot look a name up by trying candidates (a keyed
  MAC is a PRF: without the key its values are indistinguishable from random, Bellare, Canetti and
  Krawczyk, "Keying hash functions for message authentication", CRYPTO 1996);
* naming the row in the message keeps two equal names in two rows from having equal
  commitments, so the ledger does not even show that two members share a name.
"""

from __future__ import annotations

import hashlib
import hmac

#: Hex digits kept of the HMAC: 128 bits, far beyond any search for a second value.
COMMITMENT_LENGTH = 32


def commitment(key: bytes, table: str, field: str, row: str, value: str) -> str:
    """The commitment to ``value`` held in ``field`` of row ``row`` of ``table``.

    Rule: ``HMAC-SHA-256(key, table ‖ 0x1f ‖ field ‖ 0x1f ‖ row ‖ 0x1f ‖ value)`` in hex, its first
    :data:`COMMITMENT_LENGTH` digits (RFC 2104; the unit separator 0x1f cannot occur in a table,
    field or row name, so no two places share a message).
    """
    if not key:
        raise ValueError("a commitment needs a key")
    message = "\x1f".join((table, field, row, value)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:COMMITMENT_LENGTH]
