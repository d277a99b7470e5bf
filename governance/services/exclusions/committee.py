"""An exclusion proposal and the committee's vote on it (the city recused): proposed, put to the
vote, concluded; an adopted proposal goes on the next session's agenda."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance import engine
from governance.models import (
    CommitteeSeat,
    CommitteeVote,
    ExclusionProposal,
    ProposalStatus,
    VoteKind,
)
from governance.notifications import notify
from governance.rules import Outcome
from governance.services import assemblies
from governance.services.common import (
    GovernanceError,
    bureau_emails,
    committee_emails,
    vote_context,
)
from governance.services.votes import CommitteeSubject
from members.models import (
    Membership,
    MembershipStatus,
)

from .shared import _lock_proposal, _tell_city


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
    # updated_at moves with the status (model_update saves the auto_now fields with a change).
    model_update(proposal, fields={"status": ProposalStatus.UNDER_VOTE}, actor=actor)
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
    model_update(
        proposal,
        fields={"status": outcomes.get(vote.outcome, ProposalStatus.PROPOSED)},
        actor=actor,
    )
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


engine.register(VoteKind.EXCLUSION, ExclusionSubject())
