"""Staff of another coalition walk the whole admin and find nothing of ECCAR's they can change.

ACCAR's bureau and secretariat open every changelist, every change page of a
sample of ECCAR's objects (and post the full form back to it), every add form
(its foreign-key choices and autocomplete answers, and a post naming ECCAR's
objects), the role action and the import. ECCAR's own bureau walks the same
changelists as a control: there, ECCAR's objects are found.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.forms import ModelChoiceField
from django.forms.models import model_to_dict

from governance.models import CommitteeSeat
from members.models import City, Coalition, Membership, Role
from tests.html_forms import form_values

OTHERS = ["other_bureau", "other_secretariat"]
SAMPLE = 3
#: Choices that are open on purpose: any city may apply to join a coalition. The new
#: membership is the applying coalition's own, and ECCAR's hold on the city is intact
#: (test_a_city_of_eccar_may_only_apply_to_join_another_coalition).
OPEN_CHOICES = {("members.membership", "city")}


def eccar_lookups(eccar: Coalition) -> dict[str, Q]:
    """What is ECCAR's, model by model, written here independently of the code under test."""
    people = Q(pk__in=Role.objects.current().filter(coalition=eccar).values("user")) | Q(
        pk__in=Role.objects.current()
        .filter(city__memberships__coalition=eccar, city__memberships__status="member")
        .values("user")
    )
    people |= Q(
        pk__in=CommitteeSeat.objects.current()
        .filter(coalition=eccar, representative__isnull=False)
        .values("representative")
    )
    return {
        "coalition.user": people,
        "members.coalition": Q(pk=eccar.pk),
        "members.planofaction": Q(coalition=eccar),
        "members.city": Q(memberships__coalition=eccar),
        "members.membership": Q(coalition=eccar),
        "members.membershipstatuschange": Q(membership__coalition=eccar),
        "members.role": Q(coalition=eccar) | Q(city__memberships__coalition=eccar),
        "governance.committeeseat": Q(coalition=eccar),
        "governance.decisionrule": Q(coalition=eccar),
        "governance.admissionapplication": Q(coalition=eccar),
        "governance.committeevote": Q(coalition=eccar),
        "governance.ballot": Q(vote__coalition=eccar),
        "governance.comment": Q(vote__coalition=eccar),
        "governance.votereminder": Q(vote__coalition=eccar),
        "governance.exclusionproposal": Q(coalition=eccar),
        "governance.membershipdecision": Q(membership__coalition=eccar),
        "reporting.reportingcycle": Q(coalition=eccar),
        "reporting.report": Q(cycle__coalition=eccar),
        "reporting.reportpdf": Q(report__cycle__coalition=eccar),
        "reporting.cyclepdf": Q(cycle__coalition=eccar),
    }


def eccar_ids(model, lookups) -> set:
    lookup = lookups.get(model._meta.label_lower)
    if lookup is None:
        return set()
    return set(model._default_manager.filter(lookup).values_list("pk", flat=True).distinct())


def admin_url(model, suffix: str = "") -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{suffix}"


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(short_name="ECCAR")


@pytest.mark.parametrize("persona", OTHERS)
def test_changelists_of_another_coalitions_staff_hold_nothing_of_eccars(
    client, request, eccar, persona
):
    lookups = eccar_lookups(eccar)
    client.force_login(request.getfixturevalue(persona))
    shown = {}
    for model in admin.site._registry:
        response = client.get(admin_url(model))
        assert response.status_code in (200, 403), (model, response.status_code)
        if response.status_code == 200:
            listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
            shown[model._meta.label_lower] = listed & eccar_ids(model, lookups)
    assert shown, "the persona opened no changelist at all"
    assert not {label: ids for label, ids in shown.items() if ids}


