"""Fixed query counts: the good-practice library, the city profile block, the dashboard."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import City
from reporting.models import Indicator, Report, ReportSection, ReportStatus, Visibility
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


def _publish_more_practices(count: int) -> None:
    """Turn more 2024 sections into approved, public good practices of published reports."""
    sections = list(
        ReportSection.objects.filter(report__status=ReportStatus.PUBLISHED)
        .exclude(good_practice_approved_at__isnull=False)
        .order_by("pk")[:count]
    )
    for i, section in enumerate(sections):
        section.good_practice = True
        section.good_practice_title = f"Practice {i}"
        section.good_practice_summary = "Summary"
        section.good_practice_approved_at = timezone.now()
        section.visibility = Visibility.PUBLIC
    ReportSection.objects.bulk_update(
        sections,
        [
            "good_practice",
            "good_practice_title",
            "good_practice_summary",
            "good_practice_approved_at",
            "visibility",
        ],
    )


def _count(callable_) -> int:
    with CaptureQueriesContext(connection) as ctx:
        callable_()
    return len(ctx.captured_queries)


def test_good_practice_library_costs_the_same_for_few_and_many(client, demo):
    url = reverse("reporting:good_practice_list")
    client.get(url)  # warm caches (content types, sessions)
    _publish_more_practices(3)
    few = _count(lambda: client.get(url + "?q=Practice"))
    _publish_more_practices(60)
    many = _count(lambda: client.get(url + "?q=Practice"))
    assert few == many
    response = client.get(url + "?q=Practice")
    assert response.context["page"].paginator.count >= 20  # paginated
    assert len(response.context["page"].object_list) == 20


def test_city_reporting_block_costs_a_fixed_number_of_queries(demo):
    potsdam = City.objects.get(name="Potsdam")
    template = Template("{% load reporting_tags %}{% city_reporting city %}")
    html = template.render(Context({"city": potsdam}))
    assert "Annual reports" in html
    first = _count(lambda: template.render(Context({"city": potsdam})))
    _publish_more_practices(40)
    Report.objects.filter(city=potsdam).update(status=ReportStatus.PUBLISHED)
    later = _count(lambda: template.render(Context({"city": potsdam})))
    assert first == later <= 4


def test_city_profile_shows_published_public_sections_only(client, demo):
    report = report_of("Potsdam", 2024)
    secret = (
        report.sections.filter(visibility=Visibility.SECRETARIAT)
        .select_related("commitment")
        .first()
    )
    body = client.get(reverse("members:city_detail", args=["potsdam"])).content.decode()
    assert "Annual reports" in body
    assert "Report ECCAR 2024" in body
    assert f"#section-{secret.pk}" not in body


def test_dashboard_panels_show_my_report_and_the_cycles(client, coordinator, secretariat):
    client.force_login(coordinator)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Annual report ECCAR 2025: Potsdam" in body
    assert "Status: Draft" in body
    client.force_login(secretariat)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Reporting cycle ECCAR 2025" in body and "to evaluate" in body


def _add_indicators(report, per_section: int) -> None:
    Indicator.objects.bulk_create(
        Indicator(section=section, name=f"Indicator {i}", value=i, position=i)
        for section in report.sections.all()
        for i in range(per_section)
    )


def test_a_section_page_costs_the_same_with_few_and_many_indicators(client, coordinator):
    report = report_of("Potsdam", 2025)
    section = report.sections.order_by("commitment__number").first()
    url = reverse("reporting:section_edit", args=[report.pk, section.pk])
    client.force_login(coordinator)
    client.get(url)  # warm caches
    _add_indicators(report, 1)
    few = _count(lambda: client.get(url))
    _add_indicators(report, 12)
    many = _count(lambda: client.get(url))
    assert few == many


def test_the_report_page_and_the_dashboard_cost_the_same_with_many_indicators(
    client, coordinator, secretariat
):
    submitted = report_of("Berlin", 2025)
    client.force_login(secretariat)
    page = submitted.get_absolute_url()
    dashboard = reverse("reporting:cycle_dashboard", args=[submitted.cycle_id])
    client.get(page)
    client.get(dashboard)
    _add_indicators(submitted, 1)
    few = (_count(lambda: client.get(page)), _count(lambda: client.get(dashboard)))
    for other in Report.objects.filter(cycle=submitted.cycle).exclude(status=ReportStatus.DRAFT):
        _add_indicators(other, 8)
    many = (_count(lambda: client.get(page)), _count(lambda: client.get(dashboard)))
    assert few == many
    body = client.get(dashboard).content.decode()
    assert "Indicators reported per commitment" in body
