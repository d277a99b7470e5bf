"""The overdue mark: a city whose report is late past the grace period is flagged in the directory.

The flag lives on the city's current membership of the cycle's coalition
(`Membership.report_overdue_since`); both setting it (the daily reminders job) and
clearing it (the city hands its report in) are audited on that membership.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from coalition import audit
from coalition.services import model_update
from members.models import Membership
from reporting.models import Report, ReportStatus


def _memberships(report: Report):
    return (
        Membership.objects.current()
        .filter(city_id=report.city_id, coalition_id=report.cycle.coalition_id)
        .select_for_update()
    )


@transaction.atomic
def mark_overdue(*, actor=None, report: Report) -> int:
    """Flag the city overdue from the day after the due date. Returns how many memberships
    changed (0 when already flagged: running it again does nothing)."""
    since = report.cycle.due_on + dt.timedelta(days=1)
    memberships = list(_memberships(report).filter(report_overdue_since__isnull=True))
    for membership in memberships:
        model_update(membership, fields={"report_overdue_since": since}, actor=actor)
        audit.record(
            actor=actor,
            target=membership,
            verb="reporting.marked_overdue",
            to_state=since.isoformat(),
            message=str(report.cycle),
            data={"report": report.pk},
        )
    return len(memberships)


@transaction.atomic
def clear_overdue(*, actor, report: Report) -> int:
    """Lift the flag once the city has no other late draft in the coalition. Returns how many
    memberships changed."""
    still_overdue = (
        Report.objects.filter(
            city_id=report.city_id,
            cycle__coalition_id=report.cycle.coalition_id,
            status=ReportStatus.DRAFT,
            cycle__due_on__lt=timezone.localdate(),
        )
        .exclude(pk=report.pk)
        .exists()
    )
    if still_overdue:
        return 0
    memberships = list(_memberships(report).exclude(report_overdue_since=None))
    for membership in memberships:
        since = membership.report_overdue_since
        model_update(membership, fields={"report_overdue_since": None}, actor=actor)
        audit.record(
            actor=actor,
            target=membership,
            verb="reporting.overdue_cleared",
            from_state=since.isoformat(),
            message=str(report.cycle),
            data={"report": report.pk},
        )
    return len(memberships)
