"""The charts say what the figures say: bar lengths, points and labels read back from the SVG."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import defaultdict

import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format

from coalition.pdf import render_pdf
from reporting import charts, selectors
from reporting.models import RELEASED_STATUSES, SectionScore
from tests.reporting.helpers import report_of

SVG = "{http://www.w3.org/2000/svg}"
# bar_chart's geometry: 640 wide, labels take 200, 40 on the right: 400 for the scale.
PLOT_W = 400


def _parse(chart):
    root = ET.fromstring(str(chart.svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == chart.title
    assert root.find(f"{SVG}desc").text == chart.description
    return root


def _bars(root, series: int):
    """The data bars, in drawing order: every rect but the legend's swatches, drawn last."""
    rects = list(root.iter(f"{SVG}rect"))
    legend = rects[len(rects) - series :]
    assert all(r.get("width") == "12" for r in legend)
    return rects[: len(rects) - series]


def _texts(root) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def _width_of(value: float, max_value: float = 4) -> float:
    return round(PLOT_W * min(value, max_value) / max_value, 1)


def test_bar_lengths_and_labels_match_the_values():
    chart = charts.bar_chart(
        chart_id="t",
        title="Scores",
        description="Test",
        categories=[("1. Vigilance", "1. Vigilance"), ("2. Assessing", "2. Assessing")],
        series=[("Ghent", [3, 1.5]), ("Average", [2.25, 4])],
    )
    root = _parse(chart)
    bars = _bars(root, 2)
    # Category by category, one bar per series.
    assert [float(b.get("width")) for b in bars] == [
        _width_of(3),
        _width_of(2.25),
        _width_of(1.5),
        _width_of(4),
    ]
    assert [b.get("fill") for b in bars] == [charts.PALETTE[0], charts.PALETTE[1]] * 2
    # Each bar is labelled with its value just past its end.
    texts = _texts(root)
    for value in ("3.0", "2.2", "1.5", "4.0"):
        assert value in texts
    assert "1. Vigilance" in texts and "2. Assessing" in texts
    assert "Ghent" in texts and "Average" in texts  # the legend
    assert chart.headers == ["", "Ghent", "Average"]
    assert chart.rows == [["1. Vigilance", "3.0", "2.2"], ["2. Assessing", "1.5", "4.0"]]


def test_a_missing_value_draws_no_bar_and_a_dash_and_too_high_a_value_stops_at_the_scale():
    chart = charts.bar_chart(
        chart_id="t",
        title="Scores",
        description="Test",
        categories=[("A", "A"), ("B", "B")],
        series=[("City", [None, 9])],
    )
    root = _parse(chart)
    bars = _bars(root, 1)
    assert len(bars) == 1 and float(bars[0].get("width")) == PLOT_W
    texts = _texts(root)
    assert "–" in texts and "9.0" in texts
    assert chart.rows == [["A", "–"], ["B", "9.0"]]
    ticks = [t for t in texts if t in {"0", "1", "2", "3", "4"}]
    assert ticks == ["0", "1", "2", "3", "4"]


def test_line_points_sit_at_their_values_and_years():
    chart = charts.line_chart(
        chart_id="t",
        title="By year",
        description="Test",
        x_labels=["2023", "2024", "2025"],
        series=[("City", [1, None, 3]), ("Average", [2, 2.5, 4])],
    )
    root = _parse(chart)

    # 640 by 260, 40 on the left, 20 on the right and top, 60 below: 580 by 180 to plot.
    def y_of(v):
        return round(20 + 180 - 180 * v / 4, 1)

    def x_of(i):
        return round(40 + 580 * i / 2, 1)

    circles = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert circles == [(x_of(0), y_of(1)), (x_of(2), y_of(3))]  # the missing year is skipped
    squares = [
        (round(float(r.get("x")) + 4, 1), round(float(r.get("y")) + 4, 1))
        for r in root.iter(f"{SVG}rect")
        if r.get("width") == "8"
    ]
    assert squares == [(x_of(0), y_of(2)), (x_of(1), y_of(2.5)), (x_of(2), y_of(4))]
    texts = _texts(root)
    assert {"2023", "2024", "2025", "1.0", "3.0", "2.0", "2.5", "4.0"} <= set(texts)
    assert chart.rows == [["2023", "1.0", "2.0"], ["2024", "–", "2.5"], ["2025", "3.0", "4.0"]]