def test_eccars_own_bureau_finds_eccars_objects_in_the_same_changelists(client, bureau, eccar):
    """The control: the walk above would see ECCAR's objects if the scope let them through."""
    lookups = eccar_lookups(eccar)
    client.force_login(bureau)
    found = set()
    for model in admin.site._registry:
        response = client.get(admin_url(model))
        if response.status_code == 200:
            listed = set(response.context["cl"].queryset.values_list("pk", flat=True))
            if listed & eccar_ids(model, lookups):
                found.add(model._meta.label_lower)
    assert {"members.membership", "members.role", "governance.committeeseat"} <= found


@pytest.mark.parametrize("persona", OTHERS)
def test_change_pages_of_eccars_objects_neither_open_nor_save_for_another_coalitions_staff(
    client, request, administrator, eccar, persona
):
    lookups = eccar_lookups(eccar)
    user = request.getfixturevalue(persona)
    problems, tried = [], 0
    for model in admin.site._registry:
        for pk in sorted(eccar_ids(model, lookups))[:SAMPLE]:
            url = admin_url(model, f"{pk}/change/")
            client.force_login(administrator)
            page = client.get(url)
            if page.status_code != 200:
                continue
            payload = form_values(page)
            before = model_to_dict(model._default_manager.get(pk=pk))
            client.force_login(user)
            tried += 1
            if client.get(url).status_code == 200:
                problems.append(f"{url} opens")
            response = client.post(url, payload)
            if response.status_code == 302 and response["Location"] != "/admin/":
                problems.append(f"{url} saved: {response['Location']}")
            if model_to_dict(model._default_manager.get(pk=pk)) != before:
                problems.append(f"{url} changed")
    assert tried > 20
    assert not problems


def add_forms(client):
    """(model, url, form) for every add form the signed-in person may open."""
    for model in admin.site._registry:
        url = admin_url(model, "add/")
        response = client.get(url)
        if response.status_code == 200:
            yield model, url, response


@pytest.mark.parametrize("persona", OTHERS)
def test_add_forms_offer_and_accept_nothing_of_eccars_to_another_coalitions_staff(
    client, request, eccar, persona
):
    lookups = eccar_lookups(eccar)
    client.force_login(request.getfixturevalue(persona))
    offered, accepted, fields = [], [], 0
    for model, url, page in add_forms(client):
        form = page.context["adminform"].form
        for name, field in form.fields.items():
            if not isinstance(field, ModelChoiceField):
                continue
            related = field.queryset.model
            theirs = eccar_ids(related, lookups)
            if not theirs or (model._meta.label_lower, name) in OPEN_CHOICES:
                continue
            fields += 1
            if set(field.queryset.values_list("pk", flat=True)) & theirs:
                offered.append(f"{url} {name}")
            payload = {**form_values(page), name: str(min(theirs))}
            count = model._default_manager.count()
            response = client.post(url, payload)
            if response.status_code != 200 or name not in response.context["adminform"].form.errors:
                accepted.append(f"{url} {name}: {response.status_code}")
            assert model._default_manager.count() == count
    if persona == "other_bureau":
        assert fields >= 5  # roles, seats, plans, decision rules, memberships
    assert not offered
    assert not accepted


def autocomplete_fields():
    for model, model_admin in admin.site._registry.items():
        for name in model_admin.autocomplete_fields:
            yield model, name
        for inline in model_admin.inlines:
            for name in inline.autocomplete_fields:
                yield inline.model, name


@pytest.mark.parametrize("persona", OTHERS)
def test_autocomplete_answers_nothing_of_eccars_to_another_coalitions_staff(
    client, request, eccar, persona
):
    lookups = eccar_lookups(eccar)
    client.force_login(request.getfixturevalue(persona))
    leaks = []
    for model, name in autocomplete_fields():
        if (model._meta.label_lower, name) in OPEN_CHOICES:
            continue
        related = model._meta.get_field(name).remote_field.model
        response = client.get(
            "/admin/autocomplete/",
            {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": name,
                "term": "",
            },
        )
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            ids = {int(r["id"]) for r in response.json()["results"]}
            if ids & eccar_ids(related, lookups):
                leaks.append(f"{model._meta.label}.{name}")
    assert not leaks


