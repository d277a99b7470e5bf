"""Private helpers of the exclusions package: the city told of each step, the proposal's row lock,
a membership decision recorded and applied."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.mail import absolute_url
from governance.models import (
    DecidingBody,
    ExclusionProposal,
    MembershipDecision,
)
from governance.notifications import notify
from governance.services.common import (
    GovernanceError,
    acting_user,
)
from members import services as members_services
from members.models import (
    Membership,
)
from members.notifications import city_contact_emails


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
