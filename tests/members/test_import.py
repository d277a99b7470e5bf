"""`manage.py import_cities` and the importer service behind it."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from coalition.models import AuditEvent
from members import services
from members.importer import CSV_HEADER, import_cities
from members.models import City, Membership, MembershipStatus, MembershipStatusChange

HEADER = ",".join(CSV_HEADER)
GOOD = f"""{HEADER}
Heidelberg,DE,Baden-Württemberg,ECCAR,49.3988,8.6724,160000,2015-02-09,member,https://www.heidelberg.de
Potsdam,DE,Brandenburg,ECCAR,52.3906,13.0645,185000,2004-12-10,member,
Potsdam,DE,Brandenburg,APCAD,,,,2020-01-01,applicant,
Tromsø,no,Troms,,69.6492,18.9553,,,,
"""


def write(tmp_path, text: str, name: str = "cities.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cities", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> tuple:
    return (
        sorted(City.objects.values_list("name", "country", "region", "population", "latitude")),
        sorted(
            Membership.objects.values_list(
                "city__name", "coalition__short_name", "status", "signed_on"
            )
        ),
        MembershipStatusChange.objects.count(),
    )


def test_good_file_imports_cities_and_memberships_with_history(tmp_path, world):
    out, err = run(write(tmp_path, GOOD))
    assert "cities: 3 created, 0 updated, 0 unchanged" in out
    assert "memberships: 3 created, 0 updated, 0 unchanged" in out
    assert "validated 4/4 rows" in err
    heidelberg = City.objects.get(name="Heidelberg")
    assert heidelberg.slug == "heidelberg" and heidelberg.population == 160000
    assert heidelberg.search_name == "heidelberg"
    tromso = City.objects.get(name="Tromsø")
    assert tromso.country.code == "NO" and not tromso.memberships.exists()
    potsdam = Membership.objects.get(city__name="Potsdam", coalition__short_name="APCAD")
    assert potsdam.status == MembershipStatus.APPLICANT
    entry = potsdam.history.get()
    assert entry.to_status == "applicant" and "cities.csv, line 4" in entry.reason


def test_dry_run_writes_nothing_but_counts(tmp_path, world):
    before = snapshot()
    out, _ = run(write(tmp_path, GOOD), "--dry-run")
    assert "Dry run" in out and "cities: 3 created" in out
    assert snapshot() == before


def test_bad_file_imports_nothing_and_names_every_bad_line(tmp_path, world):
    bad = f"""{HEADER}
