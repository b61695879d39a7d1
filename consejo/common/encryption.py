"""Files sealed with a passphrase, written and read as streams (the backups' outer layer).

A copy kept off-site by an allied organization must reveal nothing and must not be altered
unnoticed. The format, so that anyone can check it with any implementation of the primitives:

    header  = MAGIC (16 bytes) | log2(N), r, p (1 byte each) | salt (16) | nonce prefix (7)
    check   = HMAC-SHA256(check key, header)                                          (32)
    chunks  = AES-256-GCM(data key, nonce, chunk, associated data = header), one after another

The 64-byte key is scrypt(passphrase, salt, N, r, p) (RFC 7914): the data key is its first half,
the check key its second. Each chunk holds 64 KiB of plain text (the last one fewer, possibly
none) plus its 16-byte tag; its nonce is the prefix, the chunk's number (4 bytes, big-endian) and
1 for the last chunk, 0 for the others (the STREAM construction of Hoang, Reyhanitabar, Rogaway
and Vizár, "Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance", CRYPTO 2015,
as age uses it). So a changed, reordered, dropped or cut chunk fails its tag, and a wrong
passphrase is told apart from a damaged file by the check before any chunk is read.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from consejo.core.errors import InvalidInput

MAGIC = b"consejo-sealed\x00\x01"
CHUNK = 64 * 1024
TAG = 16
# scrypt with N = 2**17, r = 8: 128 MiB and about half a second per try, on the server and on
# whoever guesses passphrases against a stolen copy.
LOG2_N, R, P = 17, 8, 1
_HEADER = len(MAGIC) + 3 + 16 + 7
_CHECK = 32


class WrongPassphrase(InvalidInput):
    """The passphrase does not open this file."""


class Damaged(InvalidInput):
    """The file is not a sealed file, or it was changed or cut after it was written."""


def _keys(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    # At most 512 MiB of memory, whatever a damaged (or hostile) header asks for.
    if not 10 <= log2_n <= 18 or not 1 <= r <= 16 or not 1 <= p <= 4:
        raise Damaged("the archive is damaged: its header names impossible key parameters")
    try:
        key = Scrypt(salt=salt, length=64, n=2**log2_n, r=r, p=p).derive(passphrase.encode())
    except (MemoryError, ValueError):
        raise Damaged("the archive is damaged: its key parameters cannot be used here") from None
    return key[:32], key[32:]


def _nonce(prefix: bytes, number: int, *, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


class SealedWriter:
    """A file-like writer that seals what is written into ``out``; ``close()`` ends the stream
    (the last chunk is marked, so that a copy cut short is refused)."""

    def __init__(self, out: BinaryIO, passphrase: str, *, log2_n: int = LOG2_N) -> None:
        salt, prefix = secrets.token_bytes(16), secrets.token_bytes(7)
        self._header = MAGIC + bytes([log2_n, R, P]) + salt + prefix
        data_key, check_key = _keys(passphrase, salt, log2_n, R, P)
        self._aead, self._prefix, self._out = AESGCM(data_key), prefix, out
        out.write(self._header + hmac.digest(check_key, self._header, hashlib.sha256))
        self._buffer = bytearray()
        self._number = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Keep at least one byte back: the last chunk is only known at close().
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._number, last=last)
        self._out.write(self._aead.encrypt(nonce, chunk, self._header))
        self._number += 1

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._out.flush()
            self.closed = True


def unseal(source: BinaryIO, out: BinaryIO, passphrase: str) -> None:
    """Write the plain text of the sealed stream ``source`` into ``out``.

    Raises :class:`WrongPassphrase` or :class:`Damaged`; what was written into ``out`` by then
    must be thrown away (the caller reads ``out`` only when this returns).
    """
    header = source.read(_HEADER)
    if len(header) < _HEADER or not header.startswith(MAGIC):
        raise Damaged("this file is not a consejo backup (or its beginning is damaged)")
    log2_n, r, p = header[len(MAGIC) : len(MAGIC) + 3]
    salt = header[len(MAGIC) + 3 : len(MAGIC) + 19]
    prefix = header[len(MAGIC) + 19 :]
    data_key, check_key = _keys(passphrase, salt, log2_n, r, p)
    check = source.read(_CHECK)
    if not hmac.compare_digest(check, hmac.digest(check_key, header, hashlib.sha256)):
        raise WrongPassphrase("wrong passphrase (or the archive's header is damaged)")
    aead = AESGCM(data_key)
    number = 0
    block = source.read(CHUNK + TAG)
    while True:
        following = source.read(CHUNK + TAG)
        last = not following
        if len(block) < TAG or (not last and len(block) != CHUNK + TAG):
            raise Damaged(f"the archive is damaged: it is cut short in part {number + 1}")
        try:
            out.write(aead.decrypt(_nonce(prefix, number, last=last), block, header))
        except InvalidTag:
            raise Damaged(
                f"the archive is damaged: part {number + 1} fails its check "
                "(changed, reordered or cut short)"
            ) from None
        if last:
            return
        block, number = following, number + 1
        if number >= 2**32:
            raise Damaged("the archive is damaged: it has too many parts")
