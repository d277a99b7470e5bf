"""Every PDF the portal renders is tagged (PDF/UA-1): structure, language and title read back.

The PDF is parsed with pypdf: the catalogue says the document is marked, holds a structure
tree whose elements name the headings, lists and tables of the HTML, the document language
is the reader's, and the title shown by viewers is the document's own.
"""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.utils import translation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject

from coalition.pdf import render_pdf
from governance import convocations, declarations
from governance.demo import DECLARATION_TITLE, NEXT_ASSEMBLY_TITLE
from governance.models import AssemblySession, Motion
from reporting import pdfs, services
from reporting.models import PDFVariant
from tests.reporting.helpers import report_of


@pytest.fixture(autouse=True)
def no_pdfua_faults(caplog):
    """WeasyPrint logs each PDF/UA fault it meets (an image without alt text, no lang)."""
    yield
    faults = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert not [r for r in caplog.records if r.name == "weasyprint" and r.levelno >= 40], faults


def structure_of(data: bytes) -> tuple[PdfReader, Counter]:
    """The reader and how many structure elements of each type (/S) the PDF holds."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    counts: Counter = Counter()
    stack = [root["/StructTreeRoot"].get_object()]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, ArrayObject):
            stack.extend(item.get_object() for item in node)
            continue
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        if "/S" in node:
            counts[str(node["/S"])] += 1
        if "/K" in node:
            stack.append(node["/K"].get_object())
    return reader, counts


def assert_tagged(data: bytes, *, language: str, title: str) -> Counter:
    reader, counts = structure_of(data)
    root = reader.trailer["/Root"]
    marked = root["/MarkInfo"]["/Marked"]
    assert isinstance(marked, BooleanObject) and marked.value is True
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == language
    display_title = root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert isinstance(display_title, BooleanObject) and display_title.value is True
    assert reader.metadata is not None and reader.metadata.title == title
    assert counts["/Document"] == 1
    # The XMP says which part of ISO 14289 it claims.
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    return counts


def test_markup_becomes_structure_headings_lists_and_tables():
    data = render_pdf(
        '<!DOCTYPE html><html lang="es"><head><title>Informe</title></head><body>'
        "<h1>Informe</h1><h2>Compromiso 1</h2><ul><li>Una</li><li>Dos</li></ul>"
        "<table><thead><tr><th>Indicador</th></tr></thead><tbody><tr><td>3</td></tr></tbody>"
        "</table></body></html>"
    )
    counts = assert_tagged(data, language="es", title="Informe")
    assert counts["/H1"] == 1 and counts["/H2"] == 1
    assert counts["/L"] == 1 and counts["/LI"] == 2
    assert counts["/Table"] == 1 and counts["/TH"] == 1 and counts["/TD"] == 1
    assert counts["/TR"] == 2


def _with_list_and_table(report, coordinator):
    """An indicator table in section 1 (through the service the editor uses)."""
    section = report.sections.get(commitment__number=1)
    services.save_indicators(
        actor=coordinator,
        section=section,
        rows=[
            {
                "id": None,
                "name": "Complaints handled",
                "unit": "cases",
                "baseline": 10,
                "target": 30,
                "value": 25,
                "source": "Ombuds office",
            }
        ],
    )
    report.refresh_from_db()
    return report


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("de", "Jahresbericht"), ("ar", "التقرير السنوي")])
def test_a_report_pdf_is_tagged_in_the_readers_language(demo, coordinator, language, title):
    report = _with_list_and_table(report_of("Potsdam", 2025), coordinator)
    with translation.override(language):
        html = pdfs.report_html(report, PDFVariant.COALITION)
        data = pdfs.render_report_bytes(report, PDFVariant.COALITION)
        expected_title = translation.gettext("%(city)s: annual report %(cycle)s") % {
            "city": report.city.name,
            "cycle": report.cycle,
        }
    # The report has what must reach the structure: a list, a table, headings.
    assert "<ul" in html and "<table" in html and "<h2>" in html
    counts = assert_tagged(data, language=language, title=expected_title)
    assert title in expected_title  # the title is in the reader's language
    assert counts["/H1"] == 1 and counts["/H2"] >= 1
    assert counts["/L"] >= 1 and counts["/LI"] >= 1
    assert counts["/Table"] >= 1 and counts["/TH"] >= 6 and counts["/TD"] >= 6
    assert counts["/TR"] >= 2
    assert counts["/Figure"] >= 1


@pytest.mark.django_db
@pytest.mark.parametrize("variant", PDFVariant.values)
def test_every_report_variant_is_tagged(demo, variant):
    report = report_of("Potsdam", 2024)
    with translation.override("fr"):
        data = pdfs.render_report_bytes(report, variant)
    reader, counts = structure_of(data)
    assert str(reader.trailer["/Root"]["/Lang"]) == "fr"
    assert counts["/H1"] == 1 and counts["/H2"] >= 1


@pytest.mark.django_db
def test_the_consolidated_evaluation_is_tagged_with_its_tables(demo):
    report = report_of("Potsdam", 2024)
    with translation.override("ar"):
        html = pdfs.cycle_html(report.cycle)
        data = render_pdf(html)
        title = translation.gettext("Annual evaluation %(cycle)s") % {"cycle": report.cycle}
    counts = assert_tagged(data, language="ar", title=title)
    assert counts["/H1"] == 1 and counts["/H2"] >= 4
    assert counts["/Table"] >= 3 and counts["/TH"] >= 6 and counts["/TD"] >= 6


@pytest.mark.django_db
def test_the_convocation_is_tagged_with_its_lists(demo):
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    with translation.override("de"):
        data = render_pdf(convocations.convocation_html(session))
        title = translation.gettext("Convocation: %(title)s") % {"title": session.title}
    counts = assert_tagged(data, language="de", title=title)
    assert counts["/H1"] == 1 and counts["/H2"] >= 2
    assert counts["/L"] >= 1 and counts["/LI"] >= 2


@pytest.mark.django_db
def test_the_declaration_is_tagged_in_its_authoritative_language(demo):
    motion = Motion.objects.get(title=DECLARATION_TITLE)
    data = render_pdf(declarations.declaration_html(motion))
    counts = assert_tagged(data, language=motion.language, title=motion.title)
    assert counts["/H1"] == 1
