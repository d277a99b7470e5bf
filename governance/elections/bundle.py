"""The published election file and its verification (plain data, no Django).

The bundle holds what anyone may check: the candidates, the receipts of the sealed ballots
(and the ciphertexts until the challenge period ends), the box's fingerprint, the list of
opened ballots (tracker, choices) in the shuffled order with its hash, and the result.
`verify` recomputes the fingerprint, the list's hash and the count, and says what differs.
"""

from __future__ import annotations

import base64
import hashlib
import json

from governance.elections import count as counting
from governance.elections.crypto import box_fingerprint, receipt_of


def canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def ballots_hash(ballots: list[dict]) -> str:
    """SHA-256 of the opened ballots' list, in its published order."""
    return hashlib.sha256(canonical(ballots)).hexdigest()


def recount(bundle: dict) -> dict:
    return counting.count(
        method=bundle["method"],
        candidates=bundle["candidates"],
        ballots=bundle["ballots"],
        seats=bundle["seats"],
        cap=bundle.get("cap_per_country"),
        seed=bundle["ballots_hash"],
    )


def verify(bundle: dict) -> list[str]:
    """What does not hold in a published bundle (empty when everything agrees)."""
    result = bundle.get("result") or {}
    if result.get("without_ballot"):
        # Uncontested, elected without a ballot: nothing was sealed; every candidate the cap
        # allows is elected.
        problems = [] if not bundle.get("receipts") else ["ballots in an uncontested election"]
        known = {c["id"] for c in bundle.get("candidates") or []}
        if not set(result.get("elected") or []) <= known:
            problems.append("the result elects someone who is not a candidate")
        return problems
    problems = []
    receipts = list(bundle.get("receipts") or [])
    for ciphertext in bundle.get("ciphertexts") or []:
        if receipt_of(base64.b64decode(ciphertext)) not in receipts:
            problems.append("a ciphertext has no receipt in the bundle")
    if bundle.get("ciphertexts") is not None and len(bundle["ciphertexts"]) != len(receipts):
        problems.append("the number of ciphertexts differs from the number of receipts")
    if box_fingerprint(receipts) != bundle.get("box_fingerprint"):
        problems.append("the ballot box's fingerprint does not match its receipts")
    if len(bundle.get("ballots") or []) != len(receipts):
        problems.append("the number of opened ballots differs from the number of sealed ones")
    if len(receipts) != len(bundle.get("voted_cities") or []):
        problems.append("the number of ballots differs from the number of cities that voted")
    if ballots_hash(bundle.get("ballots") or []) != bundle.get("ballots_hash"):
        problems.append("the list of opened ballots does not match its hash")
    expected = recount(bundle)
    for key in ("elected", "skipped", "ties", "totals", "stages", "quota", "invalid", "blank"):
        if expected.get(key) != result.get(key):
            problems.append(f"the result's {key} differs from the recount")
    return problems
