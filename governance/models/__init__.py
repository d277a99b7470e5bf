"""Governance models, one module per concept: the committee, admissions, votes, exclusions,
the statute profile and membership fees, delegates."""

from governance.models.admissions import (
    OPEN_APPLICATION_STATUSES,
    WAITING_FOR_BUREAU,
    AdmissionApplication,
    ApplicationStatus,
    LetterUpload,
    ProposedAction,
    private_storage,
)
from governance.models.committee import CommitteeSeat, DecisionRule, SeatKind, SeatQuerySet
from governance.models.delegates import (
    CertificationRole,
    CertificationScope,
    CertificationStatus,
    DelegateCertification,
)
from governance.models.exclusions import (
    OPEN_PROPOSAL_STATUSES,
    DecidingBody,
    DecisionKind,
    ExclusionProposal,
    MembershipDecision,
    ProposalStatus,
)
from governance.models.fees import FeeStatus, MembershipFee
from governance.models.statute import SOURCED_VALUES, VALUE_FIELDS, StatuteProfile
from governance.models.votes import (
    Ballot,
    Choice,
    CloseReason,
    Comment,
    CommitteeVote,
    ElectorateEntry,
    ElectorateStage,
    ElectorReason,
    ElectorStatus,
    VoteKind,
    VoteReminder,
    VoteStatus,
)
from governance.rules import Outcome

__all__ = [
    "SOURCED_VALUES",
    "VALUE_FIELDS",
    "FeeStatus",
    "MembershipFee",
    "StatuteProfile",
    "OPEN_APPLICATION_STATUSES",
    "OPEN_PROPOSAL_STATUSES",
    "WAITING_FOR_BUREAU",
    "AdmissionApplication",
    "ApplicationStatus",
    "Ballot",
    "CertificationRole",
    "CertificationScope",
    "CertificationStatus",
    "Choice",
    "CloseReason",
    "CommitteeSeat",
    "CommitteeVote",
    "Comment",
    "DecidingBody",
    "DecisionKind",
    "DecisionRule",
    "DelegateCertification",
    "ElectorReason",
    "ElectorStatus",
    "ElectorateEntry",
    "ElectorateStage",
    "ExclusionProposal",
    "LetterUpload",
    "MembershipDecision",
    "Outcome",
    "ProposalStatus",
    "ProposedAction",
    "SeatKind",
    "SeatQuerySet",
    "VoteKind",
    "VoteReminder",
    "VoteStatus",
    "private_storage",
]
