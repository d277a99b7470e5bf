"""The accreditation codes: drawn at random, stored only as their SHA-256, shown as a QR code."""

from __future__ import annotations

import hashlib
import secrets

import segno

#: Letters and digits that cannot be mistaken for one another when typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


CODE_LENGTH = 12  # 60 bits


def normalise_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def qr_data_uri(code: str) -> str:
    """The code as a QR code, an SVG data URI (the CSP allows data: images)."""
    return segno.make(normalise_code(code), error="m").svg_data_uri(scale=5, border=2)
