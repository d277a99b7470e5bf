"""The general conference decides on an exclusion: recorded by the bureau or by its poll; the
city's written reply before the session."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from coalition.services import model_update
from governance.models import (
    AgendaItem,
    AssemblyPoll,
    CommitteeSeat,
    DecidingBody,
    DecisionKind,
    ExclusionProposal,
    ExclusionReply,
    MembershipDecision,
    ProposalStatus,
)
from governance.notifications import notify
from governance.rules import Outcome
from governance.services import seats as seat_services
from governance.services.common import (
    GovernanceError,
    bureau_emails,
    committee_emails,
)
from members import services as members_services
from members.models import (
    CITY_ROLES,
    Membership,
    MembershipStatus,
    Role,
)

from .shared import _change_membership, _lock_proposal, _record_decision, _tell_city


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
    model_update(
        proposal,
        fields={"status": ProposalStatus.EXCLUDED if exclude else ProposalStatus.DECLINED},
        actor=actor,
    )
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
