"""A PDF that is not ready: the page that waits for it, its progress, and a cycle's re-render.

In-process (eager Celery); the same through a real worker of two processes is in
test_worker.py, and in Chromium in test_pdf_progress_browser.py.
"""

from __future__ import annotations

import contextlib

import pytest
from django.urls import reverse

from coalition.models import AuditEvent
from reporting import pdfs, services
from reporting.models import HANDED_IN_STATUSES, PDFStatus, PDFVariant, Report, ReportPDF
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def no_dispatch(monkeypatch):
    """Rows are marked queued but no task is published: a PDF that stays 'not ready'."""
    published: list[int] = []
    monkeypatch.setattr(pdfs, "dispatch_report", published.append)
    return published


@contextlib.contextmanager
def pdf_in_state(report, variant: str, state: str):
    """Put the reader's PDF row in `state` for the block (a ready one gets a file)."""
    row = ReportPDF.objects.get(report=report, variant=variant, language="en")
    changes = {"status": state, "error": "boom: fonts missing"}
    if state == PDFStatus.READY:
        pdfs._store(row, b"%PDF-1.4 test", f"report-{report.pk}-test.pdf")
        changes.update(file=row.file.name, rendered_version=report.version)
    ReportPDF.objects.filter(pk=row.pk).update(**changes)
    try:
        yield row
    finally:
        if row.file:
            row.file.storage.delete(row.file.name)


def _cycle_reports(cycle) -> list[int]:
    return sorted(
        Report.objects.filter(cycle=cycle, status__in=HANDED_IN_STATUSES).values_list(
            "pk", flat=True
        )
    )


# --- The service ------------------------------------------------------------------------------


def test_rerender_queues_one_task_per_handed_in_report_after_commit(
    demo, bureau, django_capture_on_commit_callbacks, monkeypatch
):
    published: list[tuple] = []
    monkeypatch.setattr(
        "coalition.jobs.enqueue", lambda task, *args: published.append((task, args)) or True
    )
    cycle = report_of("Berlin", 2025).cycle
    handed_in = _cycle_reports(cycle)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
        assert published == []  # nothing published before the commit
    assert outcome == services.Rerender(queued=len(handed_in), under_way=0)
    for callback in callbacks:
        callback()
    assert published == [("reporting.tasks.render_report_pdf", (pk,)) for pk in handed_in]
    rows = ReportPDF.objects.filter(report__cycle=cycle)
    assert set(rows.values_list("status", flat=True)) == {PDFStatus.QUEUED}
    assert set(rows.values_list("report_id", flat=True)) == set(handed_in)
    assert not rows.filter(report=report_of("Potsdam", 2025)).exists()  # a draft has none
    event = AuditEvent.objects.get(verb="reporting.cycle_pdfs_rerendered")
    assert event.actor == bureau and event.data == {"queued": len(handed_in), "under_way": 0}


def test_rerender_twice_leaves_the_reports_under_way_to_their_task(
    demo, bureau, no_dispatch, django_capture_on_commit_callbacks
):
    cycle = report_of("Berlin", 2025).cycle
    handed_in = _cycle_reports(cycle)
    services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
    berlin = report_of("Berlin", 2025)
    rendering = ReportPDF.objects.filter(report=berlin, variant=PDFVariant.FULL)
    rendering.update(status=PDFStatus.RENDERING, attempts=1)
    started = rendering.get().started_at
    no_dispatch.clear()
    again = services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
    assert again == services.Rerender(queued=0, under_way=len(handed_in))
    assert no_dispatch == []
    # The running render was not turned back to queued (it would have been thrown away).
    assert rendering.get().status == PDFStatus.RENDERING
    assert rendering.get().started_at == started


def test_rerender_draws_every_pdf_again_even_when_current(
    demo, bureau, django_capture_on_commit_callbacks, monkeypatch
):
    cycle = report_of("Berlin", 2025).cycle
    handed_in = _cycle_reports(cycle)
    with django_capture_on_commit_callbacks(execute=True):
        services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
    assert pdfs.cycle_render_progress(cycle).ready == len(handed_in)
    drawn: list[int] = []
    original = pdfs.render_report_bytes
    monkeypatch.setattr(
        pdfs, "render_report_bytes", lambda r, v: drawn.append(r.pk) or original(r, v)
    )
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
    assert outcome.queued == len(handed_in)
    assert sorted(set(drawn)) == handed_in  # a template change reaches every report


