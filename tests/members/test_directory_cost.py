"""What keeps the directory cheap (issue 13) does not change what it shows: the rows written by
one tag are escaped as the template escaped them, the matches are counted right however they
are read, and the cache's generation is read once per request but a change is seen at once."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.signals import request_finished, request_started

from members import selectors
from members.models import MembershipStatus
from members.selectors import directory
from tests.factories import CityFactory, MembershipFactory

URL = "/cities/"


def test_rows_escape_every_value(client, world):
    city = CityFactory(
        name='Ville <b>"&',
        slug="ville-b",
        country="FR",
        region="R<e>gion",
        local_name="L'<i>",
    )
    MembershipFactory(city=city, coalition=world["eccar"], status=MembershipStatus.SUSPENDED)
    content = client.get(URL, {"q": "ville"}).content.decode()
    assert "Ville &lt;b&gt;&quot;&amp;" in content
    assert "R&lt;e&gt;gion" in content
    assert "(L&#x27;&lt;i&gt;)" in content
    assert "<b>" not in content and "<i>" not in content
    assert 'href="/cities/ville-b/"' in content
    assert '<span class="badge badge--warn">Suspended</span>' in content


@pytest.mark.parametrize("public_cities", [5, 10_000])
def test_the_count_is_right_whichever_way_it_is_read(client, world, public_cities):
    """Below MAP_ALL_LIMIT public cities the directory counts its matches as it reads them;
    above it, it asks the database. The figure that decides is a hint only."""
    cache.clear()
    with mock.patch.object(
        directory, "public_figures", return_value={"cities": public_cities, "countries": 1}
    ):
        response = client.get(URL, {"coalition": "eccar"})
    assert response.context["page_obj"].paginator.count == 4
    assert {p["name"] for p in response.context["map_points"]} == {
        "Ghent",
        "Köln",
        "Munich",
        "Zürich",
    }


def test_a_stale_hint_still_pages_the_map(client, world, monkeypatch):
    """A hint saying the cities are few while they are more than the map shows: the map
    still shows the page's cities only."""
    cache.clear()
    monkeypatch.setattr(directory, "MAP_ALL_LIMIT", 3)
    monkeypatch.setattr(directory, "DIRECTORY_PAGE_SIZE", 2)
    with mock.patch.object(directory, "public_figures", return_value={"cities": 1}):
        response = client.get(URL, {"coalition": "eccar"})
    assert response.context["map_shows_all"] is False
    assert len(response.context["map_points"]) == 2
    assert response.context["page_obj"].paginator.count == 4


def test_the_generation_is_read_once_per_request(client, world):
    cache.clear()
    client.get("/")  # the values are computed and kept by this process
    real = cache.get_or_set
    with mock.patch.object(cache, "get_or_set", side_effect=real) as get_or_set:
        assert client.get("/").status_code == 200  # figures and network counts
    assert [c.args[0] for c in get_or_set.call_args_list].count(directory._GENERATION_KEY) == 1


def test_a_change_within_a_request_and_outside_one_is_seen_at_once(db):
    cache.clear()
    request_started.send(sender=None)
    try:
        first = directory._generation()
        assert directory._generation() == first  # kept for the request
        selectors.directory_changed()
        assert directory._generation() != first
    finally:
        request_finished.send(sender=None)
    # Outside a request (a task, a shell): read every time.
    before = directory._generation()
    selectors.directory_changed()
    assert directory._generation() != before
