"""The audit log's coalition and city of each governance object (see members.audit_scope)."""

from __future__ import annotations

from governance.models import (
    AdmissionApplication,
    AgendaDocument,
    AgendaItem,
    AssemblySession,
    Ballot,
    CommitteeSeat,
    CommitteeVote,
    ConvocationDelivery,
    DecisionRule,
    DelegateCertification,
    ExclusionProposal,
    ExtraordinaryRequest,
    MembershipDecision,
    MembershipFee,
    StatuteProfile,
)

COALITION_PATHS = {
    AdmissionApplication: "coalition_id",
    AssemblySession: "coalition_id",
    AgendaItem: "session__coalition_id",
    AgendaDocument: "item__session__coalition_id",
    ConvocationDelivery: "session__coalition_id",
    ExtraordinaryRequest: "coalition_id",
    CommitteeSeat: "coalition_id",
    DecisionRule: "coalition_id",
    DelegateCertification: "coalition_id",
    ExclusionProposal: "coalition_id",
    MembershipDecision: "membership__coalition_id",
    MembershipFee: "coalition_id",
    StatuteProfile: "coalition_id",
    CommitteeVote: "coalition_id",
    Ballot: "vote__coalition_id",
}

CITY_PATHS = {
    AdmissionApplication: "city_id",
    ConvocationDelivery: "city_id",
    ExtraordinaryRequest: "city_id",
    CommitteeSeat: "city_id",
    DelegateCertification: "city_id",
    ExclusionProposal: "membership__city_id",
    MembershipDecision: "membership__city_id",
    MembershipFee: "city_id",
    CommitteeVote: "subject_city_id",
    Ballot: "city_id",
}