def test_cycle_progress_counts_each_report_once_by_its_worst_pdf(demo, bureau, no_dispatch):
    cycle = report_of("Berlin", 2025).cycle
    handed_in = _cycle_reports(cycle)
    assert pdfs.cycle_render_progress(cycle) == pdfs.CycleRenderProgress(
        total=len(handed_in), ready=0, failed=0, under_way=0, not_rendered=len(handed_in)
    )
    services.rerender_cycle_pdfs(actor=bureau, cycle=cycle)
    first, second, third, *_rest = handed_in
    versions = dict(Report.objects.filter(pk__in=handed_in).values_list("pk", "version"))
    for pk in (first, second):
        ReportPDF.objects.filter(report_id=pk).update(
            status=PDFStatus.READY, rendered_version=versions[pk]
        )
    ReportPDF.objects.filter(report_id=second, variant=PDFVariant.FULL).update(
        status=PDFStatus.FAILED
    )
    ReportPDF.objects.filter(report_id=third).update(
        status=PDFStatus.READY,
        rendered_version=versions[third] - 1,  # out of date
    )
    progress = pdfs.cycle_render_progress(cycle)
    assert progress == pdfs.CycleRenderProgress(
        total=len(handed_in),
        ready=1,
        failed=1,
        under_way=len(handed_in) - 3,
        not_rendered=1,
    )
    assert not progress.finished


# --- The page that waits for a report's PDF -------------------------------------------------


def test_the_waiting_page_polls_and_offers_a_link_without_javascript(
    client, demo, bureau, no_dispatch
):
    report = report_of("Berlin", 2025)
    client.force_login(bureau)
    response = client.get(reverse("reporting:report_pdf", args=[report.pk]))
    assert response.status_code == 202
    body = response.content.decode()
    status_url = reverse("reporting:report_pdf_status", args=[report.pk])
    assert f'hx-get="{status_url}"' in body and 'hx-trigger="every 2s"' in body
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in body
    assert "Check again" in body and "Queued" in body
    assert 'src="/static/js/pdf-download.js"' in body
    assert no_dispatch == [report.pk]  # asked for once


