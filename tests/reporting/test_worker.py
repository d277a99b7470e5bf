"""A submission, a real Celery worker on Redis, and a ready PDF holding the report."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from reporting import services
from reporting.models import PDFStatus, PDFVariant, ReportPDF
from tests.reporting.helpers import report_of
from tests.workers import broker_at, unique_queue


@pytest.mark.integration
def test_submission_produces_a_ready_pdf_through_a_real_worker(
    transactional_db, postgres, redis_url, demo, coordinator, celery_worker
):
    queue = unique_queue("reporting-test")  # a queue no other worker listens on
    # This test needs the real broker and worker.
    with broker_at(redis_url, queue=queue):
        worker = celery_worker(queue=queue)
        report = report_of("Potsdam", 2025)
        services.submit_report(actor=coordinator, report=report)  # enqueued on commit
        deadline = time.monotonic() + 120
        pdf = None
        while time.monotonic() < deadline:
            pdf = ReportPDF.objects.filter(report=report, variant=PDFVariant.FULL).first()
            if pdf and pdf.status in (PDFStatus.READY, PDFStatus.FAILED):
                break
            assert worker.alive(), worker.output()
            time.sleep(0.5)
        assert pdf is not None and pdf.status == PDFStatus.READY, pdf and pdf.error
        report.refresh_from_db()
        assert pdf.rendered_version == report.version
        with pdf.file.open("rb") as handle:
            text = " ".join(
                " ".join(
                    page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages
                ).split()
            )
        assert "Potsdam" in text and "2025" in text
        for commitment in report.cycle.plan.commitments.all():
            assert " ".join(commitment.title.split()) in text
