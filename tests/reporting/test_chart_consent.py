"""Charts shown on a report use only what each city agreed to publish.

A report's page and PDFs (whoever reads them) draw every coalition figure from the scores
of the public sections of reports published with their scores, and only where at least
PUBLIC_AGGREGATE_MIN_CITIES cities published one; the city's own line holds its published
scores only, unless the reader may see its whole evaluation. The staff's cycle dashboard
keeps every released evaluation. The expected figures are computed here from the rows,
independently of the selectors.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from statistics import mean

import pytest
from django.urls import reverse

from reporting import pdfs, services
from reporting.charts import _fmt
from reporting.models import (
    RELEASED_STATUSES,
    PDFVariant,
    Report,
    ReportStatus,
    SectionScore,
    Visibility,
)
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


def consented(score: SectionScore) -> bool:
    report = score.section.report
    return (
        report.status == ReportStatus.PUBLISHED
        and report.publish_scores
        and score.section.visibility == Visibility.PUBLIC
    )


def all_scores() -> list[SectionScore]:
    return list(
        SectionScore.objects.filter(score__isnull=False).select_related(
            "section__commitment", "section__report__cycle"
        )
    )


def expected_charts(report: Report, *, own_released: bool, min_cities: int):
    """(comparison rows, trend rows) as the charts' tables should hold them."""
    coalition_id, year = report.cycle.coalition_id, report.cycle.year
    scores = [s for s in all_scores() if s.section.report.cycle.coalition_id == coalition_id]
    published = [s for s in scores if consented(s)]

    def average(rows: list[SectionScore], *, minimum: int = 1) -> float | None:
        cities = {s.section.report.city_id for s in rows}
        return mean(s.score for s in rows) if rows and len(cities) >= minimum else None

    def own(s: SectionScore) -> bool:
        if s.section.report.city_id != report.city_id:
            return False
        if own_released:
            return s.section.report.status in RELEASED_STATUSES
        return consented(s)

    comparison = []
    for c in report.cycle.plan.commitments.order_by("number"):

        def of_this(s: SectionScore, number: int = c.number) -> bool:
            return s.section.report.cycle.year == year and s.section.commitment.number == number

        mine = [s for s in scores if of_this(s) and own(s) and s.section.report_id == report.pk]
        comparison.append(
            [
                f"{c.number}. {c.title}",
                _fmt(mine[0].score if mine else None),
                _fmt(average([s for s in published if of_this(s)], minimum=min_cities)),
            ]
        )
    by_year: dict[int, dict[str, list]] = defaultdict(lambda: {"city": [], "coalition": []})
    for s in scores:
        if own(s):
            by_year[s.section.report.cycle.year]["city"].append(s)
        if consented(s):
            by_year[s.section.report.cycle.year]["coalition"].append(s)
    trend = []
    for y in sorted(by_year):
        city = average(by_year[y]["city"])
        coalition = average(by_year[y]["coalition"], minimum=min_cities)
        if city is not None or coalition is not None:
            trend.append([str(y), _fmt(city), _fmt(coalition)])
    return comparison, trend


def charts_on_page(client, report: Report):
    response = client.get(reverse("reporting:report_detail", args=[report.pk]))
    assert response.status_code == 200
    return response.context["comparison"], response.context["trend"], response.content.decode()


def test_every_chart_of_every_published_report_holds_only_what_cities_published(
    client, demo, settings
):
    reports = list(Report.objects.with_context().published().filter(publish_scores=True))
    assert len(reports) >= 4
    for report in reports:
        comparison, trend, _html = charts_on_page(client, report)
        expected = expected_charts(
            report, own_released=False, min_cities=settings.PUBLIC_AGGREGATE_MIN_CITIES
        )
        assert (comparison.rows, trend.rows) == expected, report
        pdf_comparison = pdfs.report_context(report, PDFVariant.PUBLIC)["comparison"]
        assert pdf_comparison.rows == expected[0], report


