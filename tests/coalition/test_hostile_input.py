"""Whatever a person types into any form of the portal, the answer is never a server error.

For each demo account, every page it works with is opened, every POST form on it
is found, and each form is sent back with hostile values in all its fields:
nothing at all, very long text, NUL characters (which PostgreSQL refuses in
text), impossible dates and numbers, markup. A 500 anywhere fails the test,
naming the form and the values. Run against PostgreSQL in CI.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from django.urls import reverse

from reporting.models import ReportingCycle
from tests.coalition.pages import pages_of
from tests.html_forms import forms_of

ACCOUNTS = {
    "coordinator": "coordinator",
    "delegate": "delegate",
    "applicant": "outsider",  # the applicant's pages, as a person without roles
    "committee": "committee_member",
    "bureau": "bureau",
    "secretariat": "secretariat",
}

HOSTILE_VALUES = {
    "empty": "",
    "long": "x" * 100_000,
    "nul": "abc\x00def",
    "date": "2026-02-31",
    "number": "-99999999999999999999",
    "markup": "<script>alert(1)</script>'\"; DROP TABLE x; --",
}

# Forms that leave the portal's own code: signing out and the language switch.
SKIPPED_ACTIONS = ("/accounts/logout/", "/i18n/setlang/")


def hostile_payload(fields: dict, value: str) -> dict:
    payload = {}
    for name, kind in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        if kind == "file":
            continue  # uploads have their own tests (type, size, content)
        payload[name] = value
    return payload


@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_no_form_answers_hostile_input_with_a_server_error(client, request, demo, account):
    user = request.getfixturevalue(ACCOUNTS[account])
    tried, errors = 0, []
    for path in pages_of(account):
        client.force_login(user)
        page = client.get(path)
        if page.status_code != 200:
            continue
        for form in forms_of(page.content.decode()):
            action = urljoin(path, form["action"]) if form["action"] else path
            if action.startswith(SKIPPED_ACTIONS):
                continue
            for label, value in HOSTILE_VALUES.items():
                client.force_login(user)
                client.raise_request_exception = False
                response = client.post(action, hostile_payload(form["fields"], value))
                tried += 1
                if response.status_code >= 500:
                    errors.append(f"{action} ({label}) from {path}: {response.status_code}")
    assert tried > 0
    assert not errors, "\n".join(errors)


# Every query parameter a page reads (filters, search, sort, pages, formats).
QUERY_PARAMETERS = [
    "q", "coalition", "country", "region", "status", "sort", "page", "page_size",
    "commitment", "city", "year", "format", "limit", "offset",
]  # fmt: skip


@pytest.mark.parametrize(
    ("account", "path"),
    [
        ("anonymous", "/cities/"),
        ("anonymous", "/good-practices/"),
        ("anonymous", "/api/v1/cities/"),
        ("anonymous", "/api/v1/coalitions/"),
        ("anonymous", "/api/v1/plans/"),
        ("anonymous", "/api/v1/cities.csv"),
        ("anonymous", "/api/v1/cities.geojson"),
        ("outsider", "/apply/"),
        ("bureau", "cycle_review"),
        ("secretariat", "cycle_dashboard"),
    ],
)
def test_no_page_answers_hostile_query_parameters_with_a_server_error(
    client, request, demo, account, path
):
    if account != "anonymous":
        client.force_login(request.getfixturevalue(account))
    if not path.startswith("/"):
        cycle = ReportingCycle.objects.filter(coalition__slug="eccar").latest("year")
        path = reverse(f"reporting:{path}", args=[cycle.pk])
    client.raise_request_exception = False
    errors = []
    for label, value in HOSTILE_VALUES.items():
        for name in QUERY_PARAMETERS:
            response = client.get(path, {name: value})
            if response.status_code >= 500:
                errors.append(f"{path}?{name}=({label}): {response.status_code}")
        response = client.get(path, dict.fromkeys(QUERY_PARAMETERS, value))  # all at once
        if response.status_code >= 500:
            errors.append(f"{path} with every parameter ({label}): {response.status_code}")
    assert not errors, "\n".join(errors)
