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


def _decide(
    *,
    actor,
    membership: Membership,
    kind: str,
    to_status: str,
    decided_on: dt.date,
    reason: str,
    body: str,
    reference: str,
) -> MembershipDecision:
    """The bureau's decision recorded, then the membership moved to its status (the city told)."""
    decision = _record_decision(
        actor=actor,
        membership=membership,
        kind=kind,
        body=body,
        decided_on=decided_on,
        reason=reason,
        reference=reference,
    )
    _change_membership(actor=actor, decision=decision, to_status=to_status)
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
    return _decide(
        actor=actor,
        membership=membership,
        kind=DecisionKind.SUSPENSION,
        to_status=MembershipStatus.SUSPENDED,
        decided_on=decided_on,
        reason=reason,
        body=body,
        reference=reference,
    )


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
    return _decide(
        actor=actor,
        membership=membership,
        kind=DecisionKind.REINSTATEMENT,
        to_status=MembershipStatus.MEMBER,
        decided_on=decided_on,
        reason=reason,
        body=body,
        reference=reference,
    )


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
    return _decide(
        actor=actor,
        membership=membership,
        kind=DecisionKind.WITHDRAWAL,
        to_status=MembershipStatus.WITHDRAWN,
        decided_on=decided_on,
        reason=reason,
        body=body,
        reference=reference,
    )
