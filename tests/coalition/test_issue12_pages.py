"""What people stumbled on in the portal (issue 12), through the test client."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path, reverse

from coalition import urls as portal_urls
from coalition.models import User
from coalition.views import server_error
from governance.models import AdmissionApplication, ApplicationStatus, Ballot, CommitteeVote
from reporting.models import Report, ReportStatus
from tests.coalition.pages import pages_of
from tests.factories import RoleFactory, UserFactory
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _broken_view(request):
    raise RuntimeError("a bug")


# The portal's URLs and its 500 handler, plus a view that fails (see test_a_failing_view...).
urlpatterns = [*portal_urls.urlpatterns, path("broken/", _broken_view)]
handler500 = getattr(portal_urls, "handler500", "django.views.defaults.server_error")


# --- Page titles ------------------------------------------------------------------------

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.mark.parametrize(
    ("account", "persona"),
    [
        ("anonymous", None),
        ("coordinator", "coordinator"),
        ("applicant", "applicant"),
        ("committee", "committee"),
        ("bureau", "bureau"),
        ("secretariat", "secretariat"),
    ],
)
def test_every_page_title_reads_page_then_portal_name(client, demo, account, persona):
    if persona:
        client.force_login(demo[persona])
    public = ["/", "/coalitions/", "/cities/", "/good-practices/"]
    for url in [*public, *pages_of(account)]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        # Whitespace collapsed, as the browser shows it.
        title = " ".join(TITLE.search(response.content.decode()).group(1).split())
        assert re.fullmatch(r"\S.* · Coalition Portal", title), (url, title)


def test_the_home_page_title_is_separated_from_the_portal_name(client, demo):
    title = TITLE.search(client.get("/").content.decode()).group(1).strip()
    assert title == "Home · Coalition Portal"


# --- Error pages ------------------------------------------------------------------------


def test_404_is_the_portal_page_in_the_visitor_language(client, demo, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'href="/static/css/portal.css"' in body
    assert "Coalition Portal" in body and 'lang="fr"' in body
    assert "Not Found" not in body  # not Django's bare page


def test_403_is_the_portal_page(client, demo, settings, outsider):
    settings.DEBUG = False
    client.force_login(outsider)
    response = client.get(reverse("governance:bureau_home"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "You may not do this" in body and "portal.css" in body
    assert "<title>Access refused · Coalition Portal</title>" in body


def test_400_is_the_portal_page(client, demo, settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["portal.example"]
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    body = response.content.decode()
    assert "could not understand this request" in body and "portal.css" in body


@pytest.mark.urls(__name__)
def test_a_failing_view_answers_the_portal_500_page_without_the_database(
    demo, settings, django_assert_num_queries
):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "<title>Server error · Coalition Portal</title>" in body
    assert "portal.css" in body


def test_the_500_page_renders_without_any_context_processor():
    response = server_error(None)
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


# --- Links in emails follow `make run`'s port --------------------------------------------


def test_local_settings_build_email_links_from_the_port_make_run_serves_on():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="coalition.settings.local", PORT="8080")
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.PORTAL_BASE_URL)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "http://127.0.0.1:8080"


def test_make_run_passes_its_port_to_the_server():
    makefile = (ROOT / "Makefile").read_text()
    assert "PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)" in makefile


# --- Sign-up asks for the name ----------------------------------------------------------


def test_sign_up_asks_for_the_name_and_stores_it(client, db):
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="full_name"' in page and 'autocomplete="name"' in page
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "  Ada   Lovelace ",
            "email": "ada@newtown.example",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="ada@newtown.example").full_name == "Ada Lovelace"


def test_sign_up_without_a_name_is_refused_at_the_field(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "",
            "email": "noname@newtown.example",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 200
    assert "full_name" in response.context["form"].errors


# --- The concurrent-edit message names who changed the section ---------------------------

JSON = {"HTTP_ACCEPT": "application/json"}


def _section_post(section, **values):
    prefix = f"s{section.pk}"
    return {
        f"{prefix}-version": section.version,
        f"{prefix}-visibility": section.visibility,
        f"{prefix}-actions": section.actions,
        **{f"{prefix}-{k}": v for k, v in values.items()},
    }


def test_a_conflict_with_my_own_other_tab_says_so(coordinator):
    section = report_of("Potsdam", 2025).sections.get(commitment__number=6)
    url = reverse("reporting:section_save", args=[section.report_id, section.pk])
    tab_one, tab_two = Client(), Client()
    tab_one.force_login(coordinator)
    tab_two.force_login(coordinator)
    loaded = _section_post(section)
    assert (
        tab_one.post(url, {**loaded, f"s{section.pk}-actions": "Tab one"}, **JSON).status_code
        == 200
    )
    data = tab_two.post(url, {**loaded, f"s{section.pk}-actions": "Tab two"}, **JSON).json()
    assert data["title"] == "This section was changed in another tab or window"
    assert "another tab or window" in data["message"]
    page = tab_two.post(url, {**loaded, f"s{section.pk}-actions": "Tab two"}).content.decode()
    assert "This section was changed in another tab or window" in page
    assert "Another coordinator" not in page


def test_a_conflict_with_another_coordinator_names_them(coordinator):
    section = report_of("Potsdam", 2025).sections.get(commitment__number=6)
    url = reverse("reporting:section_save", args=[section.report_id, section.pk])
    other = RoleFactory(city=section.report.city, user=UserFactory(full_name="Olena Other")).user
    theirs, mine = Client(), Client()
    theirs.force_login(other)
    mine.force_login(coordinator)
    loaded = _section_post(section)
    assert (
        theirs.post(url, {**loaded, f"s{section.pk}-actions": "Theirs"}, **JSON).status_code == 200
    )
    data = mine.post(url, {**loaded, f"s{section.pk}-actions": "Mine"}, **JSON).json()
    assert data["title"] == "Olena Other changed this section"
    page = mine.post(url, {**loaded, f"s{section.pk}-actions": "Mine"}).content.decode()
    assert "Olena Other changed this section" in page
    assert "another tab or window" not in page


# --- The ballot's flash message ----------------------------------------------------------


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_flash_says_whether_a_vote_was_cast_or_changed(client, demo):
    member = demo["committee"]
    vote = CommitteeVote.objects.open().first()
    Ballot.objects.filter(vote=vote, cast_by=member).delete()
    client.force_login(member)
    url = vote.get_absolute_url()
    first = client.post(url, {"choice": "no"}, follow=True)
    assert any(m.startswith("Your vote was recorded: No.") for m in _messages(first)), _messages(
        first
    )
    vote.refresh_from_db()
    if vote.is_open:
        second = client.post(url, {"choice": "yes"}, follow=True)
        assert any(
            m.startswith("Your vote was changed from No to Yes.") for m in _messages(second)
        ), _messages(second)


# --- The secretariat sees why a submitted report has no action ---------------------------


def test_the_secretariat_review_list_says_a_submitted_report_waits_for_the_bureau(
    client, secretariat
):
    report = Report.objects.filter(status=ReportStatus.SUBMITTED).select_related("cycle").first()
    client.force_login(secretariat)
    body = client.get(reverse("reporting:cycle_review", args=[report.cycle_id])).content.decode()
    row = body[body.index(f">{report.city.name}<") :]
    row = row[: row.index("</tr>")]
    assert "Waiting for the bureau" in row and "transmit" in row


# --- Applying is easy to find ------------------------------------------------------------


def test_join_the_coalition_is_on_home_menu_footer_and_coalition_page(client, demo):
    apply_url = reverse("governance:apply")
    home = client.get("/").content.decode()
    assert home.count(f'href="{apply_url}"') >= 3  # hero, menu, footer
    assert "Join the coalition" in home
    eccar = client.get(reverse("members:coalition_detail", args=["eccar"])).content.decode()
    assert f'href="{apply_url}?coalition=eccar"' in eccar


def test_a_coordinator_also_finds_how_to_apply_for_another_city(client, coordinator):
    client.force_login(coordinator)
    nav = client.get("/").context["nav_items"]
    assert "Join the coalition" in [str(item["label"]) for item in nav]


def test_bureau_staff_menu_has_no_join_link(client, bureau):
    client.force_login(bureau)
    nav = client.get("/").context["nav_items"]
    assert "Join the coalition" not in [str(item["label"]) for item in nav]


def test_the_applicant_menu_lists_my_applications_as_the_current_page(client, demo):
    client.force_login(demo["applicant"])
    nav = client.get(reverse("governance:my_applications")).context["nav_items"]
    by_label = {str(item["label"]): item for item in nav}
    assert by_label["My applications"]["active"] is True
    assert by_label["Join the coalition"]["active"] is False


# --- Irreversible steps are confirmed ----------------------------------------------------


def _open_application(demo) -> AdmissionApplication:
    return next(
        a for a in AdmissionApplication.objects.filter(applicant=demo["applicant"]) if a.is_open
    )


def test_without_javascript_withdrawing_goes_through_a_confirmation_page(client, demo):
    application = _open_application(demo)
    client.force_login(demo["applicant"])
    detail = client.get(application.get_absolute_url()).content.decode()
    url = reverse("governance:application_withdraw", args=[application.pk])
    # The page's button is a GET to the confirmation page; the dialog is for scripts.
    assert f'method="get" action="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    assert "cannot be undone" in page.content.decode()
    assert application.city_display in page.content.decode()
    # A POST that is not confirmed withdraws nothing.
    unconfirmed = client.post(url, {"reason": "Elections"})
    assert unconfirmed.status_code == 302 and unconfirmed["Location"] == url
    application.refresh_from_db()
    assert application.is_open
    done = client.post(url, {"reason": "Elections", "confirmed": "1"})
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def _evaluation_post(report) -> dict:
    data = {"overall": "Steady progress.", "action": "release"}
    for section in report.sections.all():
        data[f"score_{section.pk}"] = "3"
        data[f"feedback_{section.pk}"] = "Fine."
    return data


def _report_to_evaluate():
    return Report.objects.filter(
        status__in=[ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION]
    ).first()


def test_without_javascript_save_and_release_saves_then_asks_on_a_page(client, secretariat):
    report = _report_to_evaluate()
    client.force_login(secretariat)
    response = client.post(
        reverse("reporting:evaluate", args=[report.pk]), _evaluation_post(report)
    )
    release_url = reverse("reporting:release", args=[report.pk])
    assert response.status_code == 302 and response["Location"] == release_url
    report.refresh_from_db()
    assert report.status != ReportStatus.RELEASED
    assert report.evaluation.overall_assessment == "Steady progress."  # saved all the same
    page = client.get(release_url).content.decode()
    assert "cannot be undone" in page and 'name="confirmed" value="1"' in page
    assert client.post(release_url, {}).status_code == 200  # not confirmed: the page again
    report.refresh_from_db()
    assert report.status != ReportStatus.RELEASED
    assert client.post(release_url, {"confirmed": "1"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED


def test_a_confirmed_save_and_release_releases_at_once(client, secretariat):
    report = _report_to_evaluate()
    client.force_login(secretariat)
    data = {**_evaluation_post(report), "confirmed": "1"}
    response = client.post(reverse("reporting:evaluate", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED


def test_the_release_page_is_the_secretariat_s_only(client, coordinator):
    report = _report_to_evaluate()
    client.force_login(coordinator)
    assert client.get(reverse("reporting:release", args=[report.pk])).status_code in (403, 404)
