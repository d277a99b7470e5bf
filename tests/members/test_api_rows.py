"""The API's city list written from plain values (members.api.serializers.city_rows): the same
bytes as DRF's list through CitySerializer, in a fixed number of queries."""

import pytest
from rest_framework import mixins

from members.api import CityViewSet
from tests.members.conftest import make_cities

PARAMS = [
    {},
    {"q": "koln"},
    {"coalition": "eccar"},
    {"coalition": "iccar", "status": "suspended"},
    {"country": "de", "region": "Bavaria"},
    {"sort": "joined"},
    {"sort": "-joined"},
    {"sort": "country"},
    {"page_size": 2, "page": 2},
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("params", PARAMS)
def test_the_city_list_is_byte_identical_to_drfs_list_through_the_serializer(
    client, world, monkeypatch, params, language
):
    world["koln"].memberships.create(coalition=world["apcad"], status="member")
    rows = client.get("/api/v1/cities/", params, HTTP_ACCEPT_LANGUAGE=language)
    monkeypatch.setattr(CityViewSet, "list", mixins.ListModelMixin.list)
    generic = client.get("/api/v1/cities/", params, HTTP_ACCEPT_LANGUAGE=language)
    assert rows.status_code == generic.status_code == 200
    assert rows.json()["results"], params
    assert rows.content == generic.content


def test_the_city_list_costs_three_queries_however_many_cities(
    client, world, django_assert_num_queries
):
    make_cities(120, world["eccar"])
    with django_assert_num_queries(3):  # the count, the page of cities, their memberships
        page = client.get("/api/v1/cities/", {"page_size": 100}).json()
    assert len(page["results"]) == 100
    assert all(city["memberships"] for city in page["results"])