def test_the_bureaus_autocomplete_finds_the_people_of_its_coalition(client, bureau, coordinator):
    client.force_login(bureau)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "members", "model_name": "role", "field_name": "user", "term": "Corinna"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(coordinator.pk)]


def test_autocomplete_offers_what_the_form_accepts(client, bureau):
    """Any city may apply to join: the membership form's city search finds another's."""
    client.force_login(bureau)
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "members",
            "model_name": "membership",
            "field_name": "city",
            "term": "Bamako",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Bamako"]
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "members", "model_name": "role", "field_name": "city", "term": "Bamako"},
    )
    assert response.json()["results"] == []


def test_another_coalitions_bureau_cannot_end_eccars_roles_by_the_action(
    client, other_bureau, bureau, coordinator
):
    roles = Role.objects.filter(user__in=[bureau, coordinator])
    client.force_login(other_bureau)
    client.post(
        "/admin/members/role/",
        {"action": "end_roles_today", "_selected_action": [r.pk for r in roles]},
    )
    assert not Role.objects.filter(pk__in=roles, ends_on__isnull=False).exists()


def test_another_coalitions_bureau_cannot_import_into_eccar(client, other_bureau):
    csv = (
        "name,country,region,coalition,latitude,longitude,population,joined_on,status,website\n"
        "Bern,CH,,ECCAR,,,,,excluded,\n"
        "Nairobi,KE,,ACCAR,,,5000000,,member,\n"
    )
    client.force_login(other_bureau)
    response = client.post(
        "/admin/members/city/import/",
        {"file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv")},
    )
    assert response.status_code == 200
    assert [e.line for e in response.context["result"].errors] == [2]
    assert "ECCAR" in str(response.context["result"].errors[0])
    assert Membership.objects.get(city__name="Bern", coalition__short_name="ECCAR").status == (
        "member"
    )


def test_another_coalitions_bureau_cannot_correct_a_city_of_eccar_by_import(client, other_bureau):
    csv = (
        "name,country,region,coalition,latitude,longitude,population,joined_on,status,website\n"
        "Bern,CH,,,,,1,,,\n"
    )
    client.force_login(other_bureau)
    response = client.post(
        "/admin/members/city/import/",
        {"file": SimpleUploadedFile("c.csv", csv.encode(), content_type="text/csv")},
    )
    assert [e.line for e in response.context["result"].errors] == [2]
    assert City.objects.get(name="Bern").population == 134_000


def test_a_city_of_eccar_may_only_apply_to_join_another_coalition(client, other_bureau, bureau):
    bern = City.objects.get(name="Bern")
    accar = Coalition.objects.get(short_name="ACCAR")
    client.force_login(other_bureau)
    data = form_values(client.get("/admin/members/membership/add/"))
    data.update(city=str(bern.pk), coalition=str(accar.pk), status="member", reason="Ours now")
    response = client.post("/admin/members/membership/add/", data)
    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    data["status"] = "applicant"
    assert client.post("/admin/members/membership/add/", data).status_code == 302
    application = Membership.objects.get(city=bern, coalition=accar)
    assert application.status == "applicant"
    # Being asked to join ACCAR leaves Bern ECCAR's to correct, and not ACCAR's.
    url = f"/admin/members/city/{bern.pk}/change/"
    assert client.get(url).context["has_change_permission"] is False
    change = f"/admin/members/membership/{application.pk}/change/"
    data = form_values(client.get(change))
    data.update(new_status="member", reason="Admitted by us")
    response = client.post(change, data)
    assert "new_status" in response.context["adminform"].form.errors
    client.force_login(bureau)
    assert client.get(url).context["has_change_permission"] is True
