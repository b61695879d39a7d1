"""Sealed secret ballots: the election key shared by trustees, ballots sealed to it, the mix and
the trustees' partial decryptions.

Every function is pure and works on bytes: the group is ristretto255 (RFC 9496) through
libsodium's own functions (the ``rbcl`` binding bundles libsodium in its wheel), so that no
elliptic-curve arithmetic is written here. docs/elections.md says what this protects against.
"""
