"""The election key: sealed boxes (libsodium via PyNaCl) and its k-of-n Shamir shares.

The browser seals each ballot to the election's public key with libsodium's
`crypto_box_seal`; only the private key opens it. That key exists whole twice: when voting
opens (generated, split, wiped) and during the tally (recombined from k shares, used,
wiped). No function here stores anything.

PyCryptodome's Shamir works on 16-byte secrets over GF(2^128); the 32-byte X25519 key is
split as two 16-byte halves with the same indices, and a share carries both halves.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from Crypto.Protocol.SecretSharing import Shamir
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

SHARE_PATTERN = re.compile(r"^ccp-share:(\d+):(\d+):([0-9a-f]{16}):([0-9a-f]{64})$")


class ShareError(ValueError):
    """A share is malformed, of another election, or the shares do not rebuild the key."""


@dataclass(frozen=True)
class KeyCeremony:
    public_key: bytes  # 32 bytes, published
    shares: tuple[str, ...]  # one per teller, shown once, never stored


def key_fingerprint(public_key: bytes) -> str:
    """A short name of the public key that every share repeats (16 hex digits)."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def generate_and_split(*, election_id: int, threshold: int, tellers: int) -> KeyCeremony:
    """A new key pair; the private key split into `tellers` shares, any `threshold` rebuild it."""
    if not 1 <= threshold <= tellers:
        raise ValueError("the threshold must be between 1 and the number of tellers")
    private = PrivateKey.generate()
    secret = bytearray(bytes(private))
    try:
        first = Shamir.split(threshold, tellers, bytes(secret[:16]))
        second = Shamir.split(threshold, tellers, bytes(secret[16:]))
    finally:
        for i in range(len(secret)):
            secret[i] = 0
    public = bytes(private.public_key)
    fingerprint = key_fingerprint(public)
    del private
    shares = tuple(
        f"ccp-share:{election_id}:{index}:{fingerprint}:{a.hex()}{b.hex()}"
        for (index, a), (_same, b) in zip(first, second, strict=True)
    )
    return KeyCeremony(public_key=public, shares=shares)


def parse_share(text: str, *, election_id: int, public_key: bytes) -> tuple[int, bytes, bytes]:
    match = SHARE_PATTERN.match((text or "").strip().lower())
    if not match:
        raise ShareError("not a share")
    election, index, fingerprint, body = match.groups()
    if int(election) != election_id or fingerprint != key_fingerprint(public_key):
        raise ShareError("a share of another election")
    raw = bytes.fromhex(body)
    return int(index), raw[:16], raw[16:]


def recombine(shares: list[str], *, election_id: int, public_key: bytes) -> PrivateKey:
    """The private key from at least `threshold` distinct shares, checked against the public key.

    Too few shares (or a wrong one) rebuild some other key: its public key differs, and
    ShareError says so. Nothing is kept.
    """
    parsed = {}
    for text in shares:
        index, a, b = parse_share(text, election_id=election_id, public_key=public_key)
        parsed[index] = (a, b)
    if not parsed:
        raise ShareError("no shares")
    first = Shamir.combine([(i, a) for i, (a, _b) in parsed.items()])
    second = Shamir.combine([(i, b) for i, (_a, b) in parsed.items()])
    private = PrivateKey(first + second)
    if bytes(private.public_key) != public_key:
        raise ShareError("the shares do not rebuild the election's key")
    return private


def seal(public_key: bytes, plaintext: bytes) -> bytes:
    """What the browser does (crypto_box_seal): used by tests, the demo and the benchmark."""
    return SealedBox(PublicKey(public_key)).encrypt(plaintext)


def open_all(private: PrivateKey, ciphertexts: list[bytes]) -> list[bytes | None]:
    """Each sealed ballot opened; None for one that does not open (counted as invalid)."""
    box = SealedBox(private)
    opened: list[bytes | None] = []
    for ciphertext in ciphertexts:
        try:
            opened.append(box.decrypt(ciphertext))
        except CryptoError:
            opened.append(None)
    return opened


def receipt_of(ciphertext: bytes) -> str:
    """The receipt a voter sees: SHA-256 of the ciphertext sent."""
    return hashlib.sha256(ciphertext).hexdigest()


def box_fingerprint(receipts: list[str]) -> str:
    """The ballot box's fingerprint: SHA-256 over the sorted receipts, one per line."""
    return hashlib.sha256("\n".join(sorted(receipts)).encode()).hexdigest()
