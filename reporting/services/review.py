"""The committee's review: transmitting reports to the secretariat, or returning them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from reporting.models import (
    Report,
    ReportingCycle,
    ReportStatus,
)
from reporting.services.common import (
    ReportingError,
    _bump,
    _expect,
    _locked,
    notify_city,
    notify_staff,
    notify_staff_of_batch,
    request_report_pdfs,
)


@transaction.atomic
def transmit_report(*, actor, report: Report, notify: bool = True) -> Report:
    """Hand a submitted report to the scientific secretariat, who are emailed unless `notify`
    is false (transmit_all tells them once for all the reports it hands on)."""
    report = _locked(report)
    _expect(report, ReportStatus.SUBMITTED)
    _bump(report, status=ReportStatus.TRANSMITTED, transmitted_at=timezone.now())
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_transmitted",
        from_state=ReportStatus.SUBMITTED,
        to_state=ReportStatus.TRANSMITTED,
    )
    if notify:
        notify_staff(report, "transmitted", actor=actor)
    request_report_pdfs(report)
    return report


@transaction.atomic
def transmit_all(*, actor, cycle: ReportingCycle) -> int:
    reports = list(cycle.reports.filter(status=ReportStatus.SUBMITTED).select_for_update())
    for report in reports:
        transmit_report(actor=actor, report=report, notify=False)
    if reports:
        notify_staff_of_batch(cycle, len(reports), actor=actor)
    return len(reports)


@transaction.atomic
def return_report(*, actor, report: Report, reason: str) -> Report:
    """Send a submitted report back to the city with a reason; it unlocks."""
    if not reason.strip():
        raise ReportingError(_("Please give the city a reason."))
    report = _locked(report)
    _expect(report, ReportStatus.SUBMITTED, ReportStatus.TRANSMITTED)
    from_status = report.status
    _bump(report, status=ReportStatus.DRAFT, returned_reason=reason.strip())
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_returned",
        from_state=from_status,
        to_state=ReportStatus.DRAFT,
        message=reason.strip(),
    )
    notify_city(report, "returned")
    notify_staff(report, "returned", actor=actor)
    return report
