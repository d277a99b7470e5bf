"""Exclusion proposals, and the membership decisions the bureau records.

Exclusion (after the committee's vote and the general conference), suspension,
reinstatement and withdrawal all end in members.services.change_membership_status.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from governance import engine
from governance.models import (
    CommitteeSeat,
    CommitteeVote,
    DecidingBody,
    DecisionKind,
    ExclusionProposal,
    MembershipDecision,
    ProposalStatus,
    VoteKind,
)
from governance.notifications import notify
from governance.rules import Outcome
from governance.services.common import (
    GovernanceError,
    acting_user,
    bureau_emails,
    committee_emails,
    vote_context,
)
from governance.services.votes import CommitteeSubject
from members import services as members_services
from members.models import (
    Membership,
    MembershipStatus,
)
from members.notifications import city_contact_emails


@transaction.atomic
def propose_exclusion(
    *, actor, membership: Membership, grounds: str, seat: CommitteeSeat | None = None
) -> ExclusionProposal:
    """A voting member of the committee proposes to exclude a member city."""
    membership = (
        Membership.objects.select_for_update()
        .select_related("city", "coalition")
        .get(pk=membership.pk)
    )
    if membership.status not in (MembershipStatus.MEMBER, MembershipStatus.SUSPENDED):
        raise GovernanceError(_("Only a member city can be proposed for exclusion."))
    if not grounds.strip():
        raise GovernanceError(_("State the grounds for the proposal."))
    seats = (
        CommitteeSeat.objects.current()
        .voting()
        .filter(coalition=membership.coalition, representative=actor)
        .order_by("id")
    )
    if seat is not None:
        seats = seats.filter(pk=seat.pk)
    seat = seats.first()
    if seat is None:
        raise GovernanceError(_("Only a voting member of the steering committee can propose this."))
    try:
        with transaction.atomic():
            proposal = ExclusionProposal.objects.create(
                coalition=membership.coalition,
                membership=membership,
                proposed_by=actor,
                proposer_seat=seat,
                grounds=grounds.strip(),
            )
    except IntegrityError as exc:
        raise GovernanceError(
            _("A proposal to exclude %(city)s is already in progress.")
            % {"city": membership.city.name}
        ) from exc
    audit.record(
        actor=actor,
        target=proposal,
        verb="exclusion.proposed",
        to_state=proposal.status,
        message=proposal.grounds,
    )
    notify(
        "exclusion-proposed",
        to=bureau_emails(membership.coalition) + committee_emails(membership.coalition),
        context={"proposal": proposal, "proposal_url": absolute_url(proposal.get_absolute_url())},
    )
    _tell_city(proposal, "proposed")
    return proposal


def _tell_city(proposal: ExclusionProposal, step: str, decision=None) -> None:
    """The city concerned is told of each step of a proposal to exclude it, with the grounds.

    It cannot open the proposal's page (the committee's deliberation); the email carries
    the grounds and what happens next, and is listed on its people's dashboards.
    """
    city = proposal.membership.city
    notify(
        "exclusion-city",
        to=city_contact_emails(city.pk),
        context={
            "proposal": proposal,
            "city": city,
            "coalition": proposal.coalition,
            "step": step,
            "decision": decision,
            "url": absolute_url(city.get_absolute_url()),
        },
    )


def _lock_proposal(proposal: ExclusionProposal) -> ExclusionProposal:
    return (
        ExclusionProposal.objects.select_for_update()
        .select_related("membership__city", "coalition")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def open_exclusion_vote(
    *, actor, proposal: ExclusionProposal, closes_at: dt.datetime
) -> CommitteeVote:
    """The bureau puts an exclusion proposal to the committee's vote (the city recused)."""
    proposal = _lock_proposal(proposal)
    if proposal.status != ProposalStatus.PROPOSED:
        raise GovernanceError(_("This proposal is not waiting for a vote."))
    city = proposal.membership.city
    vote = engine.open_vote(
        actor=actor,
        coalition=proposal.coalition,
        kind=VoteKind.EXCLUSION,
        closes_at=closes_at,
        question=lambda: (
            _("Propose to the General Conference the exclusion of %(city)s from %(coalition)s?")
            % {"city": city.name, "coalition": proposal.coalition.short_name}
        ),
        subject_city=city,
        exclusion_proposal=proposal,
    )
    from_status = proposal.status
    proposal.status = ProposalStatus.UNDER_VOTE
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        target=proposal,
        verb="exclusion.vote_opened",
        from_state=from_status,
        to_state=proposal.status,
        data={"vote": vote.pk},
    )
    return vote


class ExclusionSubject(CommitteeSubject):
    """A proposal to exclude a member city, put to the committee (the city recused)."""

    def on_outcome(self, *, vote: CommitteeVote, outcome: str, tally, rule, actor) -> None:
        _conclude_exclusion_vote(vote=vote, actor=actor)


def _conclude_exclusion_vote(*, vote: CommitteeVote, actor) -> None:
    assert vote.exclusion_proposal is not None  # an exclusion vote has its proposal
    proposal = _lock_proposal(vote.exclusion_proposal)
    from_status = proposal.status
    outcomes: dict[str, str] = {
        Outcome.ADOPTED: ProposalStatus.AWAITING_ASSEMBLY,
        Outcome.REJECTED: ProposalStatus.NOT_ADOPTED,
    }
    proposal.status = outcomes.get(vote.outcome, ProposalStatus.PROPOSED)
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        target=proposal,
        verb="exclusion.vote_closed",
        from_state=from_status,
        to_state=proposal.status,
        data={"vote": vote.pk, "outcome": vote.outcome},
    )
    notify(
        "exclusion-vote-closed",
        to=committee_emails(proposal.coalition) + bureau_emails(proposal.coalition),
        context={
            "proposal": proposal,
            "proposal_url": absolute_url(proposal.get_absolute_url()),
            **vote_context(vote),
        },
    )
    if proposal.status in (ProposalStatus.AWAITING_ASSEMBLY, ProposalStatus.NOT_ADOPTED):
        _tell_city(proposal, proposal.status)


