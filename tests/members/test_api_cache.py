"""The API's cache (members/api/cache.py): public answers served again without a query, the same
bytes as rendered, one entry per query and language, forgotten by the services that change them."""

import pytest
from django.test import Client
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from coalition.pagecache import bump_version
from governance import services as governance_services
from members import services as members_services
from members.api.cache import cache_seconds
from members.models import City, Membership
from tests.factories import UserFactory

# private_storage_in_tmp (autouse): the admission's letter goes to the test's directory.
from tests.governance.conftest import build_world, private_storage_in_tmp  # noqa: F401

URLS = [
    "/api/v1/cities/",
    "/api/v1/cities/?country=DE&region=Bavaria",
    "/api/v1/cities/zurich/",
    "/api/v1/coalitions/",
    "/api/v1/coalitions/eccar/",
    "/api/v1/plans/",
    "/api/v1/plans/?coalition=eccar",
]


@pytest.fixture(autouse=True)
def api_cache_on(settings, memory_cache):
    settings.PUBLIC_API_CACHE_SECONDS = 600


@pytest.mark.parametrize("url", URLS)
def test_the_second_request_is_served_from_the_cache_without_a_query(
    client, world, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200 and first["X-API-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200 and second["X-API-Cache"] == "hit"


@pytest.mark.parametrize("url", URLS)
def test_a_cached_answer_is_byte_identical_to_an_uncached_one(client, world, url, settings):
    miss, hit = client.get(url), client.get(url)
    settings.PUBLIC_API_CACHE_SECONDS = 0
    uncached = client.get(url)
    assert "X-API-Cache" not in uncached
    assert miss.content == hit.content == uncached.content
    for header in ("Content-Type", "Content-Language", "Vary", "Allow"):
        assert miss.get(header) == hit.get(header) == uncached.get(header), header


def test_the_query_parameters_are_part_of_the_key_in_any_order(client, world):
    koln = client.get("/api/v1/cities/", {"q": "koln"})
    zurich = client.get("/api/v1/cities/", {"q": "zurich"})
    assert koln["X-API-Cache"] == zurich["X-API-Cache"] == "miss"
    assert [c["name"] for c in koln.json()["results"]] == ["Köln"]
    assert [c["name"] for c in zurich.json()["results"]] == ["Zürich"]
    assert client.get("/api/v1/cities/?country=DE&region=Bavaria")["X-API-Cache"] == "miss"
    again = client.get("/api/v1/cities/?region=Bavaria&country=DE")
    assert again["X-API-Cache"] == "hit"
    assert [c["name"] for c in again.json()["results"]] == ["Munich"]
    page = client.get("/api/v1/cities/", {"page_size": 2})
    assert page["X-API-Cache"] == "miss" and len(page.json()["results"]) == 2


def test_each_language_has_its_own_entry(client, world):
    english = client.get("/api/v1/cities/koln/", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get("/api/v1/cities/koln/", HTTP_ACCEPT_LANGUAGE="de")
    assert english["X-API-Cache"] == german["X-API-Cache"] == "miss"
    assert english.json()["country_name"] == "Germany"
    assert german.json()["country_name"] == "Deutschland"
    again = client.get("/api/v1/cities/koln/", HTTP_ACCEPT_LANGUAGE="de")
    assert again["X-API-Cache"] == "hit" and again.json()["country_name"] == "Deutschland"
    assert again["Content-Language"] == "de"


def test_an_indented_answer_is_not_served_to_a_client_that_asked_for_plain_json(client, world):
    plain = client.get("/api/v1/coalitions/eccar/", HTTP_ACCEPT="application/json")
    indented = client.get("/api/v1/coalitions/eccar/", HTTP_ACCEPT="application/json; indent=4")
    assert plain["X-API-Cache"] == indented["X-API-Cache"] == "miss"
    assert b"\n" not in plain.content and b'\n    "slug"' in indented.content


def test_a_city_edit_by_the_service_shows_at_once(
    client, world, django_capture_on_commit_callbacks
):
    client.get("/api/v1/cities/zurich/")
    client.get("/api/v1/cities/")
    assert client.get("/api/v1/cities/zurich/")["X-API-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        members_services.update_city(actor=None, city=world["zurich"], population=421_000)
    detail = client.get("/api/v1/cities/zurich/")
    assert detail["X-API-Cache"] == "miss" and detail.json()["population"] == 421_000
    listed = {c["slug"]: c for c in client.get("/api/v1/cities/").json()["results"]}
    assert listed["zurich"]["population"] == 421_000


def test_a_membership_status_change_shows_at_once(
    client, world, django_capture_on_commit_callbacks
):
    assert client.get("/api/v1/cities/zurich/").status_code == 200
    assert client.get("/api/v1/coalitions/eccar/").json()["member_count"] == 4
    assert client.get("/api/v1/coalitions/eccar/")["X-API-Cache"] == "hit"
    membership = Membership.objects.get(city=world["zurich"], coalition=world["eccar"])
    with django_capture_on_commit_callbacks(execute=True):
        members_services.change_membership_status(
            actor=None, membership=membership, to_status="withdrawn", reason="Left", notify=False
        )
    assert client.get("/api/v1/cities/zurich/").status_code == 404
    assert client.get("/api/v1/coalitions/eccar/").json()["member_count"] == 3
    names = {c["name"] for c in client.get("/api/v1/cities/").json()["results"]}
    assert "Zürich" not in names


def test_an_admission_concluded_shows_at_once(client, db, django_capture_on_commit_callbacks):
    gov = build_world()
    coalition_url = f"/api/v1/coalitions/{gov.coalition.slug}/"
    assert client.get(coalition_url).json()["member_count"] == 5
    assert client.get(coalition_url)["X-API-Cache"] == "hit"
    assert client.get("/api/v1/cities/", {"q": "Newtown"}).json()["count"] == 0
    vote = gov.open_vote(gov.apply(UserFactory(email="applicant@newtown.example")))
    with django_capture_on_commit_callbacks(execute=True):
        for member in gov.members:
            governance_services.cast_vote(actor=member, vote=vote, choice="yes")
    city = City.objects.get(name="Newtown")
    assert client.get(coalition_url).json()["member_count"] == 6
    found = client.get("/api/v1/cities/", {"q": "Newtown"}).json()["results"]
    assert [c["slug"] for c in found] == [city.slug]


def test_a_signed_in_client_gets_the_same_public_answer(client, world):
    anonymous = client.get("/api/v1/cities/")
    signed_in = Client()
    signed_in.force_login(UserFactory())
    answer = signed_in.get("/api/v1/cities/")
    assert answer["X-API-Cache"] == "hit" and answer.content == anonymous.content


def test_the_browsable_api_errors_and_writes_are_never_cached(client, world):
    for _ in range(2):
        browsable = client.get("/api/v1/cities/", HTTP_ACCEPT="text/html")
        assert browsable.status_code == 200 and "X-API-Cache" not in browsable
        missing = client.get("/api/v1/cities/hopeville/")
        assert missing.status_code == 404 and "X-API-Cache" not in missing
        invalid = client.get("/api/v1/cities/", {"status": "applicant"})
        assert invalid.status_code == 400 and "X-API-Cache" not in invalid
        assert client.post("/api/v1/cities/", {"name": "X"}).status_code in (403, 405)


def test_a_cached_answer_is_still_throttled(client, world):
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    try:
        answers = [client.get("/api/v1/coalitions/") for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.get("X-API-Cache") for a in answers[:3]] == ["miss", "hit", "hit"]


def test_an_entry_of_an_older_version_is_not_served(client, world):
    client.get("/api/v1/coalitions/")
    City.objects.filter(slug="zurich").update(population=7)  # behind the services' back
    assert client.get("/api/v1/coalitions/")["X-API-Cache"] == "hit"
    bump_version()
    assert client.get("/api/v1/coalitions/")["X-API-Cache"] == "miss"


def test_nothing_is_cached_when_the_lifetime_is_zero_or_no_cache_keeps_a_version(
    client, world, settings
):
    settings.PUBLIC_API_CACHE_SECONDS = 0
    assert "X-API-Cache" not in client.get("/api/v1/cities/")
    assert "X-API-Cache" not in client.get("/api/v1/cities/")
    settings.PUBLIC_API_CACHE_SECONDS = 600
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    for _ in range(2):
        answer = client.get("/api/v1/cities/")
        assert answer.status_code == 200 and "X-API-Cache" not in answer


def test_the_default_lifetime_is_ten_minutes(settings):
    del settings.PUBLIC_API_CACHE_SECONDS
    assert cache_seconds() == 600
