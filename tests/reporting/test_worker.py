"""A submission, a real Celery worker on Redis, and a ready PDF holding the report."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from reporting import pdfs, services
from reporting.models import HANDED_IN_STATUSES, PDFStatus, PDFVariant, Report, ReportPDF
from tests.reporting.helpers import report_of
from tests.workers import broker_at, unique_queue, wait_for


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


@pytest.mark.integration
def test_re_rendering_a_cycle_completes_on_two_worker_processes(
    transactional_db, postgres, redis_url, demo, bureau, celery_worker, tmp_path
):
    """The demo's 2025 cycle (six handed-in reports), one task each, on a prefork pool of two."""
    log = tmp_path / "renders.log"
    queue = unique_queue("reporting-cycle")
    cycle = report_of("Potsdam", 2025).cycle
    handed_in = sorted(
        Report.objects.filter(cycle=cycle, status__in=HANDED_IN_STATUSES).values_list(
            "pk", flat=True
        )
    )
    assert len(handed_in) >= 5, handed_in
    with broker_at(redis_url, queue=queue):
        worker = celery_worker(queue=queue, concurrency=2, env={"TEST_RENDER_LOG": str(log)})
        outcome = services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
        assert outcome.queued == len(handed_in) and outcome.under_way == 0
        progress = wait_for(
            lambda: (p := pdfs.cycle_render_progress(cycle)).finished and p,
            timeout=240,
            worker=worker,
        )
    assert progress.ready == progress.total == len(handed_in), progress
    drawn = [line.split() for line in log.read_text().splitlines()]
    assert sorted({int(pk) for pk, _variant in drawn}) == sorted(handed_in)
    assert len(drawn) == len(set(map(tuple, drawn)))  # each PDF drawn once
    pids = {
        line.split("ForkPoolWorker-")[1].split("]")[0]
        for line in worker.output().splitlines()
        if "ForkPoolWorker-" in line and "succeeded" in line
    }
    assert len(pids) == 2, worker.output()[-3000:]  # both processes took tasks
