"""Transmitting reports to the secretariat is confirmed: a page without JavaScript, a dialog
with it (docs/architecture.md); a POST without `confirmed` changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reporting.models import ReportStatus
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo):
    report = report_of("Berlin", 2025)
    assert report.status == ReportStatus.SUBMITTED
    return report


def test_transmit_asks_first_and_a_bare_post_changes_nothing(client, bureau, submitted):
    client.force_login(bureau)
    url = reverse("reporting:transmit", args=[submitted.pk])
    page = client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "Transmit Berlin's report to the secretariat?" in content
    assert 'name="confirmed" value="1"' in content
    bare = client.post(url)
    assert bare.status_code == 302 and bare["Location"] == url
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    done = client.post(url, {"confirmed": "1"})
    assert done["Location"] == reverse("reporting:cycle_review", args=[submitted.cycle_id])
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.TRANSMITTED


def test_transmit_of_a_report_not_waiting_says_so(client, bureau, submitted):
    client.force_login(bureau)
    url = reverse("reporting:transmit", args=[submitted.pk])
    client.post(url, {"confirmed": "1"})
    again = client.get(url, follow=True)
    assert "not waiting to be transmitted" in again.content.decode()


def test_transmit_all_lists_the_reports_and_asks(client, bureau, submitted):
    client.force_login(bureau)
    cycle = submitted.cycle
    waiting = set(cycle.reports.filter(status=ReportStatus.SUBMITTED).values_list("pk", flat=True))
    url = reverse("reporting:transmit_all", args=[cycle.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Berlin" in page.content.decode()
    client.post(url)
    assert cycle.reports.filter(pk__in=waiting, status=ReportStatus.SUBMITTED).count() == len(
        waiting
    )
    client.post(url, {"confirmed": "1"})
    assert not cycle.reports.filter(status=ReportStatus.SUBMITTED).exists()
    empty = client.get(url, follow=True)
    assert "No submitted report is waiting" in empty.content.decode()


def test_review_page_buttons_carry_the_dialog_question(client, bureau, submitted):
    client.force_login(bureau)
    page = client.get(reverse("reporting:cycle_review", args=[submitted.cycle_id])).content
    assert b"data-confirm=\"Transmit Berlin's report to the secretariat?" in page
    assert b"button--danger" in page