@pytest.mark.django_db
def test_the_dashboard_chart_draws_the_average_of_the_released_scores(demo):
    cycle = report_of("Potsdam", 2024).cycle
    by_number = defaultdict(list)
    for number, score in SectionScore.objects.filter(
        section__report__cycle=cycle,
        section__report__status__in=RELEASED_STATUSES,
        score__isnull=False,
    ).values_list("section__commitment__number", "score"):
        by_number[number].append(score)
    assert by_number, "the demo has released evaluations in 2024"
    commitments = selectors.commitments_of(cycle)
    chart = selectors.averages_chart(cycle)
    bars = _bars(_parse(chart), 1)
    expected = [sum(by_number[c.number]) / len(by_number[c.number]) for c in commitments]
    assert [float(b.get("width")) for b in bars] == [_width_of(v) for v in expected]
    # The table's figures as the reader's locale writes them (number_format, one decimal).
    assert [row[1] for row in chart.rows] == [number_format(v, 1) for v in expected]
    assert [row[0] for row in chart.rows] == [f"{c.number}. {c.title}" for c in commitments]


@pytest.mark.django_db
def test_a_citys_bars_are_its_own_scores_beside_the_average(demo):
    report = report_of("Potsdam", 2024)
    own = selectors.report_scores(report)
    assert own
    averages = selectors.commitment_averages(report.cycle)
    comparison, trend = selectors.city_charts(report, public=False, own_released=True)
    commitments = selectors.commitments_of(report.cycle)
    widths = [float(b.get("width")) for b in _bars(_parse(comparison), 2)]
    expected = []
    for c in commitments:
        for value in (own.get(c.number), averages.get(c.number)):
            if value is not None:
                expected.append(_width_of(value))
    assert widths == expected
    # The trend's point for 2024 is the city's average over its commitments.
    year_row = next(row for row in trend.rows if row[0] == "2024")
    assert year_row[1] == number_format(sum(own.values()) / len(own), 1)


def test_an_arabic_chart_names_an_arabic_face_first():
    """WeasyPrint draws the PDF charts' text with the first face: in Arabic, Naskh."""
    with translation.override("ar"):
        svg = "".join(charts._open_svg("c", "t", "d", 100, 100))
    assert f'font-family="{charts.FONT_RTL}"' in svg
    assert charts.FONT_RTL.startswith("Noto Naskh Arabic")
    with translation.override("de"):
        assert f'font-family="{charts.FONT}"' in "".join(charts._open_svg("c", "t", "d", 1, 1))


ARABIC_LETTER = re.compile("[\u0600-\u06ff]")


def test_an_arabic_legend_is_html_beside_the_svg_and_pdf_text_keeps_its_letters_joined():
    """WeasyPrint lays out SVG text letter by letter: Arabic in it would come out unjoined and
    reversed. Right to left the legend is an HTML list beside the SVG; left to right it stays
    in the SVG."""
    args = {
        "chart_id": "c",
        "title": "t",
        "description": "d",
        "categories": [("1", "One")],
        "series": [("الدار البيضاء", [2.5]), ("متوسط التحالف", [3.0])],
    }
    with translation.override("ar"):
        chart = charts.bar_chart(**args)
        html = render_to_string("reporting/includes/chart.html", {"chart": chart})
    texts = _texts(_parse(chart))
    assert not [t for t in texts if ARABIC_LETTER.search(t or "")], texts
    assert chart.legend == [(0, "الدار البيضاء"), (1, "متوسط التحالف")]
    assert html.count('class="chart-swatch chart-swatch-') == 2
    assert "<li>" in html and "الدار البيضاء" in html
    pdf = pypdf.PdfReader(
        io.BytesIO(render_pdf(f'<html lang="ar" dir="rtl"><body>{html}</body></html>'))
    )
    assert "متوسط" in pdf.pages[0].extract_text()  # drawn as a word, not letter by letter
    with translation.override("en"):
        ltr = charts.bar_chart(**args)
    assert ltr.legend == [] and "الدار البيضاء" in _texts(_parse(ltr))
