"""A cycle's drafts exist from the day the bureau opens it, but open for editing on its date."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reporting import services
from reporting.models import ReportingCycle
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def later_report(coordinator):
    report = report_of("Potsdam", 2025)
    opens_on = timezone.localdate() + dt.timedelta(days=10)
    ReportingCycle.objects.filter(pk=report.cycle_id).update(
        opens_on=opens_on, due_on=opens_on + dt.timedelta(days=60)
    )
    return report_of("Potsdam", 2025)


def opening(report) -> str:
    return date_format(report.cycle.opens_on, "DATE_FORMAT")


def test_editor_refuses_a_draft_before_its_cycle_opens_saying_when(
    client, coordinator, later_report
):
    client.force_login(coordinator)
    response = client.get(reverse("reporting:report_edit", args=[later_report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == later_report.get_absolute_url()
    content = response.content.decode()
    assert f"opens on {opening(later_report)}" in content
    assert reverse("reporting:report_edit", args=[later_report.pk]) not in content


def test_autosave_and_services_refuse_before_the_opening_date(client, coordinator, later_report):
    section = later_report.sections.get(commitment__number=1)
    with pytest.raises(services.ReportNotOpenError):
        services.save_section(
            actor=coordinator,
            section=section,
            expected_version=section.version,
            data={"actions": "x"},
        )
    with pytest.raises(services.ReportNotOpenError):
        services.submit_report(actor=coordinator, report=later_report)
    client.force_login(coordinator)
    prefix = f"s{section.pk}"
    response = client.post(
        reverse("reporting:section_save", args=[later_report.pk, section.pk]),
        {
            f"{prefix}-version": section.version,
            f"{prefix}-visibility": section.visibility,
            f"{prefix}-actions": "Typed early",
        },
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert opening(later_report) in response.json()["message"]
    section.refresh_from_db()
    assert section.actions != "Typed early"


def test_my_reports_says_when_a_draft_opens(client, coordinator, later_report):
    client.force_login(coordinator)
    content = client.get(reverse("reporting:my_reports")).content.decode()
    assert f"Opens on {opening(later_report)}" in content
    assert reverse("reporting:report_edit", args=[later_report.pk]) not in content


def test_on_the_opening_date_the_draft_is_editable(client, coordinator, later_report):
    ReportingCycle.objects.filter(pk=later_report.cycle_id).update(opens_on=timezone.localdate())
    client.force_login(coordinator)
    response = client.get(reverse("reporting:report_edit", args=[later_report.pk]))
    assert response.status_code == 200
