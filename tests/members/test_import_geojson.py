"""GeoJSON import, and round trips through either format (issue 12, "Open data")."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from members import services
from members.admin import cities as city_admin
from members.importer import CSV_HEADER, file_format, import_cities
from members.models import City, Membership, MembershipStatusChange

TRICKY_NAME = 'Aÿ-Champagne, "la Marne"'


@pytest.fixture
def open_world(world):
    """The directory of `world` with a city whose fields hold accents, commas and quotes, a
    local name, and a member city without coordinates."""
    tricky = services.create_city(
        actor=None,
        name=TRICKY_NAME,
        country="FR",
        local_name="Aÿ « Champagne »",
        region='Grand Est, "Champagne"',
        latitude=Decimal("49.055"),
        longitude=Decimal("4.0"),
        population=3700,
        website="https://www.ay-champagne.fr/?a=1,b=2",
    )
    services.create_membership(
        actor=None, city=tricky, coalition=world["eccar"], signed_on=dt.date(2021, 3, 21)
    )
    nowhere = services.create_city(actor=None, name="Sans-Lieu", country="FR", region="Jura")
    services.create_membership(
        actor=None, city=nowhere, coalition=world["eccar"], signed_on=dt.date(2019, 1, 2)
    )
    return world


def export(client, fmt: str) -> bytes:
    return b"".join(client.get(f"/api/v1/cities.{fmt}").streaming_content)


def empty_the_directory() -> None:
    Membership.objects.filter(status__in=["member", "suspended"]).delete()
    MembershipStatusChange.objects.all().delete()
    City.objects.filter(memberships__isnull=True).delete()


def geojson(*features) -> io.BytesIO:
    return io.BytesIO(json.dumps({"type": "FeatureCollection", "features": features}).encode())


def feature(lon=8.0, lat=47.0, geometry=None, **properties) -> dict:
    props = {"name": "Testville", "country": "DE", **properties}
    if geometry is None:
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "geometry": geometry, "properties": props}


# --- round trips ---------------------------------------------------------------


def test_csv_export_round_trips_through_an_empty_directory(client, open_world):
    exported = export(client, "csv")
    text = exported.decode()
    assert TRICKY_NAME.replace('"', '""') in text and "Sans-Lieu" in text
    empty_the_directory()
    assert not City.objects.filter(name=TRICKY_NAME).exists()
    result = import_cities(io.BytesIO(exported))
    assert result.ok, result.errors
    assert result.cities["created"] == 7
    tricky = City.objects.get(name=TRICKY_NAME)
    assert tricky.local_name == "Aÿ « Champagne »"
    assert City.objects.get(name="Sans-Lieu").latitude is None
    assert export(client, "csv") == exported
    again = import_cities(io.BytesIO(exported))  # and back into the same: nothing changes
    assert again.cities == {"unchanged": 7} and again.memberships == {"unchanged": 7}
    assert export(client, "csv") == exported


def test_geojson_export_round_trips_and_leaves_out_the_city_without_coordinates(client, open_world):
    exported = export(client, "geojson")
    names = [f["properties"]["name"] for f in json.loads(exported)["features"]]
    assert TRICKY_NAME in names and "Sans-Lieu" not in names  # unplaceable: left out
    empty_the_directory()
    result = import_cities(io.BytesIO(exported), file_format="geojson")
    assert result.ok, result.errors
    assert result.cities["created"] == 6 and result.memberships["created"] == 6
    assert not City.objects.filter(name="Sans-Lieu").exists()
    assert City.objects.get(name=TRICKY_NAME).local_name == "Aÿ « Champagne »"
    assert export(client, "geojson") == exported
    again = import_cities(io.BytesIO(exported), file_format="geojson")
    assert again.cities == {"unchanged": 6} and again.memberships == {"unchanged": 6}
    assert export(client, "geojson") == exported


def test_the_two_formats_import_the_same_directory(client, open_world):
    csv_export, geojson_export = export(client, "csv"), export(client, "geojson")
    empty_the_directory()
    assert import_cities(io.BytesIO(geojson_export), file_format="geojson").ok
    from_geojson = export(client, "csv")
    empty_the_directory()
    assert import_cities(io.BytesIO(csv_export)).ok
    lines = set(export(client, "csv").decode().splitlines())
    assert set(from_geojson.decode().splitlines()) == lines - {
        line for line in lines if line.startswith("Sans-Lieu,")
    }


def test_the_command_reads_a_geojson_file(client, tmp_path, open_world):
    path = tmp_path / "cities.geojson"
    path.write_bytes(export(client, "geojson"))
    out = io.StringIO()
    call_command("import_cities", str(path), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "cities: 0 created, 0 updated, 6 unchanged" in out.getvalue()


# --- what the GeoJSON import reads ---------------------------------------------------


def test_a_feature_is_read_like_a_csv_line(world):
    result = import_cities(
        geojson(
            feature(
                8.6724,
                49.3988,
                name="Heidelberg",
                local_name="Heidelberg am Neckar",
                population=160000,
                coalition="ECCAR",
                joined_on="2015-02-09",
            ),
            feature(geometry=None, name="Ortlos", memberships=[]) | {"geometry": None},
        ),
        file_format="geojson",
    )
    assert result.ok, result.errors
    heidelberg = City.objects.get(name="Heidelberg")
    assert (heidelberg.latitude, heidelberg.longitude) == (Decimal("49.3988"), Decimal("8.6724"))
    assert heidelberg.local_name == "Heidelberg am Neckar" and heidelberg.population == 160000
    assert heidelberg.memberships.get().status == "member"
    assert City.objects.get(name="Ortlos").latitude is None


def test_a_bad_feature_gets_the_csv_message_for_the_same_cell(world):
    line = "Nowhere,XX,,NOPE,,,,,,"
    by_csv = import_cities(io.StringIO(",".join(CSV_HEADER) + "\n" + line + "\n"))
    by_geojson = import_cities(
        geojson(feature(name="Nowhere", country="XX", coalition="NOPE") | {"geometry": None}),
        file_format="geojson",
    )
    assert [e.message for e in by_geojson.errors] == [e.message for e in by_csv.errors]
    assert str(by_geojson.errors[0]).startswith("feature 1: unknown country")
    assert str(by_csv.errors[0]).startswith("line 2: unknown country")


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (b'{"type": "FeatureCollection", "features": [', "not valid JSON"),
        (b"[1, 2]", "not a GeoJSON FeatureCollection"),
        (json.dumps(feature()).encode(), "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection"}', "no list of features"),
        ("K\xf6ln".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused_as_a_whole(world, document, expected):
    result = import_cities(io.BytesIO(document), file_format="geojson")
    assert not result.ok and len(result.errors) == 1
    assert result.errors[0].line == 0 and expected in result.errors[0].message


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ({"type": "Feature"} | {"properties": "x"}, "the properties are not an object"),
        ({"type": "Thing"}, "not a GeoJSON Feature"),
        (
            feature(geometry={"type": "LineString", "coordinates": [[8, 47], [9, 48]]}),
            "the geometry is not a Point (LineString)",
        ),
        (feature(geometry={"type": "Point", "coordinates": [8]}), "not [longitude, latitude]"),
        (feature(geometry={"type": "Point", "coordinates": ["8", "47"]}), "not [longitude"),
        (feature(200, 47), "longitude 200 is out of range (-180 to 180)"),
        (feature(8, -95), "latitude -95 is out of range (-90 to 90)"),
        (feature(13.7563, 100.5018), "the coordinates look swapped"),
        (feature(population=[1]), "population must be text or a number"),
        (feature(population=1.5), "population '1.5' is not a whole number"),
        (feature(latitude=47), "unknown properties: latitude"),
        (feature(memberships="ECCAR"), "memberships must be a list of objects"),
        (
            feature(coalition="ECCAR", memberships=[{"coalition": "ECCAR"}]),
            "either as a list or as coalition, status, joined_on",
        ),
        (feature(memberships=[{"coalition": "ECCAR", "plan": 2}]), "unknown membership"),
    ],
)
def test_each_bad_feature_is_named_and_nothing_is_imported(world, bad, expected):
    result = import_cities(
        geojson(feature(name="Goodtown"), feature(name="Fine"), bad), file_format="geojson"
    )
    assert [e.line for e in result.errors] == [3]
    assert str(result.errors[0]).startswith("feature 3: ")
    assert expected in result.errors[0].message, result.errors[0].message
    assert not City.objects.filter(name__in=["Goodtown", "Fine"]).exists()


def test_a_duplicate_feature_is_named_with_the_first_one(world):
    result = import_cities(
        geojson(feature(coalition="ECCAR"), feature(coalition="ECCAR")), file_format="geojson"
    )
    assert [str(e) for e in result.errors] == [
        "feature 2: duplicate membership in the file (same city and coalition as feature 1)"
    ]


def test_the_export_quote_is_kept_in_geojson_where_no_formula_runs(world):
    result = import_cities(geojson(feature(region="'=Region")), file_format="geojson")
    assert result.ok, result.errors
    assert City.objects.get(name="Testville").region == "'=Region"


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("cities.csv", b"{", "csv"),
        ("cities.GeoJSON", b"name", "geojson"),
        ("cities.json", b"", "geojson"),
        ("cities", b'\xef\xbb\xbf {"type"', "geojson"),
        ("cities", b"name,country", "csv"),
        ("cities.xlsx", b"PK", None),
    ],
)
def test_the_format_is_told_by_extension_then_content(name, head, kind):
    assert file_format(name, head) == kind


# --- the admin's import page ---------------------------------------------------------


def upload(client, name: str, content: bytes, dry_run: bool = False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post("/admin/members/city/import/", data)


def test_the_import_page_documents_both_formats(client, bureau):
    client.force_login(bureau)
    content = client.get("/admin/members/city/import/").content.decode()
    assert "CSV or GeoJSON file" in content and "[longitude, latitude]" in content
    assert ",<wbr>".join(CSV_HEADER) in content


def test_the_import_page_imports_a_geojson_file(client, bureau):
    client.force_login(bureau)
    content = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [feature(18.9553, 69.6492, name="Tromsø", country="NO", coalition="ECCAR")],
        }
    ).encode()
    assert upload(client, "cities.geojson", content, dry_run=True).status_code == 200
    assert not City.objects.filter(name="Tromsø").exists()
    assert upload(client, "cities.geojson", content).status_code == 302
    tromso = City.objects.get(name="Tromsø")
    assert tromso.longitude == Decimal("18.9553")
    entry = tromso.memberships.get().history.get()
    assert "cities.geojson, feature 1" in entry.reason and entry.changed_by == bureau


def test_the_import_page_names_bad_features_by_number(client, bureau):
    client.force_login(bureau)
    content = json.dumps(
        {"type": "FeatureCollection", "features": [feature(), feature(13.7563, 100.5018)]}
    ).encode()
    response = upload(client, "cities.json", content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing imported" in page and ">Feature</th>" in page and "look swapped" in page
    assert not City.objects.filter(name="Testville").exists()


def test_the_import_page_refuses_other_types_and_large_files_on_the_field(
    client, bureau, monkeypatch
):
    client.force_login(bureau)
    response = upload(client, "cities.xlsx", b"PK\x03\x04")
    assert "Upload a .csv or a .geojson" in response.context["form"].errors["file"][0]
    monkeypatch.setattr(city_admin, "IMPORT_MAX_BYTES", 10)
    response = upload(client, "cities.geojson", b'{"type": "FeatureCollection", "features": []}')
    assert "larger than" in response.context["form"].errors["file"][0]
