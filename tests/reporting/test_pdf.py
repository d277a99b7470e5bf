"""PDFs: the safe renderer, content, variants, hostile text, the task and the command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from coalition.pdf import PDF_BASE_URL, RefusedURL, StaticOnlyURLFetcher, render_pdf, resolve_static
from reporting import pdfs, services
from reporting.models import PDFStatus, PDFVariant, ReportPDF, Visibility
from tests.reporting.helpers import (
    COALITION,
    PUBLIC,
    SECRET,
    evaluate_and_release,
    fill,
    report_of,
    set_visibility,
)

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd">',
    '<link href="http://127.0.0.1:9/">',
]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/",
        "https://example.org/static/css/portal.css",
        "data:image/png;base64,iVBORw0KGgo=",
        f"{PDF_BASE_URL}etc/passwd",
        f"{PDF_BASE_URL}static/../../../etc/passwd",
        f"{PDF_BASE_URL}static/%2e%2e/%2e%2e/settings.py",
        f"{PDF_BASE_URL}static/css/../../coalition/settings/base.py",
        f"{PDF_BASE_URL}static/css/portal.css?x=1",
        f"{PDF_BASE_URL}static/no-such-file.css",
        "/etc/passwd",
    ],
)
def test_the_fetcher_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        resolve_static(url)
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_the_portal_static_files():
    response = StaticOnlyURLFetcher().fetch(f"{PDF_BASE_URL}static/img/logo.svg")
    assert b"<svg" in response.read()
    assert response.content_type == "image/svg+xml"


def test_markup_reaching_weasyprint_fetches_nothing_outside_static():
    fetcher = StaticOnlyURLFetcher()
    html = (
        '<html><body><p>Hi</p><img src="file:///etc/passwd">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
        f'<img src="{PDF_BASE_URL}static/img/logo.svg"></body></html>'
    )
    data = render_pdf(html, url_fetcher=fetcher)
    assert data.startswith(b"%PDF")
    assert set(fetcher.refused) == {"file:///etc/passwd", "http://127.0.0.1:9/x.css"}
    assert "root:" not in pdf_text(data)


def test_pdf_renders_arabic_and_cyrillic_text():
    data = render_pdf(
        "<html><body style='font-family: DejaVu Sans'><p>Привет, Казань</p>"
        "<p dir='rtl'>الدار البيضاء</p></body></html>"
    )
    text = pdf_text(data)
    assert "Казань" in text
    assert "البيضاء" in text or "ءاضيبلا" in text


@pytest.mark.django_db
def test_report_pdf_holds_city_year_and_every_commitment_title(coordinator):
    report = report_of("Potsdam", 2025)
    text = squash(pdf_text(pdfs.render_report_bytes(report, PDFVariant.FULL)))
    assert "Potsdam" in text and "2025" in text
    for commitment in report.cycle.plan.commitments.all():
        assert squash(commitment.title) in text


@pytest.mark.django_db
def test_hostile_text_is_shown_as_text_in_the_page_and_the_pdf(client, coordinator, monkeypatch):
    report = report_of("Potsdam", 2025)
    section = report.sections.get(commitment__number=2)
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"actions": "\n".join(HOSTILE), "partners": HOSTILE[1]},
    )
    client.force_login(coordinator)
    body = client.get(report.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body
    assert '<img src="file:///etc/passwd">' not in body
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in body

    asked: list[str] = []
    original = StaticOnlyURLFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyURLFetcher, "fetch", spy)
    text = squash(pdf_text(pdfs.render_report_bytes(report, PDFVariant.FULL)))
    for hostile in HOSTILE:
        assert squash(hostile) in text
    assert asked and all(url.startswith(f"{PDF_BASE_URL}static/") for url in asked)


@pytest.mark.django_db
def test_each_pdf_variant_holds_only_what_its_readers_may_see(coordinator, bureau, secretariat):
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    set_visibility(report, coordinator, 9, Visibility.PUBLIC, actions=PUBLIC)
    set_visibility(report, coordinator, 1, Visibility.COALITION, actions=COALITION)
    set_visibility(report, coordinator, 3, Visibility.SECRETARIAT, actions=SECRET)
    services.submit_report(actor=coordinator, report=report)
    services.transmit_report(actor=bureau, report=report)
    evaluate_and_release(report, secretariat)
    services.publish_report(actor=coordinator, report=report, publish_scores=False)
    report.refresh_from_db()
    texts = {v: squash(pdf_text(pdfs.render_report_bytes(report, v))) for v in PDFVariant.values}
    assert SECRET in texts["full"] and COALITION in texts["full"] and PUBLIC in texts["full"]
    assert SECRET not in texts["coalition"] and COALITION in texts["coalition"]
    assert SECRET not in texts["public"] and COALITION not in texts["public"]
    assert PUBLIC in texts["public"]
    assert "Feedback 9" in texts["coalition"] and "Feedback 3" not in texts["coalition"]
    assert "Feedback" not in texts["public"]  # the scores only, and only with consent


@pytest.mark.django_db
def test_committee_downloads_the_coalition_pdf_without_secret_sections(
    client, coordinator, committee_member, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)
    fill(report, coordinator)
    set_visibility(report, coordinator, 3, Visibility.SECRETARIAT, actions=SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(actor=coordinator, report=report)
    client.force_login(committee_member)
    response = client.get(reverse("reporting:report_pdf", args=[report.pk]))
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    text = squash(pdf_text(data))
    assert "Potsdam" in text and SECRET not in text
    client.force_login(coordinator)
    own = b"".join(client.get(reverse("reporting:report_pdf", args=[report.pk])).streaming_content)
    assert SECRET in squash(pdf_text(own))


@pytest.mark.django_db
def test_render_task_is_idempotent_and_rerenders_after_a_change(
    coordinator, bureau, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(actor=coordinator, report=report)
    pdf = ReportPDF.objects.get(report=report, variant=PDFVariant.FULL)
    assert pdf.status == PDFStatus.READY
    report.refresh_from_db()
    assert pdf.rendered_version == report.version
    assert pdfs.render_report_pdfs(report.pk) == {"full": "skipped", "coalition": "skipped"}
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit_report(actor=bureau, report=report)
    pdf.refresh_from_db()
    report.refresh_from_db()
    assert pdf.status == PDFStatus.READY and pdf.rendered_version == report.version


@pytest.mark.django_db
def test_a_failed_render_is_recorded_for_staff_and_can_be_retried(
    client, coordinator, secretariat, monkeypatch, django_capture_on_commit_callbacks
):
    report = report_of("Potsdam", 2025)

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(pdfs, "render_report_bytes", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(actor=coordinator, report=report)
    pdf = ReportPDF.objects.get(report=report, variant=PDFVariant.FULL)
    assert pdf.status == PDFStatus.FAILED and "fonts missing" in pdf.error
    client.force_login(secretariat)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "fonts missing" in page and "Render the PDFs again" in page
    client.force_login(coordinator)
    assert "fonts missing" not in client.get(report.get_absolute_url()).content.decode()
    monkeypatch.undo()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_pdf_retry", args=[report.pk]))
    pdf.refresh_from_db()
    assert pdf.status == PDFStatus.READY


@pytest.mark.django_db
def test_consolidated_cycle_pdf_lists_every_city_and_no_report_text(
    client, secretariat, django_capture_on_commit_callbacks
):
    cycle = report_of("Potsdam", 2024).cycle
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(reverse("reporting:cycle_pdf", args=[cycle.pk]))
    response = (
        first
        if first.status_code == 200
        else client.get(reverse("reporting:cycle_pdf", args=[cycle.pk]))
    )
    assert response.status_code == 200
    text = squash(pdf_text(b"".join(response.streaming_content)))
    for report in cycle.reports.select_related("city"):
        assert squash(report.city.name) in text
    assert "Average score per commitment" in text
    assert "The city funded" not in text  # demo section text stays out


@pytest.mark.django_db
def test_render_report_pdf_command_writes_the_file(tmp_path, coordinator):
    out = tmp_path / "potsdam.pdf"
    call_command("render_report_pdf", city="potsdam", year=2024, output=str(out))
    text = squash(pdf_text(out.read_bytes()))
    assert "Potsdam" in text and "2024" in text


def pdf_font_names(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.django_db
def test_text_in_the_scripts_of_member_cities_is_drawn_with_real_glyphs(coordinator):
    """Coalitions span Thai, Arabic, Japanese... cities: the PDF needs fonts for them.

    Without a font for a script, the PDF would silently show empty boxes.
    """
    report = report_of("Potsdam", 2025)
    section = report.sections.get(commitment__number=1)
    words = {
        "Thai": "กรุงเทพมหานคร",
        "CJK": "川崎市の多文化共生",
        "Arabic": "الدار البيضاء",
    }
    services.save_section(
        actor=coordinator,
        section=section,
        expected_version=section.version,
        data={"actions": "\n".join(words.values())},
    )
    data = pdfs.render_report_bytes(report, PDFVariant.FULL)
    fonts = " ".join(pdf_font_names(data))
    for script in ("Thai", "CJK"):
        assert script in fonts, f"no {script} font embedded: {fonts}"
    text = pdf_text(data)
    assert words["CJK"] in text


def test_a_score_run_puts_each_commitment_in_a_column_of_its_own():
    assert pdfs.score_run([1, None, 4, 0]) == "   1    –    4    0"
    assert pdfs.score_run([2.25, None]) == " 2.2    –"
    header, row = pdfs.score_run(range(1, 11)), pdfs.score_run([3] * 10)
    assert len(header) == len(row)
    assert [i for i, c in enumerate(header) if c == "0"][-1] == len(row) - 1


@pytest.mark.django_db
def test_the_consolidated_evaluation_prints_each_citys_scores_in_commitment_order(
    client, secretariat
):
    cycle = report_of("Potsdam", 2024).cycle
    context = pdfs.cycle_context(cycle)
    html = pdfs.cycle_html(cycle)
    for row in context["rows"]:
        assert row["score_run"] == pdfs.score_run(row["score_list"])
        assert f'<td class="run">{row["score_run"]}</td>' in html
    assert context["header_run"].split() == [str(c.number) for c in context["commitments"]]
