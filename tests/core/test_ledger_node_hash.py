"""``core.ledger.node_hash`` (and ``leaf_hash``) against the published Merkle proof vectors.

The vectors are transparency-dev/merkle's ``testdata/inclusion`` (copied in tests/core/data/tlog
with its licence and README): RFC 6962 trees whose inclusion proofs a verifier must accept
(``happy-path``) or refuse (a flipped bit, a truncated or padded proof, a wrong root, an index or
size off by one). The verifier below is RFC 9162 §2.1.3.2, step by step; with our node hash it
accepts exactly the vectors that must be accepted, so the hash is RFC 6962's, as the signed
checkpoints of the transparency log will need.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from consejo.core.ledger import leaf_hash, node_hash

VECTORS = sorted((Path(__file__).parent / "data" / "tlog" / "inclusion").rglob("*.json"))


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether ``proof`` shows that ``leaf`` is entry ``index`` of the tree of
    ``size`` leaves whose root is ``root``."""
    # Every hash is a SHA-256 digest: 32 bytes (an empty root or leaf proves nothing).
    if index >= size or any(len(h) != 32 for h in (leaf, root, *proof)):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_inclusion_vectors(path: Path) -> None:
    case = json.loads(path.read_text())

    def b64(value: str | None) -> bytes:
        return base64.b64decode(value or "")

    accepted = verify_inclusion(
        case["leafIdx"],
        case["treeSize"],
        b64(case["leafHash"]),
        [b64(p) for p in case["proof"] or []],
        b64(case["root"]),
    )
    assert accepted == (not case["wantErr"]), case["desc"]


def test_the_vectors_are_there() -> None:
    assert sum(1 for p in VECTORS if p.stem == "happy-path") >= 5


def test_a_tree_of_two_leaves_by_hand() -> None:
    # RFC 6962 §2.1: MTH({d0, d1}) = SHA-256(0x01 || MTH({d0}) || MTH({d1})).
    import hashlib

    left, right = bytes.fromhex(leaf_hash(b"a")), bytes.fromhex(leaf_hash(b"b"))
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert node_hash(left, right) != node_hash(right, left)
