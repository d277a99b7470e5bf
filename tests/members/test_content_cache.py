"""The public pages' content cache: the request-independent body of a page kept for every
visitor, forgotten by the services that change it (coalition.pagecache.public_content)."""

from __future__ import annotations

import os
import re

import pytest
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.pagecache import public_content
from coalition.settings import base
from governance import services as governance_services
from members import services as members_services
from members.models import City, Coalition, CoalitionKind, Membership, Role, RoleKind
from reporting import services as reporting_services
from reporting.filters import GoodPracticeFilter
from reporting.models import Report, ReportStatus

# The governance tests' world, and its letters kept in the test's own directory (a fixture).
from tests.governance.conftest import build_world, private_storage_in_tmp  # noqa: F401

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ACCOUNT_LINK = re.compile(r'class="account-links__me">([^<]*)<')
#: The tables of what the bodies show: none is read when a body comes from the cache.
BODY_TABLES = (
    "members_city",
    "members_membership",
    "members_coalition",
    "members_leadcity",
    "members_commitment",
    "members_planofaction",
    "members_membershipstatuschange",
)


@pytest.fixture(autouse=True)
def content_cache_on(settings, memory_cache):
    """The content cache on, in this process's memory; the page cache stays off (test.py)."""
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 600


def public_city() -> City:
    return City.objects.filter(memberships__status="member").order_by("name").first()


def body_queries(client: Client, url: str, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in BODY_TABLES)]


def body(response) -> str:
    """The page's main content (what the content cache keeps), without the layout around it."""
    html = response.content.decode()
    return html[html.index("<h1") : html.index("</main>")]


def eccar_url() -> str:
    return Coalition.objects.get(slug="eccar").get_absolute_url()


@pytest.mark.parametrize("page", ["home", "city", "coalition"])
def test_a_second_render_reads_nothing_of_the_cached_body(client, demo, page):
    url = {"home": "/", "city": public_city().get_absolute_url(), "coalition": eccar_url()}[page]
    assert body_queries(client, url)  # the first render reads the body's data
    assert body_queries(client, url) == []
    client.force_login(demo["coordinator"])
    assert body_queries(client, url) == []  # the same body, signed in


def test_the_cached_pages_are_the_same_as_rendered_afresh(client, demo, settings):
    urls = ["/", public_city().get_absolute_url(), eccar_url()]
    cached = [client.get(url).content for url in urls for _ in range(2)][1::2]
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    fresh = [client.get(url).content for url in urls]

    def without_token(html: bytes) -> str:
        text = html.decode()
        return text.replace(TOKEN.search(text).group(1), "")

    assert [without_token(c) for c in cached] == [without_token(f) for f in fresh]


def test_a_city_edit_by_the_service_shows_at_once(client, demo, django_capture_on_commit_callbacks):
    city = public_city()
    url = city.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        members_services.update_city(actor=None, city=city, name="Renamed Town")
    page = client.get(url).content.decode()
    assert "<h1>Renamed Town" in page and "<title>Renamed Town" in page


def test_a_membership_decision_shows_at_once(client, demo, django_capture_on_commit_callbacks):
    membership = (
        Membership.objects.filter(status="member", coalition__slug="eccar")
        .select_related("city")
        .order_by("city__name")
        .first()
    )
    url = membership.city.get_absolute_url()
    assert "Suspended" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        members_services.change_membership_status(
            actor=None, membership=membership, to_status="suspended", reason="Reports overdue"
        )
    page = client.get(url).content.decode()
    assert "Suspended" in page and "Reports overdue" in page
    coalition = client.get(eccar_url()).content.decode()
    assert re.search(rf"{re.escape(membership.city.name)}</a>[^\n]*badge--warn", coalition)


def test_a_new_member_on_the_home_page_shows_at_once(
    client, demo, django_capture_on_commit_callbacks
):
    assert "Brandnewville" not in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        city = members_services.create_city(actor=None, name="Brandnewville", country="FR")
        members_services.create_membership(
            actor=None,
            city=city,
            coalition=Coalition.objects.get(slug="eccar"),
            signed_on=timezone.localdate(),
        )
    assert "Brandnewville" in client.get("/").content.decode()  # recently joined


