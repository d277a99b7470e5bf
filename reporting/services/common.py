"""What the reporting services share: errors, PDF rendering requests, row locks."""

from __future__ import annotations

import contextlib
import contextvars

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.models import (
    Report,
    ReportingCycle,
    ReportSection,
)

#: Longest text accepted in one field of a section (a generous page count, not a style rule).
MAX_FIELD_LENGTH = 20_000


class ReportingError(Exception):
    """A reporting step the rules do not allow now; the message is for the user."""


class ReportLockedError(ReportingError):
    """The report is not open for editing (submitted, under evaluation...)."""


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


def request_report_pdfs(report: Report) -> None:
    """Queue the report's PDFs for rendering once the current transaction commits."""
    if _quiet.get():
        return
    from reporting import pdfs, tasks  # noqa: PLC0415

    pdfs.mark_queued(report)
    pk = report.pk
    transaction.on_commit(lambda: tasks.render_report_pdf.delay(pk))


def request_cycle_pdf(cycle: ReportingCycle) -> None:
    if _quiet.get():
        return
    from reporting import tasks  # noqa: PLC0415

    pk = cycle.pk
    transaction.on_commit(lambda: tasks.render_cycle_pdf.delay(pk))


def _bump(report: Report, **changes) -> None:
    """Save status fields and bump the version in one UPDATE (the row is locked by the caller)."""
    for name, value in changes.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_at = timezone.now()
    report.save(update_fields=[*changes, "version", "updated_at"])


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
