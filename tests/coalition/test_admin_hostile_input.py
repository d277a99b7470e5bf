"""Hostile values in the admin's list filters and add forms answer a normal page, never a 500.

The list filters run against PostgreSQL (which refuses NUL characters in text, and
where the 500s were found): the test skips without DATABASE_URL. The add forms'
foreign-key and autocomplete fields are swept on any database: Django's
autocomplete widget looked the refused value up again to re-render it.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db.models import Q
from django.forms import ModelChoiceField
from django.test import RequestFactory

from coalition.models import User
from tests.html_forms import form_values

# --- List filters (PostgreSQL) ------------------------------------------------------

FILTER_VALUES = {
    "nul": "abc\x00def",
    "negative year": "-5",
    "huge": "99999999999999999999",
    "text": "abc",
}


def filter_parameters(model, model_admin) -> list[str]:
    """The query parameters a changelist's filters, date hierarchy, search and sorting read."""
    names = {"q", "o", "p", "e"}
    for item in model_admin.list_filter:
        if isinstance(item, str | tuple):
            path = item if isinstance(item, str) else item[0]
            field = model._meta.get_field(path.split("__")[0])
            if field.is_relation:
                names |= {f"{path}__id__exact", f"{path}__isnull"}
            else:
                names |= {path, f"{path}__exact", f"{path}__gte", f"{path}__isnull"}
        else:
            names.add(item.parameter_name)
    if model_admin.date_hierarchy:
        names |= {f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")}
    return sorted(names)


@pytest.mark.parametrize("label", sorted(model._meta.label_lower for model in admin.site._registry))
def test_admin_list_filters_answer_hostile_values_with_a_normal_page(
    client, postgres, administrator, label
):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    model_admin = admin.site._registry[model]
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    client.force_login(administrator)
    client.raise_request_exception = False
    problems = []
    for name in filter_parameters(model, model_admin):
        for kind, value in FILTER_VALUES.items():
            params = {name: value}
            if name.endswith(("__month", "__day")):
                params[f"{model_admin.date_hierarchy}__year"] = "2024"
            response = client.get(url, params)
            if response.status_code == 302:
                ok = response["Location"] == f"{url}?e=1"
            else:
                ok = response.status_code == 200
            if not ok:
                problems.append(f"{name}={kind}: {response.status_code}")
    assert not problems


def test_a_nul_in_an_admin_filter_answers_djangos_invalid_lookup_page(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/members/membership/", {"status": "member\x00"}, follow=True)
    assert response.redirect_chain == [("/admin/members/membership/?e=1", 302)]
    assert response.status_code == 200


def test_a_nul_in_an_autocomplete_search_finds_nothing(client, bureau):
    client.force_login(bureau)
    params = {"app_label": "members", "model_name": "role", "field_name": "city"}
    response = client.get("/admin/autocomplete/", {**params, "term": "Pots\x00dam"})
    assert response.status_code == 200
    assert response.json()["results"] == []


# --- Changelist actions and object ids in the address ------------------------------------


@pytest.mark.parametrize("value", ["abc", "1\x00", "99999999999999999999", "-1"])
def test_admin_actions_and_object_addresses_answer_hostile_ids_without_a_server_error(
    client, administrator, value
):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    client.force_login(administrator)
    client.raise_request_exception = False
    problems, tried = [], 0
    for model, model_admin in admin.site._registry.items():
        url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        for action in model_admin.get_actions(request):
            tried += 1
            response = client.post(url, {"action": action, "_selected_action": [value]})
            if response.status_code >= 500:
                problems.append(f"{url} {action}: {response.status_code}")
        for suffix in ("change/", "history/", "delete/"):
            response = client.get(f"{url}{value}/{suffix}")
            if response.status_code >= 500:
                problems.append(f"{url}{value}/{suffix}: {response.status_code}")
    assert tried >= 3
    assert not problems
    assert User.objects.filter(pk=administrator.pk, is_active=True).exists()


# --- Add forms: foreign keys and autocompletes ------------------------------------------

#: Values no id can be; "another coalition" is an id of ACCAR's, sent by ECCAR's bureau.
KEY_VALUES = {
    "text": "abc",
    "nul": "1\x00",
    "huge": "99999999999999999999",
    "negative": "-1",
    "zero": "0",
    "decimal": "1.5",
    "another coalition": None,
}


def add_form_key_fields() -> list[tuple[str, str]]:
    """(model label, field name) of every foreign key in every admin add form."""
    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_active=True)
    found = []
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_add_permission(request):
            continue
        form = model_admin.get_form(request, None, change=False)
        for name, field in form.base_fields.items():
            if isinstance(field, ModelChoiceField):
                found.append((model._meta.label_lower, name))
    return sorted(found)


KEY_FIELDS = add_form_key_fields()

#: Objects of ACCAR, per model, for the "another coalition" case.
ACCARS = {
    "coalition.user": Q(roles__coalition__short_name="ACCAR"),
    "members.coalition": Q(short_name="ACCAR"),
    "members.city": Q(memberships__coalition__short_name="ACCAR"),
    "members.planofaction": Q(coalition__short_name="ACCAR"),
}
#: Fields open to every coalition's objects on purpose: any city may apply to join.
OPEN = {("members.membership", "city")}


def test_the_sweep_covers_the_forms_that_answered_500():
    assert {
        ("members.role", "user"),
        ("members.role", "city"),
        ("members.role", "coalition"),
        ("members.membership", "city"),
        ("members.coalition", "parent"),
        ("governance.committeeseat", "city"),
        ("governance.committeeseat", "representative"),
    } <= set(KEY_FIELDS)
    assert len(KEY_FIELDS) * len(KEY_VALUES) >= 48


@pytest.mark.parametrize("value", list(KEY_VALUES), ids=list(KEY_VALUES))
@pytest.mark.parametrize(("label", "name"), KEY_FIELDS, ids=[f"{a}.{b}" for a, b in KEY_FIELDS])
def test_admin_add_forms_answer_hostile_keys_with_a_form_error(
    client, request, administrator, label, name, value
):
    model = next(m for m in admin.site._registry if m._meta.label_lower == label)
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/add/"
    user = administrator
    sent = KEY_VALUES[value]
    if sent is None:
        if (label, name) in OPEN:
            pytest.skip("any city may apply to join a coalition (tests/coalition walk)")
        request.getfixturevalue("other_bureau")  # ACCAR has staff, so people of its own
        user = request.getfixturevalue("bureau")
        related = model._meta.get_field(name).remote_field.model
        lookup = ACCARS.get(related._meta.label_lower)
        theirs = related._default_manager.filter(lookup).first() if lookup else None
        if theirs is None:
            pytest.skip(f"no object of another coalition for {related._meta.label}")
        sent = str(theirs.pk)
    client.force_login(user)
    page = client.get(url)
    if page.status_code != 200:
        assert user != administrator
        pytest.skip("the form is not open to ECCAR's bureau")
    count = model._default_manager.count()
    client.raise_request_exception = False
    response = client.post(url, {**form_values(page), name: sent})
    assert response.status_code == 200
    assert name in response.context["adminform"].form.errors
    assert model._default_manager.count() == count
