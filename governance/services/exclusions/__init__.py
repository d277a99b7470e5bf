"""Exclusion proposals, and the membership decisions the bureau records.

Exclusion (after the committee's vote and the general conference), suspension,
reinstatement and withdrawal all end in members.services.change_membership_status.

One module per concept (docs/architecture.md: a module past ~500 lines becomes a package):
committee (the proposal and its committee vote, registered with the vote engine), assembly
(the general conference's decision, the city's reply), decisions (suspension, reinstatement,
withdrawal); shared holds their private helpers. Callers keep importing from
`governance.services.exclusions`.
"""

from .assembly import (
    city_may_reply,
    decide_exclusion_by_poll,
    file_exclusion_reply,
    record_assembly_decision,
)
from .committee import ExclusionSubject, open_exclusion_vote, propose_exclusion
from .decisions import record_reinstatement, record_suspension, record_withdrawal

__all__ = [
    "ExclusionSubject",
    "city_may_reply",
    "decide_exclusion_by_poll",
    "file_exclusion_reply",
    "open_exclusion_vote",
    "propose_exclusion",
    "record_assembly_decision",
    "record_reinstatement",
    "record_suspension",
    "record_withdrawal",
]