def test_the_city_reads_all_its_own_scores_beside_the_published_coalition_figures(
    client, coordinator, settings
):
    report = report_of("Potsdam", 2024)  # published without its scores
    assert report.status == ReportStatus.PUBLISHED and not report.publish_scores
    client.force_login(coordinator)
    comparison, trend, _html = charts_on_page(client, report)
    expected = expected_charts(
        report, own_released=True, min_cities=settings.PUBLIC_AGGREGATE_MIN_CITIES
    )
    assert (comparison.rows, trend.rows) == expected
    assert pdfs.report_context(report, PDFVariant.FULL)["comparison"].rows == expected[0]


def test_a_published_reports_trend_leaves_out_the_citys_unpublished_later_report(client, demo):
    report = report_of("Heidelberg", 2024)
    later = report_of("Heidelberg", 2025)
    assert report.publish_scores and later.status == ReportStatus.RELEASED
    _comparison, trend, _html = charts_on_page(client, report)
    assert [row[0] for row in trend.rows] == ["2024"]


def test_a_coalition_average_of_too_few_cities_is_hidden_and_explained(
    client, demo, coordinator, settings
):
    for name in ("Esch-sur-Alzette", "Karlsruhe"):  # two of the four who published scores
        services.publish_report(
            actor=coordinator, report=report_of(name, 2024), publish_scores=False
        )
    report = report_of("Heidelberg", 2024)
    comparison, trend, html = charts_on_page(client, report)
    assert {row[2] for row in comparison.rows} == {"–"}  # Heidelberg and Rotterdam only
    assert {row[2] for row in trend.rows} == {"–"}
    assert "shown only where at least 3 cities published theirs" in html
    assert comparison.note and trend.note

    settings.PUBLIC_AGGREGATE_MIN_CITIES = 2
    comparison, _trend, html = charts_on_page(client, report)
    assert comparison.rows == expected_charts(report, own_released=False, min_cities=2)[0]
    # Shown for the eight public commitments; 3 and 10 are secretariat-only in the demo.
    hidden = [row[0] for row in comparison.rows if row[2] == "–"]
    assert [label.split(".")[0] for label in hidden] == ["3", "10"]


def test_the_staff_dashboard_keeps_every_released_evaluation(client, secretariat):
    report = report_of("Heidelberg", 2024)
    client.force_login(secretariat)
    response = client.get(
        reverse("reporting:cycle_dashboard", args=[report.cycle_id]), {"city": "heidelberg"}
    )
    released = [
        s
        for s in all_scores()
        if s.section.report.cycle_id == report.cycle_id
        and s.section.report.status in RELEASED_STATUSES
        and s.section.commitment.number == 1
    ]
    assert response.context["comparison"].rows[0][2] == _fmt(mean(s.score for s in released))
    assert not response.context["comparison"].note


@pytest.mark.parametrize("value", ["1", "0", "-3", "many"])
def test_a_minimum_below_two_cities_stops_the_start(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PUBLIC_AGGREGATE_MIN_CITIES": value},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "PUBLIC_AGGREGATE_MIN_CITIES" in result.stderr


def test_a_city_withdrawing_its_scores_outdates_the_pdfs_that_printed_them(coordinator):
    heidelberg = report_of("Heidelberg", 2024)
    pdfs.render_report_pdfs(heidelberg.pk)
    assert all(pdf.is_current for pdf in heidelberg.pdfs.select_related("report"))
    before = pdfs.report_context(heidelberg, PDFVariant.PUBLIC)["comparison"].rows

    services.publish_report(
        actor=coordinator, report=report_of("Rotterdam", 2024), publish_scores=False
    )
    heidelberg.refresh_from_db()
    assert not any(pdf.is_current for pdf in heidelberg.pdfs.select_related("report"))
    after = pdfs.report_context(heidelberg, PDFVariant.PUBLIC)["comparison"].rows
    assert after != before  # three cities left: the averages move (or hide)
    assert pdfs.render_report_pdfs(heidelberg.pk) == dict.fromkeys(
        [PDFVariant.FULL, PDFVariant.COALITION, PDFVariant.PUBLIC], "ready"
    )
