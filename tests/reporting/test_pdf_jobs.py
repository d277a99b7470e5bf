"""PDF jobs heal by themselves: the sweep, the deadlines, who may ask for a render again.

These run in-process (eager Celery, SQLite or PostgreSQL); the real worker, a
stopped Redis and a cut database connection are in test_worker_faults.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting import pdfs, services
from reporting.models import CyclePDF, PDFStatus, PDFVariant, ReportPDF
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs actually drawn; `renders.fail = True` makes drawing fail."""

    class Counter:
        calls: list[tuple[int, str]] = []
        fail = False

    counter = Counter()
    counter.calls = []
    original = pdfs.render_report_bytes

    def counting(report, variant):
        counter.calls.append((report.pk, variant))
        if counter.fail:
            raise RuntimeError("fonts missing")
        return original(report, variant)

    monkeypatch.setattr(pdfs, "render_report_bytes", counting)
    return counter


def _age(queryset, seconds: int, *fields: str) -> None:
    """Make the jobs look `seconds` old (by default: asked for and published that long ago)."""
    then = timezone.now() - dt.timedelta(seconds=seconds)
    queryset.update(**dict.fromkeys(fields or ("queued_at", "dispatched_at"), then))


def test_anonymous_requests_for_a_failed_pdf_do_not_render_it_again(
    client, demo, renders, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2024)  # published: the public may download its PDF
    url = reverse("reporting:report_pdf", args=[report.pk])
    renders.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 202  # rendered on demand: it fails
    first = list(renders.calls)
    assert (report.pk, PDFVariant.PUBLIC) in first
    for _ in range(4):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url)
        assert response.status_code == 202
    assert renders.calls == first  # nothing drawn again: only staff retry
    pdf = ReportPDF.objects.get(report=report, variant=PDFVariant.PUBLIC)
    assert pdf.status == PDFStatus.FAILED
    assert "fonts missing" not in response.content.decode()  # the error is for staff


def test_staff_retry_a_failed_pdf_once(
    client, demo, secretariat, renders, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2024)
    renders.fail = True
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("reporting:report_pdf", args=[report.pk]))
    renders.fail = False
    renders.calls.clear()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_pdf_retry", args=[report.pk]))
    assert sorted(renders.calls) == sorted(
        (report.pk, v) for v in (PDFVariant.FULL, PDFVariant.COALITION, PDFVariant.PUBLIC)
    )
    assert set(ReportPDF.objects.filter(report=report).values_list("status", flat=True)) == {
        PDFStatus.READY
    }


def test_a_pdf_already_queued_is_not_queued_again(
    client, demo, renders, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2024)
    url = reverse("reporting:report_pdf", args=[report.pk])
    with django_capture_on_commit_callbacks(execute=False) as first:
        client.get(url)  # queued; its message is on its way to the worker
    assert len(first) == 1
    with django_capture_on_commit_callbacks(execute=False) as later:
        for _ in range(4):
            assert client.get(url).status_code == 202
    assert later == []
    assert renders.calls == []


def test_the_sweep_re_enqueues_a_pdf_queued_past_its_deadline(
    coordinator, renders, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_JOB_QUEUED_DEADLINE = 60
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):  # the broker lost the message
        services.submit_report(actor=coordinator, report=report)
    queued = ReportPDF.objects.filter(report=report)
    assert set(queued.values_list("status", flat=True)) == {PDFStatus.QUEUED}
    assert pdfs.requeue_stuck_pdfs() == {"queued": 0, "rendering": 0, "given_up": 0}  # young
    assert renders.calls == []
    _age(queued, 61)
    assert pdfs.requeue_stuck_pdfs()["queued"] == 1  # one task per report
    assert set(queued.values_list("status", flat=True)) == {PDFStatus.READY}
    assert sorted(renders.calls) == sorted(
        [(report.pk, PDFVariant.FULL), (report.pk, PDFVariant.COALITION)]
    )
    renders.calls.clear()
    assert pdfs.requeue_stuck_pdfs()["queued"] == 0  # nothing left: rendered once
    assert pdfs.render_report_pdfs(report.pk) == {"full": "skipped", "coalition": "skipped"}
    assert renders.calls == []


