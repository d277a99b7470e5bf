"""The anonymous page cache: served to visitors, never to a signed-in person, forgotten by the
services that change what it shows (coalition/pagecache.py)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from coalition import views as coalition_views
from members import services as members_services
from members.models import City, Membership
from reporting import services as reporting_services
from reporting.models import Report, ReportStatus

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def public_city() -> City:
    return City.objects.filter(memberships__status="member").order_by("name").first()


def test_an_anonymous_visitor_gets_the_cached_page_with_the_right_headers(client, demo):
    first = client.get("/cities/")
    second = client.get("/cities/")
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert second.status_code == 200 and second["Content-Type"].startswith("text/html")
    vary = {v.strip() for v in second["Vary"].split(",")}
    assert {"Accept-Language", "Cookie", "HX-Request"} <= vary

    def without_token(page):
        html = page.content.decode()
        return html.replace(TOKEN.search(html).group(1), "")

    assert without_token(first) == without_token(second)


def test_the_key_holds_the_query_string_and_the_language(client, demo):
    assert client.get("/cities/?q=zu&country=DE")["X-Page-Cache"] == "miss"
    assert client.get("/cities/?country=DE&q=zu")["X-Page-Cache"] == "hit"  # same parameters
    assert client.get("/cities/?q=zu")["X-Page-Cache"] == "miss"
    english = client.get("/coalitions/", HTTP_ACCEPT_LANGUAGE="en")
    french = client.get("/coalitions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert english["X-Page-Cache"] == french["X-Page-Cache"] == "miss"
    assert french["Content-Language"] == "fr" and '<html lang="fr"' in french.content.decode()
    again = client.get("/coalitions/", HTTP_ACCEPT_LANGUAGE="fr")
    assert again["X-Page-Cache"] == "hit" and '<html lang="fr"' in again.content.decode()


def test_each_visitor_gets_their_own_csrf_token_and_the_language_switch_works(demo):
    Client().get("/")  # stored by a first visitor
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    assert page["X-Page-Cache"] == "hit"
    tokens = set(TOKEN.findall(page.content.decode()))
    assert len(tokens) == 1 and "__coalition_csrf_token__" not in page.content.decode()
    assert f'"X-CSRFToken": "{tokens.pop()}"' in page.content.decode()
    assert "csrftoken" in page.cookies
    token = TOKEN.search(page.content.decode()).group(1)
    switched = visitor.post(
        "/i18n/setlang/", {"language": "fr", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302
    assert visitor.get("/")["Content-Language"] == "fr"


def test_a_signed_in_person_never_gets_nor_leaves_a_cached_page(client, demo):
    anonymous = client.get("/cities/")
    assert anonymous["X-Page-Cache"] == "miss"
    client.force_login(demo["coordinator"])
    mine = client.get("/cities/")
    assert mine["X-Page-Cache"] == "bypass"
    assert demo["coordinator"].get_short_name() in mine.content.decode()
    assert "My dashboard" in mine.content.decode()
    client.get("/cities/?country=DE")  # rendered for the signed-in person: never stored
    client.logout()
    after = client.get("/cities/?country=DE")
    assert after["X-Page-Cache"] == "miss"
    assert "My dashboard" not in after.content.decode()
    assert demo["coordinator"].get_short_name() not in after.content.decode()


def test_a_visitor_with_a_message_waiting_is_not_served_from_the_cache(client, demo):
    client.get("/")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = client.session
    request._messages = CookieStorage(request)
    request._messages.add(20, "Your account is closed.")
    response = coalition_views.home(request)
    assert response["X-Page-Cache"] == "bypass"
    assert b"Your account is closed." in response.content


def test_a_city_edit_by_the_service_shows_at_once(client, demo, django_capture_on_commit_callbacks):
    city = public_city()
    url = city.get_absolute_url()
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    client.get("/cities/")
    with django_capture_on_commit_callbacks(execute=True):
        members_services.update_city(actor=None, city=city, name="Renamed Town")
    page = client.get(url)
    assert page["X-Page-Cache"] == "miss" and "Renamed Town" in page.content.decode()
    assert "Renamed Town" in client.get("/cities/").content.decode()


def test_a_membership_decision_shows_at_once(client, demo, django_capture_on_commit_callbacks):
    membership = Membership.objects.filter(status="member").select_related("city").first()
    url = membership.city.get_absolute_url()
    assert client.get(url).status_code == 200
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        for other in Membership.objects.filter(
            city=membership.city, status__in=["member", "suspended"]
        ):
            members_services.change_membership_status(
                actor=None, membership=other, to_status="withdrawn", reason="Left"
            )
    assert client.get(url)["X-Page-Cache"] == "miss"
    directory = client.get("/cities/").content.decode()
    assert f'href="{url}"' not in directory


def test_publishing_a_report_forgets_the_cached_pages(
    client, demo, django_capture_on_commit_callbacks
):
    report = Report.objects.filter(status=ReportStatus.RELEASED).select_related("city").first()
    url = report.city.get_absolute_url()
    client.get(url)
    client.get("/good-practices/")
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.publish_report(actor=None, report=report, publish_scores=False)
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get("/good-practices/")["X-Page-Cache"] == "miss"


def test_the_cache_is_off_when_its_lifetime_is_zero(client, demo, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert "X-Page-Cache" not in client.get("/")
