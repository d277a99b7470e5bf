"""The directory, a coalition page and the API cost as many queries for 10 cities as for 500."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import services
from tests.members.conftest import make_cities

PAGES = [
    "/cities/",
    "/cities/?q=bulk&sort=-joined",
    "/cities/?coalition=eccar&country=DE&region=Region+3&status=member&sort=country",
    "/coalitions/",
    "/coalitions/eccar/",
    "/api/v1/cities/",
    "/api/v1/cities/?coalition=eccar&q=bulk",
    "/api/v1/coalitions/",
    "/api/v1/plans/",
    "/api/v1/cities.csv",
    "/api/v1/cities.geojson",
    "/",
]


def count_queries(client, url: str) -> int:
    cache.clear()  # the directory's filter options are cached: count the cold case
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_the_number_of_cities(client, world, url):
    make_cities(10, world["eccar"])
    small = count_queries(client, url)
    make_cities(490, world["eccar"], prefix="More")
    large = count_queries(client, url)
    assert small == large, f"{url}: {small} queries for 10 cities, {large} for 500"


def test_directory_page_query_budget(client, world, django_assert_max_num_queries):
    make_cities(500, world["eccar"])
    cache.clear()
    # filter validation, the coalition's network, count, the map's points and their
    # coalitions, page, memberships, and the option lists: the same for 20 or 500 cities
    with django_assert_max_num_queries(10):
        client.get("/cities/?coalition=eccar")


def test_filter_options_are_cached_and_refreshed_by_changes(
    client, world, django_capture_on_commit_callbacks
):
    cache.clear()
    client.get("/cities/")
    assert "NO" not in dict(client.get("/cities/").context["choices"]["countries"])
    with django_capture_on_commit_callbacks(execute=True):
        city = services.create_city(actor=None, name="Tromsø", country="NO")
        services.create_membership(actor=None, city=city, coalition=world["eccar"])
    assert "NO" in dict(client.get("/cities/").context["choices"]["countries"])