def test_the_sweep_takes_back_a_render_whose_worker_died(
    coordinator, renders, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_JOB_RUNNING_DEADLINE = 600
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_report(actor=coordinator, report=report)
    rows = ReportPDF.objects.filter(report=report)
    rows.update(status=PDFStatus.RENDERING, started_at=timezone.now(), attempts=1)
    assert pdfs.requeue_stuck_pdfs()["rendering"] == 0  # it may still be working
    _age(rows, 601, "started_at")
    assert pdfs.requeue_stuck_pdfs()["rendering"] == 2
    assert set(rows.values_list("status", flat=True)) == {PDFStatus.READY}
    assert len(renders.calls) == 2


def test_a_render_that_keeps_dying_is_given_up_and_shown_to_staff(
    coordinator, renders, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_JOB_MAX_ATTEMPTS = 3
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_report(actor=coordinator, report=report)
    rows = ReportPDF.objects.filter(report=report)
    rows.update(status=PDFStatus.RENDERING, attempts=3)
    _age(rows, 3600, "started_at")
    assert pdfs.requeue_stuck_pdfs()["given_up"] == 2
    assert set(rows.values_list("status", flat=True)) == {PDFStatus.FAILED}
    assert "did not finish" in rows.first().error
    assert renders.calls == []


def test_a_new_request_starts_the_attempts_afresh(
    coordinator, bureau, renders, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(actor=coordinator, report=report)
    ReportPDF.objects.filter(report=report).update(attempts=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit_report(actor=bureau, report=report)
    report.refresh_from_db()
    for pdf in ReportPDF.objects.filter(report=report):
        assert pdf.status == PDFStatus.READY and pdf.rendered_version == report.version
        assert pdf.attempts == 1


def test_a_render_overtaken_by_a_newer_version_leaves_the_newer_render_to_finish(
    coordinator, bureau, monkeypatch, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_report(actor=coordinator, report=report)
    original = pdfs.render_report_bytes
    overtaken = []

    def drawn_while_the_report_changes(drawn, variant):
        data = original(drawn, variant)
        if not overtaken:  # the bureau transmits it meanwhile: a new version, queued again
            with django_capture_on_commit_callbacks(execute=False) as later:
                services.transmit_report(actor=bureau, report=report_of("Potsdam", 2025))
            overtaken.extend(later)
        return data

    monkeypatch.setattr(pdfs, "render_report_bytes", drawn_while_the_report_changes)
    assert pdfs.render_report_pdfs(report.pk)["full"] == "superseded"
    full = ReportPDF.objects.get(report=report, variant=PDFVariant.FULL)
    assert full.status == PDFStatus.QUEUED and not full.file  # nothing stale was kept
    for callback in overtaken:  # the newer request's message arrives
        callback()
    report.refresh_from_db()
    for pdf in ReportPDF.objects.filter(report=report):
        assert pdf.status == PDFStatus.READY and pdf.rendered_version == report.version


def test_the_sweep_re_enqueues_a_stuck_cycle_pdf(
    client, secretariat, settings, django_capture_on_commit_callbacks
):
    settings.COALITION_JOB_QUEUED_DEADLINE = 60
    cycle = report_of("Potsdam", 2024).cycle
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.get(reverse("reporting:cycle_pdf", args=[cycle.pk])).status_code == 202
    pdf = CyclePDF.objects.get(cycle=cycle)
    assert pdf.status == PDFStatus.QUEUED
    _age(CyclePDF.objects.filter(pk=pdf.pk), 61)
    assert pdfs.requeue_stuck_pdfs()["queued"] == 1
    pdf.refresh_from_db()
    assert pdf.status == PDFStatus.READY


def test_oldest_unfinished_pdf_job_is_measured_from_when_it_was_queued(
    coordinator, django_capture_on_commit_callbacks
):
    assert pdfs.oldest_unfinished_job() is None
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=False):
        services.submit_report(actor=coordinator, report=report)
    _age(ReportPDF.objects.filter(report=report), 120)
    oldest = pdfs.oldest_unfinished_job()
    assert oldest is not None and 119 <= (timezone.now() - oldest).total_seconds() < 200