def _record_decision(
    *,
    actor,
    membership: Membership,
    kind: str,
    body: str,
    decided_on: dt.date,
    reason: str,
    reference: str = "",
    proposal: ExclusionProposal | None = None,
) -> MembershipDecision:
    if not reason.strip():
        raise GovernanceError(_("Give the reason for the decision."))
    if body not in DecidingBody.values:
        raise GovernanceError(_("Say which body took the decision."))
    if decided_on > timezone.localdate():
        raise GovernanceError(_("A decision cannot be dated in the future."))
    decision = MembershipDecision.objects.create(
        membership=membership,
        kind=kind,
        body=body,
        decided_on=decided_on,
        reason=reason.strip(),
        reference=reference.strip(),
        exclusion_proposal=proposal,
        recorded_by=acting_user(actor),
    )
    audit.record(
        actor=actor,
        target=decision,
        verb="membership_decision.recorded",
        to_state=kind,
        message=decision.reason,
        data={"membership": membership.pk, "body": body, "reference": decision.reference},
    )
    return decision


def _change_membership(
    *, actor, decision: MembershipDecision, to_status: str, notify_city: bool = True
) -> Membership:
    try:
        return members_services.change_membership_status(
            actor=actor,
            membership=decision.membership,
            to_status=to_status,
            reason=decision.reason,
            effective_on=decision.decided_on,
            decision=decision,
            notify=notify_city,
        )
    except members_services.MembershipError as exc:
        raise GovernanceError(str(exc)) from exc


@transaction.atomic
def record_assembly_decision(
    *,
    actor,
    proposal: ExclusionProposal,
    exclude: bool,
    body: str,
    decided_on: dt.date,
    reason: str,
    reference: str = "",
) -> MembershipDecision:
    """Bureau staff record the general conference's decision on an adopted proposal."""
    proposal = _lock_proposal(proposal)
    if proposal.status != ProposalStatus.AWAITING_ASSEMBLY:
        raise GovernanceError(_("This proposal is not awaiting the general conference's decision."))
    if body not in (DecidingBody.GENERAL_CONFERENCE, DecidingBody.GENERAL_ASSEMBLY):
        raise GovernanceError(_("Only the General Conference or Assembly decides an exclusion."))
    decision = _record_decision(
        actor=actor,
        membership=proposal.membership,
        kind=DecisionKind.EXCLUSION if exclude else DecisionKind.EXCLUSION_DECLINED,
        body=body,
        decided_on=decided_on,
        reason=reason,
        reference=reference,
        proposal=proposal,
    )
    if exclude:
        # The city's message is the exclusion's own (with the grounds), below.
        _change_membership(
            actor=actor,
            decision=decision,
            to_status=MembershipStatus.EXCLUDED,
            notify_city=False,
        )
    from_status = proposal.status
    proposal.status = ProposalStatus.EXCLUDED if exclude else ProposalStatus.DECLINED
    proposal.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor,
        target=proposal,
        verb="exclusion.decided",
        from_state=from_status,
        to_state=proposal.status,
        message=decision.reason,
        data={"decision": decision.pk},
    )
    notify(
        "exclusion-decided",
        to=committee_emails(proposal.coalition) + bureau_emails(proposal.coalition),
        context={
            "proposal": proposal,
            "decision": decision,
            "proposal_url": absolute_url(proposal.get_absolute_url()),
        },
    )
    _tell_city(proposal, proposal.status, decision)
    return decision


@transaction.atomic
def record_suspension(
    *,
    actor,
    membership: Membership,
    decided_on: dt.date,
    reason: str,
    body: str = DecidingBody.STEERING_COMMITTEE,
    reference: str = "",
) -> MembershipDecision:
    decision = _record_decision(
        actor=actor,
        membership=membership,
        kind=DecisionKind.SUSPENSION,
        body=body,
        decided_on=decided_on,
        reason=reason,
        reference=reference,
    )
    _change_membership(actor=actor, decision=decision, to_status=MembershipStatus.SUSPENDED)
    return decision


@transaction.atomic
def record_reinstatement(
    *,
    actor,
    membership: Membership,
    decided_on: dt.date,
    reason: str,
    body: str = DecidingBody.STEERING_COMMITTEE,
    reference: str = "",
) -> MembershipDecision:
    if membership.status != MembershipStatus.SUSPENDED:
        raise GovernanceError(_("Only a suspended membership can be reinstated."))
    decision = _record_decision(
        actor=actor,
        membership=membership,
        kind=DecisionKind.REINSTATEMENT,
        body=body,
        decided_on=decided_on,
        reason=reason,
        reference=reference,
    )
    _change_membership(actor=actor, decision=decision, to_status=MembershipStatus.MEMBER)
    return decision


@transaction.atomic
def record_withdrawal(
    *,
    actor,
    membership: Membership,
    decided_on: dt.date,
    reason: str,
    body: str = DecidingBody.CITY,
    reference: str = "",
) -> MembershipDecision:
    """A city leaves the coalition (its own notice, recorded by the bureau)."""
    decision = _record_decision(
        actor=actor,
        membership=membership,
        kind=DecisionKind.WITHDRAWAL,
        body=body,
        decided_on=decided_on,
        reason=reason,
        reference=reference,
    )
    _change_membership(actor=actor, decision=decision, to_status=MembershipStatus.WITHDRAWN)
    return decision


engine.register(VoteKind.EXCLUSION, ExclusionSubject())
