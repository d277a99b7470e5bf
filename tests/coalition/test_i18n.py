"""Issue 14: five languages, translated content with its authoritative language, right to left."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from pypdf import PdfReader

from coalition.translated import fill_every_language, translated
from members.models import Coalition, Commitment
from members.seed_translations import COALITION_NAMES
from reporting import charts, pdfs, services
from reporting.models import PDFVariant, RubricLevel
from tests.reporting.helpers import report_of

ROOT = Path(__file__).resolve().parents[2]


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_the_portal_speaks_five_languages_arabic_right_to_left():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "de", "es", "ar"]
    with translation.override("ar"):
        assert translation.get_language_bidi()
    assert translation.get_language_info("de")["name_local"] == "Deutsch"


@pytest.mark.django_db
def test_the_language_switch_keeps_the_page_the_person_is_on(client, demo):
    page = "/coalitions/eccar/?tab=plan"
    response = client.post("/i18n/setlang/", {"language": "de", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    html = client.get("/").content.decode()
    assert '<html lang="de" dir="ltr">' in html
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<option value="de" lang="de">Deutsch</option>' in html


@pytest.mark.django_db
def test_seeded_names_and_plan_come_in_every_language(demo):
    eccar = Coalition.objects.get(short_name="ECCAR")
    assert eccar.name_en == "European Coalition of Cities against Racism"
    assert eccar.name_de == "Europäische Städtekoalition gegen Rassismus"
    assert eccar.name_fr == "Coalition européenne des villes contre le racisme"
    assert eccar.name_ar and eccar.name_es
    assert all(c.name_ar for c in Coalition.objects.filter(short_name__in=COALITION_NAMES))
    first = Commitment.objects.get(plan__coalition=eccar, number=1)
    with translation.override("de"):
        assert first.title == "Verstärkte Wachsamkeit gegenüber Rassismus"
    with translation.override("fr"):
        assert RubricLevel.objects.get(score=4).label == "Exemplaire"


@pytest.mark.django_db
def test_a_missing_translation_falls_back_to_the_authoritative_language_marked(demo):
    commitment = Commitment.objects.get(plan__coalition__short_name="ECCAR", number=1)
    commitment.source_language = "en"
    with translation.override("de"):
        title = translated(commitment, "title")
        summary = translated(commitment, "summary")
        assert (title.language, title.is_translation_missing) == ("de", False)
        assert (summary.language, summary.is_translation_missing) == ("en", True)
        assert summary.text == commitment.summary_en
        html = Template('{% load translated_tags %}{% translated c "summary" %}').render(
            Context({"c": commitment})
        )
        note = translation.gettext("(in English)")  # said in German once the catalogue has it
    assert '<bdi lang="en" dir="ltr">' in html
    assert f'class="translation-note">{note}</small>' in html


@pytest.mark.django_db
def test_text_written_in_another_language_falls_back_to_it_never_to_an_empty_string(demo):
    commitment = Commitment(title_de="Nur auf Deutsch", source_language="de")
    with translation.override("en"):
        value = translated(commitment, "title")
        assert commitment.title == "Nur auf Deutsch"  # plain access falls back too
    assert (value.text, value.language, value.is_translation_missing) == (
        "Nur auf Deutsch",
        "de",
        True,
    )


def test_a_sentence_the_portal_words_is_stored_in_each_language_it_is_translated_into():
    commitment = Commitment()
    fill_every_language(commitment, "title", lambda: translation.gettext("Member cities"))
    assert commitment.title_en == "Member cities"
    assert commitment.title_fr == "Villes membres"


@pytest.mark.django_db
def test_a_report_pdf_is_written_in_the_readers_language_arabic_shaped_right_to_left(demo):
    report = report_of("Potsdam", 2025)
    with translation.override("ar"):
        html = pdfs.report_html(report, PDFVariant.FULL)
        data = pdfs.render_report_bytes(report, PDFVariant.FULL)
    assert '<html lang="ar" dir="rtl">' in html
    assert any("Noto-Naskh-Arabic" in font for font in pdf_fonts(data)), pdf_fonts(data)
    text = pdf_text(data)
    # Commitment 7 in Arabic, as the seed has it; pypdf gives back the letters, not the
    # joined glyphs (the font's ToUnicode map), in reading order.
    assert "الوصول العادل إلى السكن" in text
    with translation.override("de"):
        german = pdf_text(pdfs.render_report_bytes(report, PDFVariant.FULL))
    assert "Chancengleichheit auf dem Wohnungsmarkt" in german


def test_the_stylesheets_name_no_physical_side():
    """Logical properties only (margin-inline-start, inset-inline-end, text-align: start):
    the same rules lay a page out left to right and right to left."""
    physical = re.compile(r"\b(left|right)\b", re.I)
    for sheet in (ROOT / "static" / "css").glob("*.css"):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        lines = [line for line in css.splitlines() if physical.search(line)]
        assert not lines, f"{sheet.name}: {lines[:5]}"


@pytest.mark.django_db
def test_a_german_reader_gets_the_report_pdf_in_german_and_the_default_one_stays(demo):
    report = report_of("Potsdam", 2024)  # released: it has its PDFs
    assert services.request_missing_pdfs(report, "de")
    outcome = pdfs.render_report_pdfs(report.pk)
    assert outcome["full-de"] == "ready"
    german = pdfs.current_pdf(report, PDFVariant.FULL, "de")
    assert german.language == "de" and german.is_current
    assert "Chancengleichheit auf dem Wohnungsmarkt" in pdf_text(german.file.read())
    english = pdfs.current_pdf(report, PDFVariant.FULL, "en")
    assert english is not None and english.language == "en"
    # A change to the report draws every language a reader asked for again.
    pdfs.mark_queued(report)
    assert set(report.pdfs.values_list("language", flat=True)) == {"en", "de"}
    assert not report.pdfs.filter(status="ready").exists()


def test_charts_start_on_the_right_in_arabic():
    def chart():
        return charts.bar_chart(
            chart_id="c",
            title="t",
            description="d",
            categories=[("1", "One")],
            series=[("Potsdam", [2.5])],
        )

    with translation.override("en"):
        ltr = str(chart().svg)
    with translation.override("ar"):
        rtl = str(chart().svg)
    assert 'direction="ltr"' in ltr and 'direction="rtl"' in rtl
    # The bar grows from the axis at x=200 rightwards, or from x=440 leftwards (2.5 of 4).
    assert re.search(r'<rect x="200\.0" y="\d+" width="250\.0"', ltr), ltr
    assert re.search(r'<rect x="190\.0" y="\d+" width="250\.0"', rtl), rtl


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "185,000"),
        ("fr", "185\u202f000"),
        ("de", "185.000"),
        ("es", "185\u202f000"),
        ("ar", "185.000"),
    ],
)
def test_a_population_is_grouped_by_thousands_in_every_language(language, expected):
    """Django's Arabic formats have no grouping; coalition/formats/ar adds it."""
    with translation.override(language):
        shown = Template("{% load humanize %}{{ n|intcomma }}").render(Context({"n": 185000}))
    assert shown.replace("\xa0", "\u202f") == expected


@pytest.mark.django_db
def test_a_citys_arabic_text_runs_right_to_left_in_a_german_readers_pdf(demo):
    """WeasyPrint ignores dir="auto": the PDF sets each text's direction from its letters."""
    report = report_of("Potsdam", 2025)
    section = report.sections.order_by("commitment__number").first()
    section.actions = "أنشأت المدينة مرصدًا محليًا."
    section.partners = "Civil society partners, 2025."
    section.save(update_fields=["actions", "partners"])
    with translation.override("de"):
        html = pdfs.report_html(report, PDFVariant.FULL)
    assert '<html lang="de" dir="ltr">' in html
    assert '<div dir="rtl"><p>أنشأت المدينة مرصدًا محليًا.</p></div>' in html
    assert '<div dir="ltr"><p>Civil society partners, 2025.</p></div>' in html