@pytest.mark.usefixtures("private_storage_in_tmp")
def test_an_admission_concluded_shows_at_once(client, db, django_capture_on_commit_callbacks):
    world = build_world(voting_seats=3)
    url = world.coalition.get_absolute_url()
    assert "Newtown" not in client.get(url).content.decode()
    assert "3 member cities" in client.get(url).content.decode()
    application = world.apply()
    vote = world.open_vote(application)
    with django_capture_on_commit_callbacks(execute=True):
        for member in world.members:
            governance_services.cast_vote(actor=member, vote=vote, choice="yes")
    page = client.get(url).content.decode()
    assert "Newtown" in page and "4 member cities" in page
    city = City.objects.get(name="Newtown")
    assert client.get(city.get_absolute_url()).status_code == 200


def test_a_published_report_shows_at_once_on_the_citys_page(
    client, demo, django_capture_on_commit_callbacks
):
    report = Report.objects.filter(status=ReportStatus.RELEASED).select_related("city").first()
    url = report.city.get_absolute_url()
    before = body(client.get(url))
    assert body(client.get(url)) == before  # cached
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.publish_report(actor=None, report=report, publish_scores=False)
    assert body(client.get(url)) != before


def test_the_good_practices_follow_a_report_unpublished_then_published_at_once(
    client, demo, django_capture_on_commit_callbacks
):
    practice = GoodPracticeFilter({}).qs.select_related("report").first()  # shown first
    link = f"#section-{practice.pk}"
    assert link in body(client.get("/good-practices/"))
    assert link in body(client.get("/good-practices/"))  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.unpublish_report(actor=None, report=practice.report)
    assert link not in body(client.get("/good-practices/"))
    with django_capture_on_commit_callbacks(execute=True):
        reporting_services.publish_report(actor=None, report=practice.report, publish_scores=False)
    assert link in body(client.get("/good-practices/"))


def test_the_content_cache_is_on_outside_the_tests():
    assert (
        int(os.environ.get("PUBLIC_FRAGMENT_CACHE_SECONDS", "600"))
        == base.PUBLIC_FRAGMENT_CACHE_SECONDS
    )


def test_languages_do_not_bleed_into_each_other(client, demo):
    url = public_city().get_absolute_url()
    for _ in range(2):
        french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "About the city" in english and "About the city" not in french
        assert "Recently joined" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Recently joined" not in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_a_signed_in_person_gets_their_own_nav_around_the_shared_body(demo):
    city = public_city()
    url = city.get_absolute_url()
    public_names = {
        role.user.get_full_name()
        for role in Role.objects.current().filter(city=city, kind=RoleKind.COORDINATOR)
        if role.contact_public
    }
    pages = {}
    for persona in ("coordinator", "bureau"):
        person = Client()
        person.force_login(demo[persona])
        pages[persona] = person.get(url).content.decode()
        assert ACCOUNT_LINK.findall(pages[persona]) == [demo[persona].get_short_name()]
    coordinator, bureau = pages["coordinator"], pages["bureau"]
    assert set(TOKEN.findall(coordinator)).isdisjoint(TOKEN.findall(bureau))
    assert len(set(TOKEN.findall(bureau))) == 1  # the bureau's own token only
    name = demo["coordinator"].get_full_name()
    if name not in public_names:
        assert name not in bureau
    assert "My dashboard" in bureau
    assert "My dashboard" not in Client().get(url).content.decode()
    profile = bureau[bureau.index("<h1>") : bureau.index("</main>")]
    assert profile in coordinator and profile == body(Client().get(url))


def test_a_missing_page_is_never_stored(client, db):
    assert client.get("/coalitions/future/").status_code == 404
    # Made behind the services' back, so that nothing forgets the public pages: a stored 404
    # would still answer.
    Coalition.objects.create(
        name="Future coalition", short_name="FUT", slug="future", kind=CoalitionKind.REGIONAL
    )
    assert client.get("/coalitions/future/").status_code == 200
    assert client.get("/cities/nowhere/").status_code == 404


def test_public_content_stores_nothing_when_the_build_fails(db):
    calls = []

    def missing():
        calls.append(1)
        raise Http404

    for _ in range(2):
        with pytest.raises(Http404):
            public_content("test", ("x",), missing)
    assert len(calls) == 2
    assert public_content("test", ("x",), lambda: "built") == "built"
    assert public_content("test", ("x",), lambda: "again") == "built"  # kept
    assert public_content("test", ("y",), lambda: "other") == "other"  # by its parts


def test_public_content_builds_every_time_when_off(db, settings):
    settings.PUBLIC_FRAGMENT_CACHE_SECONDS = 0
    assert public_content("test", (), lambda: 1) == 1
    assert public_content("test", (), lambda: 2) == 2