Goodtown,DE,Hesse,ECCAR,50.1,8.6,1000,2020-01-01,member,https://goodtown.example
,DE,,,,,,,,
Badcountry,XX,,ECCAR,,,,,,
Nocoalition,FR,,NOPE,,,,,,
Farnorth,FR,,,95,10,,,,
Farwest,FR,,,45,-200,,,,
Baddate,FR,,ECCAR,,,,2020-13-45,,
Badstatus,FR,,ECCAR,,,,,member-ish,
Badnumber,FR,,,,,lots,,,
Goodtown,DE,Hesse,ECCAR,50.1,8.6,1000,2020-01-01,member,https://goodtown.example
Halfpoint,FR,,,45,,,,,
Badweb,FR,,,,,,,,not a url
Zürich,CH,,ECCAR,,,,,applicant,
"""
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing imported: 12 bad row"):
        run(write(tmp_path, bad))
    assert snapshot() == before
    result = import_cities(io.StringIO(bad))
    reasons = {e.line: e.message for e in result.errors}
    assert sorted(reasons) == list(range(3, 15))
    assert "missing name" in reasons[3]
    assert "unknown country 'XX'" in reasons[4]
    assert "unknown coalition 'NOPE'" in reasons[5]
    assert "latitude 95 is out of range" in reasons[6]
    assert "longitude -200 is out of range" in reasons[7]
    assert "bad date '2020-13-45'" in reasons[8]
    assert "bad status 'member-ish'" in reasons[9]
    assert "population 'lots' is not a whole number" in reasons[10]
    assert "duplicate row in the file (same city and coalition as line 2)" in reasons[11]
    assert "both latitude and longitude" in reasons[12]
    assert "not a web address" in reasons[13]
    assert "cannot go from Member to Applicant" in reasons[14]


def test_bad_header_is_reported_on_line_one(world):
    result = import_cities(io.StringIO("name,country,town\nX,DE,Y\n"))
    (error,) = result.errors
    assert error.line == 1 and "missing columns" in error.message and "town" in error.message


def test_non_utf8_file_is_refused_cleanly(world):
    result = import_cities(io.BytesIO(f"{HEADER}\nK\xf6ln,DE,,,,,,,,\n".encode("latin-1")))
    assert not result.ok and "UTF-8" in result.errors[0].message


def test_reimporting_the_same_file_changes_nothing(tmp_path, world):
    path = write(tmp_path, GOOD)
    run(path)
    before = snapshot()
    out, _ = run(path)
    assert "cities: 0 created, 0 updated, 3 unchanged" in out
    assert "memberships: 0 created, 0 updated, 3 unchanged" in out
    assert snapshot() == before


def test_reimport_with_changes_updates_and_keeps_history(tmp_path, world):
    run(write(tmp_path, GOOD))
    changed = GOOD.replace("160000,2015-02-09,member", "165000,2015-02-09,suspended")
    out, _ = run(write(tmp_path, changed, "v2.csv"))
    assert "cities: 0 created, 1 updated, 2 unchanged" in out
    assert "memberships: 0 created, 1 updated, 2 unchanged" in out
    membership = Membership.objects.get(city__name="Heidelberg")
    assert membership.status == "suspended"
    assert list(membership.history.values_list("from_status", "to_status")) == [
        ("", "member"),
        ("member", "suspended"),
    ]
    assert City.objects.get(name="Heidelberg").population == 165000


def test_a_city_is_identified_by_name_and_country(tmp_path, world):
    text = f"{HEADER}\nzürich,CH,Canton of Zürich,ECCAR,,,,2016-09-28,member,\n"
    result = import_cities(io.StringIO(text))
    assert result.ok, result.errors
    assert result.memberships["unchanged"] == 1
    assert City.objects.filter(country="CH").count() == 1


def test_export_then_reimport_round_trips(client, tmp_path, world):
    exported = b"".join(client.get("/api/v1/cities.csv").streaming_content)
    path = tmp_path / "export.csv"
    path.write_bytes(exported)
    before = snapshot()
    out, _ = run(path)
    assert "cities: 0 created, 0 updated, 5 unchanged" in out
    assert "memberships: 0 created, 0 updated, 5 unchanged" in out
    assert snapshot() == before


def test_export_imports_into_an_empty_directory_and_exports_the_same(client, tmp_path, world):
    exported = b"".join(client.get("/api/v1/cities.csv").streaming_content)
    Membership.objects.filter(status__in=["member", "suspended"]).delete()
    MembershipStatusChange.objects.all().delete()
    City.objects.filter(memberships__isnull=True).delete()
    assert "Zürich".encode() not in b"".join(client.get("/api/v1/cities.csv").streaming_content)
    path = tmp_path / "export.csv"
    path.write_bytes(exported)
    out, _ = run(path)
    assert "cities: 5 created" in out
    assert b"".join(client.get("/api/v1/cities.csv").streaming_content) == exported


def test_progress_is_reported_on_large_files(tmp_path, world):
    lines = [HEADER] + [f"Town {i},DE,,,,,,,," for i in range(1200)]
    calls = []
    result = import_cities(
        io.StringIO("\n".join(lines)), dry_run=True, progress=lambda *a: calls.append(a)
    )
    assert result.ok and result.cities["created"] == 1200
    assert ("validated", 500, 0) in calls and ("validated", 1200, 1200) in calls


# --- The dry run and the import meet the same checks ---------------------------------

NUL_FILE = f"""{HEADER}
Nul\x00town,DE,,ECCAR,,,,,member,
Goodtown,DE,Hesse,,,,,,,
Heidelberg,DE,Baden\x00Württemberg,,,,,,,
"""


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "import"])
def test_a_nul_byte_is_named_by_the_dry_run_and_by_the_import_alike(tmp_path, world, dry_run):
    """PostgreSQL refuses NUL in text: the dry run passed it and the import crashed."""
    before = snapshot()
    with pytest.raises(CommandError, match="Nothing imported: 2 bad row"):
        run(write(tmp_path, NUL_FILE), *(["--dry-run"] if dry_run else []))
    assert snapshot() == before
    result = import_cities(io.StringIO(NUL_FILE), dry_run=dry_run)
    assert [e.line for e in result.errors] == [2, 4]
    assert result.errors[0].message == "name contains a control character (U+0000)"
    assert result.errors[1].message == "region contains a control character (U+0000)"


def test_a_population_the_database_cannot_hold_is_named_by_the_dry_run(world):
    text = f"{HEADER}\nBigtown,DE,,,,,99999999999,,,\n"
    result = import_cities(io.StringIO(text), dry_run=True)
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "population 99999999999 is larger than 2147483647")
    ]


def test_a_check_made_while_writing_is_met_by_the_dry_run_too_with_each_row_named(
    world, monkeypatch
):
    """Whatever refuses a row at write time (a service, a constraint) refuses it in the dry run.

    Every refused row is named, and nothing is written.
    """
    real = services.create_city

    def refusing(*, name, **kwargs):
        if name.startswith("Bad"):
            raise ValidationError({"name": [f"{name} is refused by the service"]})
        return real(name=name, **kwargs)

    monkeypatch.setattr(services, "create_city", refusing)
    text = f"{HEADER}\nBadone,DE,,,,,,,,\nGoodtown,DE,,ECCAR,,,,,member,\nBadtwo,FR,,,,,,,,\n"
    before = snapshot()
    for dry_run in (True, False):
        result = import_cities(io.StringIO(text), dry_run=dry_run)
        assert [e.line for e in result.errors] == [2, 4], dry_run
        assert "Badone is refused by the service" in result.errors[0].message
        assert not result.cities and not result.memberships
        assert snapshot() == before


def test_the_dry_run_writes_nothing_even_though_it_tries_every_write(world):
    events = AuditEvent.objects.count()
    result = import_cities(io.StringIO(GOOD), dry_run=True)
    assert result.ok and result.cities["created"] == 3
    assert not City.objects.filter(name="Heidelberg").exists()
    assert AuditEvent.objects.count() == events
