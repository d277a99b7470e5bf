"""Publishing a report (and optionally its scores) on the public pages."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from coalition import audit
from coalition.pagecache import public_pages_changed
from reporting.models import (
    RELEASED_STATUSES,
    Report,
    ReportStatus,
)
from reporting.services.common import (
    _bump,
    _expect,
    _locked,
    request_report_pdfs,
)


@transaction.atomic
def publish_report(*, actor, report: Report, publish_scores: bool) -> Report:
    """Publish the public sections (and, with the city's consent, the scores)."""
    report = _locked(report)
    _expect(report, ReportStatus.RELEASED, ReportStatus.PUBLISHED)
    from_status = report.status
    consented_before = _scores_public(report)
    _bump(
        report,
        status=ReportStatus.PUBLISHED,
        publish_scores=bool(publish_scores),
        published_at=report.published_at or timezone.now(),
    )
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_published",
        from_state=from_status,
        to_state=ReportStatus.PUBLISHED,
        data={"scores": bool(publish_scores)},
    )
    request_report_pdfs(report)
    if _scores_public(report) != consented_before:
        _outdate_cycle_pdfs(report)
    public_pages_changed()  # the city's page and the good practices show published reports
    return report


@transaction.atomic
def unpublish_report(*, actor, report: Report) -> Report:
    report = _locked(report)
    _expect(report, ReportStatus.PUBLISHED)
    consented_before = _scores_public(report)
    _bump(report, status=ReportStatus.RELEASED, published_at=None)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_unpublished",
        from_state=ReportStatus.PUBLISHED,
        to_state=ReportStatus.RELEASED,
    )
    if consented_before:
        _outdate_cycle_pdfs(report)
    public_pages_changed()
    return report


def _scores_public(report: Report) -> bool:
    return report.status == ReportStatus.PUBLISHED and report.publish_scores


def _outdate_cycle_pdfs(report: Report) -> None:
    """The published coalition averages of the cycle changed: the other evaluated reports'
    PDFs, which print them, are no longer current. Their versions move on, so each is
    rendered again when next asked for (not all at once here)."""
    Report.objects.filter(cycle_id=report.cycle_id, status__in=RELEASED_STATUSES).exclude(
        pk=report.pk
    ).update(version=F("version") + 1)
