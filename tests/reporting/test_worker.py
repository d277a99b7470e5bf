"""A submission, a real Celery worker on Redis, and a ready PDF holding the report."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    from django.db import connection

    s = connection.settings_dict
    return (
        f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.mark.integration
def test_submission_produces_a_ready_pdf_through_a_real_worker(
    transactional_db, postgres, redis_url, demo, coordinator
):
    from coalition.celery import app
    from reporting import services
    from reporting.models import PDFStatus, PDFVariant, ReportPDF
    from tests.reporting.helpers import report_of

    queue = f"reporting-test-{os.getpid()}-{time.monotonic_ns()}"
    saved = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False  # this test needs the real broker and worker
    app.conf.task_default_queue = queue  # and a queue no other worker listens on
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": _database_url(),  # the test database, where the committed rows are
        "DJANGO_SETTINGS_MODULE": "coalition.settings.test",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coalition",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        report = report_of("Potsdam", 2025)
        services.submit_report(actor=coordinator, report=report)  # enqueued on commit
        deadline = time.monotonic() + 120
        pdf = None
        while time.monotonic() < deadline:
            pdf = ReportPDF.objects.filter(report=report, variant=PDFVariant.FULL).first()
            if pdf and pdf.status in (PDFStatus.READY, PDFStatus.FAILED):
                break
            assert worker.poll() is None, worker.stdout.read()
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
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = saved
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
