"""A coordinator asks for a PDF that is not ready, in real Chromium: progress, then the download
on the same page (htmx polls; nothing reloads)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from reporting import pdfs
from reporting.models import PDFStatus, PDFVariant, ReportPDF
from tests.reporting.helpers import report_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_renders(monkeypatch):
    """The PDF is queued but no task runs (the test draws it when it chooses, as a worker)."""
    held: list[int] = []
    monkeypatch.setattr(pdfs, "dispatch_report", held.append)
    return held


def test_a_coordinator_gets_a_pdf_not_yet_ready_without_reloading(
    page, live_server, demo, sign_in, held_renders, axe
):
    report = report_of("Potsdam", 2024)  # published: the city reads the full PDF
    status_url = reverse("reporting:report_pdf_status", args=[report.pk])
    looks: list[str] = []  # the page's requests for the PDF's progress
    page.on("request", lambda r: looks.append(r.url) if status_url in r.url else None)
    sign_in(page, "coordinator", then=f"{live_server.url}{report.get_absolute_url()}")
    page.get_by_role("link", name="Get the PDF").click()
    progress = page.locator("#pdf-progress")
    expect(progress).to_contain_text("Queued")
    assert held_renders == [report.pk]
    axe(page, context="PDF waiting page (queued)")
    page.evaluate("() => { window.stayedOnThePage = true; }")
    address = page.url

    ReportPDF.objects.filter(report=report, variant=PDFVariant.FULL, language="en").update(
        status=PDFStatus.RENDERING
    )
    expect(progress).to_contain_text("Rendering", timeout=15_000)  # the next poll shows it
    ReportPDF.objects.filter(report=report).update(status=PDFStatus.QUEUED)
    with page.expect_download(timeout=120_000) as download_info:
        pdfs.render_report_pdfs(report.pk)  # what the worker does
    download = download_info.value
    expect(progress).to_have_attribute("data-state", "ready")
    ready_at, asked = time.monotonic(), len(looks)
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(Path(download.path())).pages).split()
    )
    assert "Potsdam" in text and "2024" in text
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()
    assert page.evaluate("() => window.stayedOnThePage === true")  # never reloaded
    assert page.url == address
    axe(page, context="PDF waiting page (ready)")
    # The page stopped asking once ready: no look in the 3 s (1.5 polls) after the ready
    # answer, the checks above counted in them rather than a fixed wait after them.
    page.wait_for_timeout(max(0, 3_000 - (time.monotonic() - ready_at) * 1000))
    assert held_renders == [report.pk]
    assert asked and len(looks) == asked, f"{len(looks) - asked} look(s) after the PDF was ready"


def test_the_waiting_page_in_french_passes_axe(page, live_server, demo, sign_in, held_renders, axe):
    report = report_of("Potsdam", 2024)
    sign_in(page, "coordinator")  # in English (the form's labels), then in French
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/reports/{report.pk}/pdf/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#pdf-progress")).to_have_attribute("data-state", re.compile("queued"))
    axe(page, context="PDF waiting page (fr)")
