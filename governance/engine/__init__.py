"""The vote engine: one way to open, cast, close and cancel a vote, whatever it decides.

Each kind of vote (`VoteKind`) has one registered `VoteSubject` saying who votes,
who is recused, which rule applies and what each outcome does; the subjects
register themselves when their module is imported, and `GovernanceConfig.ready()`
refuses to start if a kind has none. See docs/decisions/0004-vote-engine.md.
"""

from governance.engine.electorate import Elector, Electorate
from governance.engine.readiness import Readiness, readiness
from governance.engine.registry import (
    PollSubject,
    VoteSubject,
    check_poll_registry,
    check_registry,
    poll_subject_for,
    register,
    register_poll,
    subject_for,
    unregister,
)
from governance.engine.votes import (
    cancel,
    cast,
    close,
    count,
    current_electorate,
    lock_vote,
    open_vote,
    opening_electorate,
)

__all__ = [
    "Elector",
    "Electorate",
    "Readiness",
    "PollSubject",
    "VoteSubject",
    "check_poll_registry",
    "poll_subject_for",
    "register_poll",
    "cancel",
    "cast",
    "check_registry",
    "close",
    "count",
    "current_electorate",
    "lock_vote",
    "open_vote",
    "opening_electorate",
    "readiness",
    "register",
    "subject_for",
    "unregister",
]
