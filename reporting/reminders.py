"""Deadline reminders and the overdue mark. Run daily by reporting.tasks.send_report_reminders."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coalition.mail import absolute_url, send_templated
from coalition.services import model_update
from reporting import notifications, services
from reporting.models import ReminderKind, ReminderSent, Report, ReportStatus

logger = logging.getLogger(__name__)

#: (days before the due date at most, reminder), tightest first.
STAGES = ((1, ReminderKind.DAYS_1), (7, ReminderKind.DAYS_7), (30, ReminderKind.DAYS_30))


def reminder_due(days_left: int) -> str | None:
    """Which reminder a report with `days_left` until its due date should have had by now.

    Only the latest stage is sent: a cycle opened 5 days before its due date gets
    the 7-day reminder, not a belated 30-day one too.
    """
    if days_left < 0:
        return ReminderKind.OVERDUE
    for limit, kind in STAGES:
        if days_left <= limit:
            return kind
    return None


def send_report_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Send each due reminder once and mark or clear the overdue flag. Idempotent."""
    today = today or timezone.localdate()
    counts = {"sent": 0, "marked_overdue": 0}
    drafts = (
        Report.objects.filter(status=ReportStatus.DRAFT, cycle__opens_on__lte=today)
        .select_related("cycle__coalition", "city")
        .order_by("pk")
    )
    for report in drafts:
        kind = reminder_due((report.cycle.due_on - today).days)
        if kind and _send_once(report, kind, today):
            counts["sent"] += 1
        if today >= report.cycle.overdue_from:
            counts["marked_overdue"] += services.mark_overdue(actor=None, report=report)
    return counts


def _send_once(report: Report, kind: str, today: dt.date) -> bool:
    """Record and queue the emails in one transaction: both are kept, or neither (then retried).

    The outbox sends them after commit and retries a failing mail server.
    """
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(report=report, kind=kind)
            sent_to = send_templated(
                "reporting-reminder",
                to=notifications.coordinator_emails(report.city_id),
                context={
                    "report": report,
                    "kind": kind,
                    "days_left": max((report.cycle.due_on - today).days, 0),
                    "url": absolute_url(reverse("reporting:report_edit", kwargs={"pk": report.pk})),
                },
            )
            model_update(record, fields={"recipients": sent_to}, actor=None)
    except IntegrityError:  # already sent (or being sent by a concurrent run)
        return False
    logger.info("report reminder %s sent for %s", kind, report)
    return True
