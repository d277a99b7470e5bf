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
    AgendaItem,
    AssemblyPoll,
    CommitteeSeat,
    CommitteeVote,
    DecidingBody,
    DecisionKind,
    ExclusionProposal,
    ExclusionReply,
    MembershipDecision,
    ProposalStatus,
    VoteKind,
)
from governance.notifications import notify
from governance.rules import Outcome
from governance.services import assemblies
from governance.services import seats as seat_services
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
    CITY_ROLES,
    Membership,
    MembershipStatus,
    Role,
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
    if proposal.status == ProposalStatus.AWAITING_ASSEMBLY:
        assemblies.schedule_exclusions(actor=actor, coalition=proposal.coalition)


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


def _end_seats_and_roles(*, actor, membership: Membership, on: dt.date) -> dict:
    """An excluded city leaves the committee and its people lose their roles for it."""
    seats = list(
        CommitteeSeat.objects.current(on)
        .filter(coalition=membership.coalition, city=membership.city)
        .order_by("id")
    )
    for seat in seats:
        seat_services.end_seat(actor=actor, seat=seat, ends_on=max(on, seat.starts_on))
    roles = list(
        Role.objects.current().filter(city=membership.city, kind__in=CITY_ROLES).order_by("id")
    )
    reason = _("The city was excluded from %(coalition)s.") % {"coalition": membership.coalition}
    for role in roles:
        if role.starts_on > on:
            members_services.cancel_role(actor=actor, role=role, reason=reason)
        else:
            members_services.end_role(actor=actor, role=role, ends_on=on, reason=reason)
    return {"seats": [s.pk for s in seats], "roles": [r.pk for r in roles]}


@transaction.atomic
def decide_exclusion_by_poll(*, actor, poll: AssemblyPoll) -> MembershipDecision:
    """The published assembly poll on an exclusion item records the decision itself.

    Called by the poll's subject when a teller confirms the result: the membership
    decision, the membership's status, the city's seats and roles, the proposal's outcome.
    """
    item = poll.item
    proposal = item.exclusion_proposal
    if proposal is None:
        raise GovernanceError(_("This agenda item puts no exclusion proposal to the vote."))
    session = poll.session
    exclude = poll.outcome == Outcome.ADOPTED
    decided_on = timezone.localdate(poll.confirmed_at or timezone.now(), session.zone)
    decision = record_assembly_decision(
        actor=actor,
        proposal=proposal,
        exclude=exclude,
        body=session.body,
        decided_on=decided_on,
        reason=poll.arithmetic,
        reference=f"{session.title}, {item.position}. {item.title} (poll {poll.pk})",
    )
    ended = {}
    if exclude:
        ended = _end_seats_and_roles(actor=actor, membership=proposal.membership, on=decided_on)
    AgendaItem.objects.filter(pk=item.pk).update(status="decided")
    audit.record(
        actor=actor,
        target=proposal,
        verb="exclusion.decided_by_poll",
        to_state=proposal.status if not exclude else ProposalStatus.EXCLUDED,
        data={"poll": poll.pk, "decision": decision.pk, **ended},
    )
    return decision


def city_may_reply(user, item: AgendaItem) -> bool:
    """The coordinators of the city an exclusion item concerns may file its written reply."""
    proposal = item.exclusion_proposal
    if proposal is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        Role.objects.current()
        .filter(kind="coordinator", city_id=proposal.membership.city_id, user=user)
        .exists()
    )


@transaction.atomic
def file_exclusion_reply(*, actor, item: AgendaItem, text: str, upload=None) -> ExclusionReply:
    """The city concerned files its written reply (text, or a PDF the form has checked)."""
    item = (
        # The item's own row is locked; its proposal is a nullable join PostgreSQL cannot lock.
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("session", "exclusion_proposal__membership__city")
        .get(pk=item.pk)
    )
    if not city_may_reply(actor, item):
        raise GovernanceError(_("Only the coordinator of the city concerned can reply."))
    if item.session.status == "closed" or item.status == "decided":
        raise GovernanceError(_("The assembly has decided: the reply can no longer be filed."))
    if not text.strip() and upload is None:
        raise GovernanceError(_("Write the reply or attach it as a PDF."), field="text")
    proposal = item.exclusion_proposal
    assert proposal is not None  # city_may_reply answered no without one
    reply = ExclusionReply(
        item=item,
        city=proposal.membership.city,
        text=text.strip(),
        filed_by=actor,
    )
    if upload is not None:
        upload.seek(0)
        reply.file.save("reply.pdf", upload, save=False)
    reply.save()
    audit.record(
        actor=actor,
        target=item,
        verb="exclusion.reply_filed",
        data={"reply": reply.pk, "proposal": item.exclusion_proposal_id, "pdf": bool(upload)},
    )
    return reply


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
