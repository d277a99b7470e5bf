"""Rendering a whole cycle's PDFs again (after a template or a translation changed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from coalition import audit
from reporting import pdfs
from reporting.models import HANDED_IN_STATUSES, PDFStatus, Report, ReportingCycle, ReportPDF


@dataclass(frozen=True)
class Rerender:
    queued: int  # reports whose PDFs were queued now, one task each
    under_way: int  # reports already queued or rendering: left to the task they have


@transaction.atomic
def rerender_cycle_pdfs(*, actor, cycle: ReportingCycle) -> Rerender:
    """Staff ask for every handed-in report's PDFs of the cycle to be rendered again.

    One task per report, published after commit (a worker renders the report's variants in
    every language kept for it). Idempotent: a report with a PDF still queued or rendering is
    left to the task it has, so asking twice does not start the cycle again nor make two tasks
    race for a row (a second request would turn a rendering row back to queued and throw the
    running render away). The reports are locked while they are marked, so a report changed
    at the same moment is queued by one of the two.
    """
    reports = list(
        Report.objects.select_for_update()
        .filter(cycle_id=cycle.pk, status__in=HANDED_IN_STATUSES)
        .only("pk", "status", "version")
        .order_by("pk")
    )
    busy = set(
        ReportPDF.objects.filter(
            report__cycle_id=cycle.pk, status__in=[PDFStatus.QUEUED, PDFStatus.RENDERING]
        ).values_list("report_id", flat=True)
    )
    queued = 0
    for report in reports:
        if report.pk in busy:
            continue
        pdfs.mark_queued(report)
        pdfs.dispatch_report(report.pk)
        queued += 1
    outcome = Rerender(queued=queued, under_way=len(reports) - queued)
    audit.record(
        actor=actor,
        target=cycle,
        verb="reporting.cycle_pdfs_rerendered",
        data={"queued": outcome.queued, "under_way": outcome.under_way},
    )
    return outcome
