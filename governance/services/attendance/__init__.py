"""Registration, accreditation, check-in and check-out, voting cards and roll calls (ADR 0008).

Who may call what is the views' business (governance.access); these functions guard the
state machines and the invariants: one current card per city and session, one per person
(partial unique constraints, which settle any race), codes stored only as their SHA-256.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
codes, registration (and accreditation), check_in (and check-out), cards, roll_calls (and the
quorum); shared holds their private helpers. Callers keep importing from
`governance.services.attendance`; a test that slows a card claim patches the module that makes
it (`governance.services.attendance.cards`).
"""

from .cards import hand_card, take_card
from .check_in import check_in, check_in_by_code, check_out
from .codes import CODE_ALPHABET, CODE_LENGTH, hash_code, new_code, normalise_code, qr_data_uri
from .registration import (
    accredit_registration,
    register_attendee,
    reissue_code,
    reject_registration,
)
from .roll_calls import check_quorum, take_roll_call

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "accredit_registration",
    "check_in",
    "check_in_by_code",
    "check_out",
    "check_quorum",
    "hand_card",
    "hash_code",
    "new_code",
    "normalise_code",
    "qr_data_uri",
    "register_attendee",
    "reissue_code",
    "reject_registration",
    "take_card",
    "take_roll_call",
]
