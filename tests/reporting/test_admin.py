"""Reports in the admin are read-only: their state changes only through the services."""

from __future__ import annotations

import pytest

from reporting.models import Report


@pytest.fixture
def berlin(demo):
    return Report.objects.filter(city__name="Berlin").order_by("-cycle__year").first()


def test_the_secretariat_cannot_publish_a_reports_scores_in_the_admin(client, secretariat, berlin):
    url = f"/admin/reporting/report/{berlin.pk}/change/"
    client.force_login(secretariat)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    response = client.post(url, {"publish_scores": "on", "questions": "Changed in the admin"})
    assert response.status_code == 403
    berlin.refresh_from_db()
    assert (berlin.publish_scores, berlin.questions) == (False, "")


def test_administrators_cannot_change_a_reports_state_in_the_admin_either(
    client, administrator, berlin
):
    client.force_login(administrator)
    url = f"/admin/reporting/report/{berlin.pk}/change/"
    assert client.get(url).context["has_change_permission"] is False
    assert client.post(url, {"publish_scores": "on"}).status_code == 403
    berlin.refresh_from_db()
    assert berlin.publish_scores is False


def test_another_coalitions_secretariat_cannot_open_eccars_reports(client, other_secretariat):
    client.force_login(other_secretariat)
    assert not client.get("/admin/reporting/report/").context["cl"].queryset.exists()
