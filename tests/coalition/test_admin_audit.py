"""Edits made in Django's admin reach the portal's audit log, in the admin's transaction."""

from __future__ import annotations

import pytest

from coalition.models import AuditEvent
from members.models import Coalition, PlanOfAction
from reporting.models import RubricLevel
from tests.html_forms import form_values


def events(verb: str):
    return AuditEvent.objects.filter(verb=verb).order_by("id")


def test_changing_a_coalition_in_the_admin_is_audited_with_the_changed_fields(
    client, administrator
):
    eccar = Coalition.objects.get(slug="eccar")
    client.force_login(administrator)
    url = f"/admin/members/coalition/{eccar.pk}/change/"
    data = form_values(client.get(url))
    data["office_seat"] = "Heidelberg"
    assert client.post(url, data).status_code == 302

    event = events("admin.members.coalition_changed").get()
    assert event.actor == administrator
    assert event.object_id == str(eccar.pk)
    assert event.data["changes"] == [{"changed": {"fields": ["Seat of the office"]}}]
    assert event.message == "Changed Seat of the office."


def test_an_unchanged_save_is_recorded_as_such(client, administrator):
    plan = PlanOfAction.objects.get(coalition__slug="eccar")
    client.force_login(administrator)
    url = f"/admin/members/planofaction/{plan.pk}/change/"
    assert client.post(url, form_values(client.get(url))).status_code == 302
    event = events("admin.members.planofaction_changed").get()
    assert event.message == "No fields changed."


def test_making_someone_staff_in_the_admin_is_audited(client, administrator, outsider):
    client.force_login(administrator)
    url = f"/admin/coalition/user/{outsider.pk}/change/"
    data = form_values(client.get(url))
    data["is_staff"] = "on"
    for empty_multiple_choice in ("groups", "user_permissions"):
        data.pop(empty_multiple_choice)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    outsider.refresh_from_db()
    assert outsider.is_staff
    event = events("admin.coalition.user_changed").get()
    assert event.actor == administrator
    assert "Staff status" in event.message


def test_deleting_in_the_admin_is_audited_before_the_row_goes(client, administrator):
    level = RubricLevel.objects.get(score=4)
    client.force_login(administrator)
    response = client.post(f"/admin/reporting/rubriclevel/{level.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RubricLevel.objects.filter(pk=level.pk).exists()
    event = events("admin.reporting.rubriclevel_deleted").get()
    assert event.object_id == str(level.pk)
    assert event.object_repr == str(level)


def test_adding_a_group_in_the_admin_is_audited(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/auth/group/add/", {"name": "Translators"})
    assert response.status_code == 302
    assert events("admin.auth.group_added").get().object_repr == "Translators"


@pytest.mark.django_db(transaction=True)
def test_a_failed_admin_save_leaves_no_audit_record(client, administrator, monkeypatch):
    """The record is written in the admin's transaction: no change, no record."""

    def broken(*args, **kwargs):
        raise RuntimeError("the audit log is unavailable")

    eccar = Coalition.objects.get(slug="eccar")
    client.force_login(administrator)
    url = f"/admin/members/coalition/{eccar.pk}/change/"
    data = form_values(client.get(url))
    data["office_seat"] = "Heidelberg"
    monkeypatch.setattr("coalition.audit.AuditEvent.objects.create", broken)
    client.raise_request_exception = False
    assert client.post(url, data).status_code == 500
    eccar.refresh_from_db()
    assert eccar.office_seat == "Potsdam"
