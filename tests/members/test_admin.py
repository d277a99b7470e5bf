"""The members admin: status changes through the service, the import view, roles."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalition.models import AuditEvent
from members.models import City, Coalition, Membership, PlanOfAction, Role, RoleKind
from tests.factories import UserFactory
from tests.html_forms import form_values


@pytest.fixture
def potsdam_membership(demo):
    return Membership.objects.get(city__name="Potsdam", coalition__short_name="ECCAR")


def change_url(membership) -> str:
    return f"/admin/members/membership/{membership.pk}/change/"


def test_status_change_from_the_admin_records_history(client, bureau, potsdam_membership):
    client.force_login(bureau)
    page = client.get(change_url(potsdam_membership))
    assert page.status_code == 200
    data = form_values(page)
    data.update(new_status="suspended", reason="No annual report for two years")
    response = client.post(change_url(potsdam_membership), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    potsdam_membership.refresh_from_db()
    assert potsdam_membership.status == "suspended"
    last = potsdam_membership.history.order_by("changed_at", "id").last()
    assert (last.from_status, last.to_status) == ("member", "suspended")
    assert last.reason == "No annual report for two years"
    assert last.changed_by == bureau


def test_admin_status_change_without_a_reason_is_refused_on_the_field(
    client, bureau, potsdam_membership
):
    client.force_login(bureau)
    data = form_values(client.get(change_url(potsdam_membership)))
    data.update(new_status="suspended", reason="")
    response = client.post(change_url(potsdam_membership), data)
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    potsdam_membership.refresh_from_db()
    assert potsdam_membership.status == "member"


def test_admin_offers_only_allowed_transitions(client, bureau, potsdam_membership):
    client.force_login(bureau)
    form = client.get(change_url(potsdam_membership)).context["adminform"].form
    offered = {value for value, _ in form.fields["new_status"].choices if value}
    assert offered == {"suspended", "withdrawn", "excluded"}


def test_status_is_not_directly_editable(client, bureau, potsdam_membership):
    client.force_login(bureau)
    data = form_values(client.get(change_url(potsdam_membership)))
    data["status"] = "excluded"
    client.post(change_url(potsdam_membership), data)
    potsdam_membership.refresh_from_db()
    assert potsdam_membership.status == "member"


def test_adding_a_membership_goes_through_the_service(client, bureau, demo):
    client.force_login(bureau)
    bamako = City.objects.get(name="Bamako")
    data = form_values(client.get("/admin/members/membership/add/"))
    data.update(
        city=str(bamako.pk),
        coalition=str(Coalition.objects.get(short_name="ECCAR").pk),
        status="applicant",
        reason="Letter from the mayor",
    )
    response = client.post("/admin/members/membership/add/", data)
    assert response.status_code == 302
    membership = Membership.objects.get(city=bamako, coalition__short_name="ECCAR")
    entry = membership.history.get()
    assert (entry.to_status, entry.reason, entry.changed_by) == (
        "applicant",
        "Letter from the mayor",
        bureau,
    )


def test_admin_refuses_a_second_current_membership(client, bureau, potsdam_membership):
    client.force_login(bureau)
    data = form_values(client.get("/admin/members/membership/add/"))
    data.update(
        city=str(potsdam_membership.city_id),
        coalition=str(potsdam_membership.coalition_id),
        status="applicant",
        reason="Twice",
    )
    response = client.post("/admin/members/membership/add/", data)
    assert response.status_code == 200
    assert "already has a current membership" in response.content.decode()


def test_history_is_read_only_in_the_admin(client, administrator, potsdam_membership):
    client.force_login(administrator)
    entry = potsdam_membership.history.first()
    url = f"/admin/members/membershipstatuschange/{entry.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b'name="reason"' not in page.content
    assert client.get("/admin/members/membershipstatuschange/add/").status_code == 403


@pytest.mark.parametrize(
    "page",
    [
        "/admin/members/city/?q=potsdam",
        "/admin/members/city/?country=DE",
        "/admin/members/coalition/?q=eccar",
        "/admin/members/planofaction/",
        "/admin/members/membership/?status=member&coalition__id__exact=1",
        "/admin/members/membership/?overdue=yes",
        "/admin/members/role/?current=yes",
        "/admin/members/membershipstatuschange/",
    ],
)
def test_admin_lists_search_and_filter(client, bureau, page):
    client.force_login(bureau)
    assert client.get(page).status_code == 200


def test_admin_change_pages_open(client, bureau, demo):
    client.force_login(bureau)
    for url in (
        f"/admin/members/city/{City.objects.get(name='Potsdam').pk}/change/",
        f"/admin/members/coalition/{Coalition.objects.get(short_name='ECCAR').pk}/change/",
        f"/admin/members/planofaction/{PlanOfAction.objects.get(coalition__short_name='ECCAR').pk}/change/",
        "/admin/members/city/add/",
        "/admin/members/role/add/",
    ):
        assert client.get(url).status_code == 200, url


def test_correcting_a_city_in_the_admin_is_audited(client, bureau, demo):
    client.force_login(bureau)
    city = City.objects.get(name="Potsdam")
    url = f"/admin/members/city/{city.pk}/change/"
    data = form_values(client.get(url))
    data["population"] = "190000"
    assert client.post(url, data).status_code == 302
    city.refresh_from_db()
    assert city.population == 190000
    assert AuditEvent.objects.filter(verb="city.updated", object_id=city.pk, actor=bureau).exists()


def test_staff_grant_a_role_in_the_admin_through_the_service(client, administrator, demo):
    client.force_login(administrator)
    person = UserFactory(email="new.coordinator@example.org")
    data = form_values(client.get("/admin/members/role/add/"))
    data.update(
        user=str(person.pk),
        kind=RoleKind.COORDINATOR,
        city=str(City.objects.get(name="Ghent").pk),
        starts_on="2025-01-01",
        contact_public="on",
    )
    response = client.post("/admin/members/role/add/", data)
    assert response.status_code == 302
    role = Role.objects.get(user=person)
    assert role.granted_by == administrator and role.contact_public


def test_role_without_its_city_is_refused_on_the_field(client, administrator, demo):
    client.force_login(administrator)
    data = form_values(client.get("/admin/members/role/add/"))
    data.update(user=str(UserFactory().pk), kind=RoleKind.DELEGATE, starts_on="2025-01-01")
    response = client.post("/admin/members/role/add/", data)
    assert response.status_code == 200
    assert "city" in response.context["adminform"].form.errors


def test_end_roles_action(client, administrator, delegate):
    client.force_login(administrator)
    role = Role.objects.get(user=delegate)
    response = client.post(
        "/admin/members/role/",
        {"action": "end_roles_today", "_selected_action": [role.pk]},
    )
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ends_on is not None


# --- the import view ---------------------------------------------------------------

CSV = (
    "name,country,region,coalition,latitude,longitude,population,joined_on,status,website\n"
    "Tromsø,NO,Troms,ECCAR,69.6492,18.9553,77000,2024-05-01,member,\n"
)
BAD_CSV = CSV + "Nowhere,XX,,NOPE,,,,,,\n"


def upload(client, text: str, dry_run: bool):
    data = {"file": SimpleUploadedFile("cities.csv", text.encode(), content_type="text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/admin/members/city/import/", data)


def test_import_view_dry_run_previews_and_writes_nothing(client, bureau):
    client.force_login(bureau)
    page = client.get("/admin/members/city/import/")
    assert page.status_code == 200
    response = upload(client, CSV, dry_run=True)
    assert response.status_code == 200
    assert response.context["result"].cities["created"] == 1
    assert b"Dry run" in response.content
    assert not City.objects.filter(name="Tromsø").exists()


def test_import_view_imports(client, bureau):
    client.force_login(bureau)
    response = upload(client, CSV, dry_run=False)
    assert response.status_code == 302
    membership = Membership.objects.get(city__name="Tromsø")
    assert membership.history.get().changed_by == bureau


def test_import_view_lists_every_bad_line_and_imports_nothing(client, bureau):
    client.force_login(bureau)
    response = upload(client, BAD_CSV, dry_run=False)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing imported" in content
    assert "unknown country" in content and "unknown coalition" in content
    assert [e.line for e in response.context["result"].errors] == [3]
    assert not City.objects.filter(name="Tromsø").exists()


def test_import_view_without_a_file_says_so_on_the_field(client, bureau):
    client.force_login(bureau)
    response = client.post("/admin/members/city/import/", {})
    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_import_view_names_a_nul_byte_instead_of_failing(client, bureau):
    client.force_login(bureau)
    response = upload(client, CSV + "Nul\x00town,DE,,,,,,,,\n", dry_run=False)
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [3]
    assert "control character" in response.content.decode()
    assert not City.objects.filter(name="Tromsø").exists()
