"""The membership decisions the bureau records: suspension, reinstatement, withdrawal, each
ending in members.services.change_membership_status."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from governance.models import (
    DecidingBody,
    DecisionKind,
    MembershipDecision,
)
from governance.services.common import (
    GovernanceError,
)
from members.models import (
    Membership,
    MembershipStatus,
)

from .shared import _change_membership, _record_decision


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
