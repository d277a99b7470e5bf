"""Staff cannot widen their own powers in the admin; role and accession edits are audited."""

from __future__ import annotations

import pytest

from coalition.models import AuditEvent
from members import services
from members.models import ChosenAction, City, Coalition, Membership, Role, RoleKind
from tests.factories import UserFactory
from tests.html_forms import form_values

ADD = "/admin/members/role/add/"


def grant_form(client, **values) -> dict:
    data = form_values(client.get(ADD))
    data.update(starts_on="2025-01-01", **{k: str(v) for k, v in values.items()})
    return data


def form_errors(response) -> dict:
    assert response.status_code == 200, response.get("Location")
    return response.context["adminform"].form.errors


def test_bureau_cannot_grant_herself_the_coordinator_role_of_a_city(client, bureau):
    bern = City.objects.get(name="Bern")
    client.force_login(bureau)
    response = client.post(
        ADD, grant_form(client, user=bureau.pk, kind="coordinator", city=bern.pk)
    )
    assert "user" in form_errors(response)
    assert not Role.objects.filter(user=bureau, kind=RoleKind.COORDINATOR).exists()


def test_bureau_cannot_grant_the_secretariat_role(client, bureau):
    eccar = Coalition.objects.get(short_name="ECCAR")
    client.force_login(bureau)
    person = UserFactory()
    response = client.post(
        ADD, grant_form(client, user=person.pk, kind="secretariat", coalition=eccar.pk)
    )
    assert "kind" in form_errors(response)
    assert not Role.objects.filter(user=person).exists()


def test_bureau_cannot_grant_a_bureau_role_of_another_coalition(client, bureau):
    accar = Coalition.objects.get(short_name="ACCAR")
    client.force_login(bureau)
    person = UserFactory()
    response = client.post(
        ADD, grant_form(client, user=person.pk, kind="bureau", coalition=accar.pk)
    )
    assert "coalition" in form_errors(response)
    assert not Role.objects.filter(user=person).exists()


def test_bureau_grants_her_coalitions_roles_to_others(client, bureau):
    eccar = Coalition.objects.get(short_name="ECCAR")
    bern = City.objects.get(name="Bern")
    client.force_login(bureau)
    focal, colleague = UserFactory(), UserFactory()
    for person, values in (
        (focal, {"kind": "coordinator", "city": bern.pk}),
        (colleague, {"kind": "bureau", "coalition": eccar.pk}),
    ):
        response = client.post(ADD, grant_form(client, user=person.pk, **values))
        assert response.status_code == 302, response.context["adminform"].form.errors
        role = Role.objects.get(user=person)
        assert AuditEvent.objects.filter(verb="role.granted", object_id=role.pk).exists()


def test_bureau_cannot_grant_a_role_for_a_city_another_coalition_shares(
    client, bureau, administrator
):
    bern = City.objects.get(name="Bern")
    services.create_membership(
        actor=administrator,
        city=bern,
        coalition=Coalition.objects.get(short_name="ACCAR"),
        signed_on=None,
    )
    client.force_login(bureau)
    response = client.post(
        ADD, grant_form(client, user=UserFactory().pk, kind="coordinator", city=bern.pk)
    )
    assert "city" in form_errors(response)


def test_staff_cannot_lengthen_or_end_their_own_role(client, bureau):
    role = Role.objects.get(user=bureau, kind=RoleKind.BUREAU)
    url = f"/admin/members/role/{role.pk}/change/"
    client.force_login(bureau)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    client.post(url, {"starts_on": "2000-01-01", "ends_on": "2099-12-31"})
    client.post("/admin/members/role/", {"action": "end_roles_today", "_selected_action": role.pk})
    role.refresh_from_db()
    assert (str(role.starts_on), role.ends_on) == ("2024-01-01", None)


def test_correcting_a_role_in_the_admin_is_audited_with_before_and_after(
    client, administrator, delegate
):
    role = Role.objects.get(user=delegate)
    url = f"/admin/members/role/{role.pk}/change/"
    client.force_login(administrator)
    data = form_values(client.get(url))
    data.update(ends_on="2030-06-30", contact_public="on")
    assert client.post(url, data).status_code == 302
    role.refresh_from_db()
    assert str(role.ends_on) == "2030-06-30" and role.contact_public
    event = AuditEvent.objects.get(verb="role.updated", object_id=role.pk)
    assert event.actor == administrator
    assert event.data["before"] == {"ends_on": "None", "contact_public": "False"}
    assert event.data["after"] == {"ends_on": "2030-06-30", "contact_public": "True"}
    assert AuditEvent.objects.filter(verb="admin.members.role_changed", object_id=role.pk).exists()


@pytest.fixture
def potsdam(demo):
    return Membership.objects.get(city__name="Potsdam", coalition__short_name="ECCAR")


def test_editing_the_act_of_accession_in_the_admin_is_audited(client, bureau, potsdam):
    url = f"/admin/members/membership/{potsdam.pk}/change/"
    client.force_login(bureau)
    data = form_values(client.get(url))
    rows = int(data["chosen_actions-TOTAL_FORMS"])
    assert rows > 0
    before = data["chosen_actions-0-description"]
    commitment = potsdam.plan.commitments.get(number=3)
    data["chosen_actions-0-description"] = "A counselling office for victims, open daily"
    data.update(
        {
            "chosen_actions-TOTAL_FORMS": str(rows + 1),
            f"chosen_actions-{rows}-commitment": str(commitment.pk),
            f"chosen_actions-{rows}-description": "Legal aid for victims of discrimination",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ChosenAction.objects.filter(membership=potsdam, commitment=commitment).exists()

    event = AuditEvent.objects.get(verb="admin.members.membership_changed", object_id=potsdam.pk)
    assert event.actor == bureau
    assert "chosen action" in event.message
    changed, added = event.data["inlines"]
    assert changed["before"] == {"description": before}
    assert changed["after"] == {"description": "A counselling office for victims, open daily"}
    assert added["added"]["description"] == "Legal aid for victims of discrimination"
    assert added["added"]["commitment"] == str(commitment)


def test_another_coalitions_bureau_cannot_edit_eccars_act_of_accession(
    client, other_bureau, potsdam
):
    url = f"/admin/members/membership/{potsdam.pk}/change/"
    actions = list(ChosenAction.objects.filter(membership=potsdam).values_list("description"))
    client.force_login(other_bureau)
    response = client.post(url, {"chosen_actions-TOTAL_FORMS": "1"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert list(ChosenAction.objects.filter(membership=potsdam).values_list("description")) == (
        actions
    )
