"""Quorum and roll calls."""

from __future__ import annotations

from django.db import transaction

from coalition import audit
from governance import selectors_attendance as reads
from governance.models import (
    AssemblySession,
    RollCall,
    RollCallEntry,
)
from governance.services.common import GovernanceError, acting_user

from .shared import _require_sitting_or_convened


def check_quorum(session: AssemblySession) -> reads.Quorum:
    """Raise GovernanceError unless the session is quorate now (the polls call this)."""
    quorum = reads.live_quorum(session)
    if not quorum.quorate:
        raise GovernanceError(quorum.label)
    return quorum


@transaction.atomic
def take_roll_call(*, actor, session: AssemblySession) -> RollCall:
    """Freeze who is present and who holds each card, for the minutes."""
    session = (
        AssemblySession.objects.select_for_update(of=("self",))
        .select_related("coalition")
        .get(pk=session.pk)
    )
    _require_sitting_or_convened(session)
    quorum, rows = reads.desk_rows(session)
    roll_call = RollCall.objects.create(
        session=session,
        taken_by=actor,
        with_voting_rights=quorum.with_voting_rights,
        present=quorum.present,
        required=quorum.required,
        quorate=quorum.quorate,
    )
    RollCallEntry.objects.bulk_create(
        RollCallEntry(
            roll_call=roll_call,
            city=row.city,
            city_name=row.city.name,
            has_voting_rights=row.has_voting_rights,
            present=row.city.pk in quorum.present_ids,
            card_holder_name=str(row.holding.holder) if row.holding else "",
            proxy_holder_name=row.proxy_holder,
        )
        for row in rows
    )
    audit.record(
        actor=acting_user(actor),
        target=roll_call,
        verb="session.roll_call",
        data={
            "session": session.pk,
            "with_voting_rights": quorum.with_voting_rights,
            "present": quorum.present,
            "required": quorum.required,
            "quorate": quorum.quorate,
        },
    )
    return roll_call
