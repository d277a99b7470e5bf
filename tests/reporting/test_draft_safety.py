"""Draft safety at the HTTP level: the autosave endpoint's answers, which the script relies on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from reporting import services
from reporting.models import ReportSection
from tests.factories import RoleFactory
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def _form(section: ReportSection, **values) -> dict:
    prefix = f"s{section.pk}"
    data = {
        f"{prefix}-version": section.version,
        f"{prefix}-visibility": section.visibility,
        f"{prefix}-actions": section.actions,
    }
    data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return data


def _url(section: ReportSection) -> str:
    return reverse("reporting:section_save", args=[section.report_id, section.pk])


@pytest.fixture
def section(coordinator):
    return report_of("Potsdam", 2025).sections.get(commitment__number=6)


def test_autosave_answers_json_with_the_new_version(client, coordinator, section):
    client.force_login(coordinator)
    response = client.post(_url(section), _form(section, actions="Typed text"), **JSON)
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["version"] == section.version + 1
    assert len(data["saved_at"]) == 5  # HH:MM
    section.refresh_from_db()
    assert section.actions == "Typed text"


def test_two_coordinators_editing_at_once_get_409_and_nothing_is_overwritten(coordinator, section):
    second = RoleFactory(city=section.report.city).user
    first_client, second_client = Client(), Client()
    first_client.force_login(coordinator)
    second_client.force_login(second)
    loaded = _form(section)  # both opened the page at the same version
    version_key = f"s{section.pk}-version"
    first = first_client.post(
        _url(section), {**loaded, f"s{section.pk}-actions": "First text"}, **JSON
    )
    assert first.status_code == 200
    second_response = second_client.post(
        _url(section),
        {**loaded, f"s{section.pk}-actions": "Second text", version_key: loaded[version_key]},
        **JSON,
    )
    assert second_response.status_code == 409
    data = second_response.json()
    assert data["error"] == "conflict"
    assert data["server"]["actions"] == "First text"  # both texts reach the second editor
    assert data["version"] == first.json()["version"]
    section.refresh_from_db()
    assert section.actions == "First text"
    # Choosing to keep their own text is a deliberate save on the new version.
    keep = second_client.post(
        _url(section),
        {**loaded, f"s{section.pk}-actions": "Second text", version_key: data["version"]},
        **JSON,
    )
    assert keep.status_code == 200
    section.refresh_from_db()
    assert section.actions == "Second text"


def test_without_javascript_a_conflict_shows_both_texts_and_keeps_mine(
    client, coordinator, section
):
    client.force_login(coordinator)
    loaded = _form(section)
    assert client.post(_url(section), {**loaded, f"s{section.pk}-actions": "Theirs"}).status_code
    response = client.post(_url(section), {**loaded, f"s{section.pk}-actions": "Mine, typed"})
    assert response.status_code == 409
    body = response.content.decode()
    theirs = body.index('class="conflict__theirs"')
    assert "Theirs" in body[theirs : theirs + 400]
    assert "Mine, typed" in body[theirs + 400 :]  # still in the form, not lost
    assert "Nothing was overwritten" in body
    section.refresh_from_db()
    assert section.actions == "Theirs"


def test_without_javascript_a_plain_post_saves_and_returns_to_the_section(
    client, coordinator, section
):
    client.force_login(coordinator)
    response = client.post(_url(section), _form(section, actions="Saved without script"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#section-{section.pk}")
    section.refresh_from_db()
    assert section.actions == "Saved without script"


def test_an_expired_session_gets_401_json_and_the_text_is_not_taken(client, section):
    response = client.post(_url(section), _form(section, actions="Typed offline"), **JSON)
    assert response.status_code == 401
    data = response.json()
    assert data["error"] == "signed_out"
    assert data["login_url"].startswith("/accounts/login/")
    section.refresh_from_db()
    assert section.actions != "Typed offline"


def test_a_stale_csrf_token_after_signing_in_again_is_403_not_a_lost_save(coordinator, section):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator)
    response = client.post(
        _url(section), {**_form(section, actions="x"), "csrfmiddlewaretoken": "stale"}, **JSON
    )
    assert response.status_code == 403  # the script keeps the text and asks to sign in
    section.refresh_from_db()
    assert section.actions != "x"


def test_someone_else_gets_403_json(client, delegate, section):
    client.force_login(delegate)
    response = client.post(_url(section), _form(section, actions="x"), **JSON)
    assert response.status_code == 404  # the draft's existence is the city's business


def test_a_submitted_report_refuses_saves_with_locked(client, coordinator, section):
    services.submit_report(actor=coordinator, report=section.report)
    client.force_login(coordinator)
    response = client.post(_url(section), _form(section, actions="late"), **JSON)
    assert response.status_code == 409 and response.json()["error"] == "locked"


def test_invalid_input_is_a_400_naming_the_field(client, coordinator, section):
    client.force_login(coordinator)
    response = client.post(_url(section), _form(section, visibility="everyone"), **JSON)
    assert response.status_code == 400
    assert "visibility" in response.json()["errors"]


def test_the_overview_links_every_commitment_and_each_page_holds_one_autosave_form(
    client, coordinator, section
):
    client.force_login(coordinator)
    report = section.report
    body = client.get(reverse("reporting:report_edit", args=[report.pk])).content.decode()
    for other in report.sections.all():
        assert reverse("reporting:section_edit", args=[report.pk, other.pk]) in body
    page = client.get(reverse("reporting:section_edit", args=[report.pk, section.pk]))
    body = page.content.decode()
    assert body.count("data-autosave ") == 1
    assert f'data-section="{section.pk}"' in body
    assert "report-autosave.js" in body
    assert 'aria-live="polite"' in body
    assert "Set up a municipal office for victims" in body or "committed to" in body
