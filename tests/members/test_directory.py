"""The public directory /cities/: search, filters, sort, pagination, who is public."""

import pytest
from django.urls import reverse

from members import selectors
from tests.members.conftest import make_cities

URL = "/cities/"


def names(response) -> list[str]:
    return [city.name for city in response.context["cities"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zurich", ["Zürich"]),
        ("ZÜRICH", ["Zürich"]),
        ("koln", ["Köln"]),
        ("Köln", ["Köln"]),
        ("cologne", ["Köln"]),  # local-language name
        ("munchen", ["Munich"]),
        ("gent", ["Ghent"]),
        ("nowhere", []),
    ],
)
def test_search_is_accent_and_case_insensitive_and_knows_local_names(
    client, world, query, expected
):
    response = client.get(URL, {"q": query})
    assert response.status_code == 200
    assert names(response) == expected


def test_directory_lists_members_and_suspended_members_only(client, world):
    listed = names(client.get(URL))
    assert listed == ["Bangkok", "Ghent", "Köln", "Munich", "Zürich"]
    for hidden in ("Hopeville", "Goneville", "Banville"):
        assert hidden not in listed


def test_hidden_cities_are_not_found_by_search_either(client, world):
    for query in ("hopeville", "goneville", "banville"):
        assert names(client.get(URL, {"q": query})) == []
    assert b"Hopeville" not in client.get(URL, {"country": "FR"}).content


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"coalition": "apcad"}, ["Bangkok"]),
        ({"coalition": "eccar", "country": "DE"}, ["Köln", "Munich"]),
        ({"country": "de"}, ["Köln", "Munich"]),
        ({"region": "Bavaria"}, ["Munich"]),
        ({"status": "suspended"}, ["Munich"]),
        ({"status": "member", "country": "DE"}, ["Köln"]),
        ({"coalition": "apcad", "status": "suspended"}, []),
    ],
)
def test_filters_narrow_the_directory(client, world, params, expected):
    assert names(client.get(URL, params)) == expected


def test_status_filter_refuses_private_statuses(client, world):
    response = client.get(URL, {"status": "applicant"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    assert "Hopeville" not in names(response)
    assert b'aria-invalid="true"' in response.content


def test_an_unknown_coalition_is_an_error_on_its_field_not_a_500(client, world):
    response = client.get(URL, {"coalition": "no-such-thing"})
    assert response.status_code == 200
    assert "coalition" in response.context["form"].errors
    assert b'id="id_coalition-error"' in response.content


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Bangkok", "Ghent", "Köln", "Munich", "Zürich"]),
        ("country", ["Ghent", "Zürich", "Köln", "Munich", "Bangkok"]),
        ("joined", ["Ghent", "Bangkok", "Munich", "Zürich", "Köln"]),
        ("-joined", ["Köln", "Zürich", "Munich", "Bangkok", "Ghent"]),
    ],
)
def test_sorting(client, world, sort, expected):
    assert names(client.get(URL, {"sort": sort})) == expected


def test_pagination_keeps_the_filters_in_its_links(client, world):
    make_cities(selectors.DIRECTORY_PAGE_SIZE + 5, world["eccar"])
    response = client.get(URL, {"coalition": "eccar", "sort": "name"})
    page = response.context["page_obj"]
    assert page.paginator.num_pages == 2
    content = response.content.decode()
    assert "?coalition=eccar&amp;sort=name&amp;page=2" in content
    second = client.get(URL, {"coalition": "eccar", "sort": "name", "page": 2})
    first_names = set(names(response))
    assert first_names.isdisjoint(names(second))


def test_bad_page_number_shows_a_page_not_an_error(client, world):
    assert client.get(URL, {"page": "zzz"}).status_code == 200
    assert client.get(URL, {"page": "999"}).status_code == 200


def test_report_overdue_badge(client, world):
    content = client.get(URL, {"q": "ghent"}).content.decode()
    assert "Report overdue" in content
    assert "Report overdue" not in client.get(URL, {"q": "zurich"}).content.decode()


def test_filter_form_is_plain_get_with_labels(client, world):
    content = client.get(URL).content.decode()
    assert 'method="get"' in content
    for field in ("q", "coalition", "country", "region", "status", "sort"):
        assert f'<label for="id_{field}">' in content
    assert "<script>" not in content  # the map reads a JSON script element, no inline JS


def test_map_points_are_a_json_script_of_the_listed_cities(client, world):
    response = client.get(URL, {"coalition": "eccar"})
    points = response.context["map_points"]
    assert {p["name"] for p in points} == {"Ghent", "Köln", "Munich", "Zürich"}
    content = response.content.decode()
    assert '<script id="map-points" type="application/json">' in content
    assert 'src="/static/js/city-map.js"' in content


def test_map_shows_every_match_not_only_the_page(client, world):
    make_cities(70, world["eccar"])
    response = client.get(URL, {"q": "bulk"})
    assert len(response.context["cities"]) == 50  # the first page of the table
    points = response.context["map_points"]
    assert len(points) == 70
    bulk = {"name": "Bulk 69", "url": "/cities/bulk-69/", "lat": 50.0, "lon": 8.0}
    assert {**bulk, "coalitions": [world["eccar"].short_name]} in points
    assert "The map shows every city found, on all pages" in response.content.decode()


def test_map_of_a_very_large_result_shows_the_page_and_points_to_the_export(
    client, world, monkeypatch
):
    monkeypatch.setattr(selectors.directory, "MAP_ALL_LIMIT", 60)
    make_cities(70, world["eccar"])
    response = client.get(URL, {"q": "bulk", "page": 2})
    assert [p["name"] for p in response.context["map_points"]] == [
        c.name for c in response.context["cities"]
    ]
    assert len(response.context["map_points"]) == 20
    assert "the GeoJSON download holds all of them" in response.content.decode()


def test_tile_server_is_a_setting(client, world, settings):
    settings.MAP_TILE_URL = ""
    assert client.get(URL).context["map_settings"]["tiles"] == ""
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    assert "tiles.example.org" in client.get(URL).content.decode()


def test_export_links_carry_the_filters(client, world):
    content = client.get(URL, {"coalition": "eccar", "page": "1", "sort": "country"}).content
    assert b"/api/v1/cities.csv?coalition=eccar" in content
    assert b"/api/v1/cities.geojson?coalition=eccar" in content


def test_home_page_links_to_the_directory_and_coalitions(client, world):
    content = client.get("/").content.decode()
    assert reverse("members:city_list") in content
    assert world["eccar"].get_absolute_url() in content
