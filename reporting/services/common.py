"""What the reporting services share: errors, PDF rendering requests, row locks."""

from __future__ import annotations

import contextlib
import contextvars

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coalition import audit, jobs
from coalition.services import model_update
from reporting import notifications, pdfs
from reporting.models import (
    CyclePDF,
    PDFStatus,
    Report,
    ReportingCycle,
    ReportPDF,
    ReportSection,
)

#: Longest text accepted in one field of a section (a generous page count, not a style rule).
MAX_FIELD_LENGTH = 20_000


class ReportingError(Exception):
    """A reporting step the rules do not allow now; the message is for the user."""


class ReportLockedError(ReportingError):
    """The report is not open for editing (submitted, under evaluation...)."""


class ReportNotOpenError(ReportLockedError):
    """The report's cycle has not opened yet: its draft waits for the opening date."""

    def __init__(self, cycle: ReportingCycle):
        super().__init__(
            _(
                "The %(cycle)s reporting cycle opens on %(date)s: "
                "the report can be edited from then."
            )
            % {"cycle": cycle, "date": date_format(cycle.opens_on, "DATE_FORMAT")}
        )


def ensure_cycle_open(report: Report) -> None:
    """Refuse any change to a report before its cycle's opening date."""
    if not report.cycle.is_open:
        raise ReportNotOpenError(report.cycle)


class StaleSectionError(ReportingError):
    """The section changed since the editor loaded it: nothing was overwritten."""

    def __init__(self, current: ReportSection):
        super().__init__(_("Another coordinator changed this section since you opened it."))
        self.current = current


# --- PDF rendering requests -------------------------------------------------

_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("reporting_quiet", default=False)


@contextlib.contextmanager
def quietly():
    """Inside the block, request no PDF rendering and send no email (the demo loader).

    PDFs are then rendered when first downloaded.
    """
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()


def notify_city(report: Report, event: str) -> None:
    """Email the city's coordinators about their report, unless quiet (the demo loader)."""
    if not _quiet.get():
        notifications.notify_city(report, event)


def notify_staff(report: Report, event: str, *, actor=None) -> None:
    """Email the coalition's staff about a report's step, unless quiet (the demo loader)."""
    if not _quiet.get():
        notifications.notify_staff(report, event, actor=actor)


def notify_staff_of_batch(cycle, count: int, *, actor=None) -> None:
    """One email to the secretariat for the reports of a cycle transmitted at once."""
    if not _quiet.get():
        notifications.notify_staff_of_batch(cycle, count, actor=actor)


def request_report_pdfs(report: Report) -> None:
    """Queue the report's PDFs for rendering once the current transaction commits."""
    if _quiet.get():
        return
    pdfs.mark_queued(report)
    pdfs.dispatch_report(report.pk)


def request_cycle_pdf(cycle: ReportingCycle) -> None:
    """Queue the cycle's consolidated evaluation for rendering once the transaction commits."""
    if _quiet.get():
        return
    pdfs.mark_cycle_queued(cycle)
    pdfs.dispatch_cycle(cycle.pk)


@transaction.atomic
def request_missing_pdfs(report: Report, language: str | None = None) -> bool:
    """On a download: queue the report's PDFs that are missing or out of date.

    In the reader's `language` (the active one by default): a German reader gets the
    portal's words around the city's text in German; that language is kept from then on.

    Nothing is queued for a PDF already queued or rendering (its job is under way;
    the sweep heals it if it is stuck), nor for a failed one: that waits for staff
    (`retry_report_pdfs`), so readers asking again do not start a render each time.
    Concurrent requests for one report take turns on its row. Returns whether a
    render was queued.
    """
    locked = Report.objects.select_for_update().only("pk", "version").get(pk=report.pk)
    language = pdfs.pdf_language(language)
    rows = {
        pdf.variant: pdf for pdf in ReportPDF.objects.filter(report_id=report.pk, language=language)
    }

    def out_of_date(variant: str) -> bool:
        pdf = rows.get(variant)
        if pdf is None:
            return True
        return pdf.status == PDFStatus.READY and (
            pdf.rendered_version != locked.version or not pdf.file
        )

    if not any(out_of_date(variant) for variant in pdfs.variants_for(report)):
        return False
    for variant in filter(out_of_date, pdfs.variants_for(report)):
        ReportPDF.objects.update_or_create(
            report_id=report.pk, variant=variant, language=language, defaults=jobs.fresh_attempt()
        )
    pdfs.dispatch_report(report.pk)
    return True


@transaction.atomic
def request_missing_cycle_pdf(cycle: ReportingCycle) -> bool:
    """On a download: queue the consolidated evaluation if it is missing or out of date.

    As for reports: not when queued, rendering or failed (staff retry a failed one).
    """
    ReportingCycle.objects.select_for_update().only("pk").get(pk=cycle.pk)
    pdf = CyclePDF.objects.filter(cycle_id=cycle.pk).first()
    if pdf is not None and (
        pdf.status != PDFStatus.READY or (pdf.rendered_key == pdfs.cycle_key(cycle) and pdf.file)
    ):
        return False
    pdfs.mark_cycle_queued(cycle)
    pdfs.dispatch_cycle(cycle.pk)
    return True


@transaction.atomic
def retry_report_pdfs(*, actor, report: Report) -> None:
    """Staff ask for the report's PDFs to be rendered again (after a failure)."""
    pdfs.mark_queued(report)
    pdfs.dispatch_report(report.pk)
    audit.record(actor=actor, target=report, verb="reporting.pdf_retried")


@transaction.atomic
def retry_cycle_pdf(*, actor, cycle: ReportingCycle) -> None:
    """Staff ask for the consolidated evaluation to be rendered again."""
    pdfs.mark_cycle_queued(cycle)
    CyclePDF.objects.filter(cycle=cycle).update(rendered_key="")
    pdfs.dispatch_cycle(cycle.pk)
    audit.record(actor=actor, target=cycle, verb="reporting.cycle_pdf_retried")


def _bump(report: Report, **changes) -> None:
    """Save status fields and bump the version in one UPDATE (the row is locked by the caller).

    The new version always differs, so the UPDATE always runs and updated_at (auto_now) moves
    with it; the callers audit.
    """
    model_update(report, fields={**changes, "version": report.version + 1}, actor=None)


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("cycle__coalition", "city")
        .get(pk=report.pk)
    )


def _expect(report: Report, *statuses: str) -> None:
    if report.status not in statuses:
        raise ReportingError(
            _("This cannot be done while the report is “%(status)s”.")
            % {"status": report.get_status_display()}
        )