@pytest.mark.parametrize(
    ("state", "shown", "polls"),
    [
        (PDFStatus.QUEUED, "Queued", True),
        (PDFStatus.RENDERING, "Rendering", True),
        (PDFStatus.READY, "Download the PDF", False),
        (PDFStatus.FAILED, "Rendering failed", False),
    ],
)
def test_the_fragment_shows_each_state_and_stops_polling_when_done(
    client, demo, bureau, no_dispatch, state, shown, polls
):
    report = report_of("Berlin", 2025)
    client.force_login(bureau)
    client.get(reverse("reporting:report_pdf", args=[report.pk]))  # queued
    with pdf_in_state(report, PDFVariant.COALITION, state):
        response = client.get(reverse("reporting:report_pdf_status", args=[report.pk]), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="pdf-progress"')  # the fragment alone
    assert shown in body
    assert ("hx-get" in body) is polls
    assert (f'data-state="{state}"') in body
    if state == PDFStatus.READY:
        assert f'href="{reverse("reporting:report_pdf", args=[report.pk])}"' in body
        assert "data-pdf-download" in body


def test_the_json_answer_names_the_state_and_the_download(client, demo, bureau, no_dispatch):
    report = report_of("Berlin", 2025)
    client.force_login(bureau)
    url = reverse("reporting:report_pdf_status", args=[report.pk])
    assert client.get(url).json() == {
        "state": "queued",
        "ready": False,
        "url": None,
        "poll_seconds": 2,
    }
    with pdf_in_state(report, PDFVariant.COALITION, PDFStatus.READY):
        data = client.get(url).json()
        assert data["ready"] and data["url"] == reverse("reporting:report_pdf", args=[report.pk])
        download = client.get(data["url"])
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == b"%PDF-1.4 test"


def test_a_failure_shows_its_error_and_retry_to_staff_only(
    client, demo, bureau, committee_member, no_dispatch
):
    report = report_of("Berlin", 2025)
    client.force_login(committee_member)  # may read the coalition PDF, not manage it
    client.get(reverse("reporting:report_pdf", args=[report.pk]))
    url = reverse("reporting:report_pdf_status", args=[report.pk])
    with pdf_in_state(report, PDFVariant.COALITION, PDFStatus.FAILED):
        body = client.get(url, **HTMX).content.decode()
        assert "Rendering failed" in body
        assert "fonts missing" not in body and "Try again" not in body
        assert "error" not in client.get(url).json()
        client.force_login(bureau)
        body = client.get(url, **HTMX).content.decode()
        assert "fonts missing" in body and "Try again" in body
        assert 'name="then" value="pdf"' in body
        assert client.get(url).json()["error"] == "boom: fonts missing"
        retry = client.post(
            reverse("reporting:report_pdf_retry", args=[report.pk]), {"then": "pdf"}
        )
    assert retry.status_code == 302
    assert retry["Location"] == reverse("reporting:report_pdf", args=[report.pk])


def test_progress_is_for_the_reader_s_own_variant_and_language(
    client, demo, coordinator, no_dispatch
):
    report = report_of("Potsdam", 2024)  # published: the public variant for the public
    url = reverse("reporting:report_pdf_status", args=[report.pk])
    assert client.get(url).json()["state"] == "queued"
    assert ReportPDF.objects.filter(report=report, variant=PDFVariant.PUBLIC).exists()
    with pdf_in_state(report, PDFVariant.PUBLIC, PDFStatus.READY):
        assert client.get(url).json()["ready"]  # the anonymous reader's public PDF
        client.force_login(coordinator)  # the city reads the full one: not ready yet
        assert client.get(url).json()["state"] == "queued"


# --- The cycle dashboard ------------------------------------------------------------------------


def test_staff_start_a_re_render_from_the_dashboard_and_follow_it(
    client, demo, bureau, no_dispatch
):
    cycle = report_of("Berlin", 2025).cycle
    handed_in = _cycle_reports(cycle)
    client.force_login(bureau)
    dashboard = client.get(reverse("reporting:cycle_dashboard", args=[cycle.pk])).content.decode()
    assert reverse("reporting:cycle_pdfs_rerender", args=[cycle.pk]) in dashboard
    assert f"0 of {len(handed_in)} reports ready" in dashboard
    assert "hx-get" not in dashboard.split('id="cycle-pdf-progress"')[1].split(">")[0]
    response = client.post(reverse("reporting:cycle_pdfs_rerender", args=[cycle.pk]))
    assert response.status_code == 302
    assert sorted(no_dispatch) == handed_in
    progress_url = reverse("reporting:cycle_pdfs_progress", args=[cycle.pk])
    fragment = client.get(progress_url, **HTMX).content.decode()
    assert f'hx-get="{progress_url}"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert f"{len(handed_in)} being rendered" in fragment
    ReportPDF.objects.filter(report__cycle=cycle).update(status=PDFStatus.FAILED)
    fragment = client.get(progress_url, **HTMX).content.decode()
    assert "hx-get" not in fragment  # finished: no more polling
    assert f"{len(handed_in)} failed" in fragment
    assert client.get(progress_url).json() == {
        "total": len(handed_in),
        "ready": 0,
        "failed": len(handed_in),
        "under_way": 0,
        "not_rendered": 0,
        "finished": True,
    }


def test_the_committee_sees_the_dashboard_without_the_re_render(client, demo, committee_member):
    cycle = report_of("Berlin", 2025).cycle
    client.force_login(committee_member)
    dashboard = client.get(reverse("reporting:cycle_dashboard", args=[cycle.pk]))
    assert dashboard.status_code == 200
    body = dashboard.content.decode()
    assert "cycle-pdf-progress" not in body
    assert reverse("reporting:cycle_pdfs_rerender", args=[cycle.pk]) not in body
