"""The bureau's audit log: scoped to the bureau's coalitions, filtered, paged, exported."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from coalition import audit
from coalition.models import AuditEvent
from members.models import City, Coalition, Membership

URL = "governance:audit_log"
CSV_URL = "governance:audit_log_export"


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def _page(client, **params) -> str:
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def accar(demo):
    return Coalition.objects.get(short_name="ACCAR")


@pytest.fixture
def events(demo, bureau, administrator, accar):
    """A few events about ECCAR, one of its cities, and ACCAR."""
    eccar = Coalition.objects.get(slug="eccar")
    potsdam = Membership.objects.get(city__name="Potsdam", coalition=eccar)
    accar_city = City.objects.filter(memberships__coalition=accar).first()
    audit.record(actor=bureau, target=eccar, verb="audittest.eccar", message="ECCAR event")
    audit.record(
        actor=administrator, target=potsdam, verb="audittest.potsdam", message="Potsdam event"
    )
    audit.record(actor=administrator, target=accar, verb="audittest.accar", message="ACCAR secret")
    if accar_city is not None:
        audit.record(
            actor=administrator,
            target=accar_city,
            verb="audittest.accarcity",
            message="ACCAR city secret",
        )
    audit.record(actor=administrator, target=administrator, verb="audittest.account")
    return {"eccar": eccar, "potsdam": potsdam}


def test_eccar_bureau_sees_its_coalitions_events_and_none_of_another_coalition(
    client, bureau, events
):
    client.force_login(bureau)
    page = _page(client)
    assert "ECCAR event" in page and "Potsdam event" in page
    assert "ACCAR secret" not in page
    assert "ACCAR city secret" not in page
    assert "audittest.account" not in page


def test_the_other_coalitions_bureau_does_not_see_eccars_events(client, other_bureau, events):
    client.force_login(other_bureau)
    page = _page(client)
    assert "ACCAR secret" in page
    assert "ECCAR event" not in page and "Potsdam event" not in page


def test_bureau_cannot_choose_another_coalition(client, bureau, events, accar):
    client.force_login(bureau)
    page = _page(client, coalition=accar.pk)
    assert "ACCAR secret" not in page
    assert "Select a valid choice" in page


def test_administrator_sees_every_event_and_filters_by_coalition(
    client, administrator, events, accar
):
    client.force_login(administrator)
    page = _page(client)
    assert "ECCAR event" in page and "ACCAR secret" in page and "audittest.account" in page
    page = _page(client, coalition=accar.pk)
    assert "ACCAR secret" in page and "ECCAR event" not in page


def test_filters_by_city_person_kind_and_dates(client, bureau, events):
    client.force_login(bureau)
    potsdam_city = events["potsdam"].city
    page = _page(client, city=potsdam_city.pk)
    assert "Potsdam event" in page and "ECCAR event" not in page

    page = _page(client, person=bureau.email.split("@")[0].upper())
    assert "ECCAR event" in page and "Potsdam event" not in page

    page = _page(client, kind="audittest")
    assert "ECCAR event" in page and "Potsdam event" in page
    page = _page(client, kind="audittest.potsdam")
    assert "Potsdam event" in page and "ECCAR event" not in page

    today = timezone.localdate()
    assert "Potsdam event" in _page(client, since=today, until=today)
    assert "Potsdam event" not in _page(client, since=today + dt.timedelta(days=1))
    assert "Potsdam event" not in _page(client, until=today - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "params",
    [
        {"since": "not a date"},
        {"kind": "no.such.kind"},
        {"city": "x'; DROP TABLE"},
        {"page": "9999"},
        {"page": "-1"},
        {"person": "x" * 300},
    ],
)
def test_hostile_criteria_answer_the_page_with_the_error_not_a_500(client, bureau, events, params):
    client.force_login(bureau)
    assert client.get(reverse(URL), params).status_code == 200
    assert client.get(reverse(CSV_URL), params).status_code == 200


def test_csv_holds_the_filtered_rows_neutralised_and_never_the_data(client, bureau, events):
    eccar = events["eccar"]
    audit.record(
        actor=bureau,
        target=eccar,
        verb="audittest.formula",
        message='=HYPERLINK("http://evil")',
        data={"secret": "secretariat only"},
    )
    client.force_login(bureau)
    response = client.get(reverse(CSV_URL), {"kind": "audittest"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0] == ["time", "actor", "verb", "object type", "object", "from", "to", "message"]
    by_verb = {row[2]: row for row in rows[1:]}
    assert set(by_verb) == {"audittest.eccar", "audittest.potsdam", "audittest.formula"}
    formula = by_verb["audittest.formula"]
    assert formula[7] == '\'=HYPERLINK("http://evil")'
    assert formula[1] == bureau.email and formula[3] == "members.coalition"
    assert "secretariat only" not in "".join(",".join(row) for row in rows)


def test_audit_log_is_paged_by_fifty(client, bureau, events):
    eccar = events["eccar"]
    for n in range(55):
        audit.record(actor=bureau, target=eccar, verb="audittest.many", message=f"many {n}")
    client.force_login(bureau)
    page = _page(client, kind="audittest.many")
    assert page.count("audittest.many)") == 50
    assert "many 54" in page and "many 4<" not in page
    second = _page(client, kind="audittest.many", page=2)
    assert second.count("audittest.many)") == 5


@pytest.mark.parametrize("count", [20, 200])
def test_audit_log_costs_a_fixed_number_of_queries(
    client, bureau, events, count, django_assert_max_num_queries
):
    eccar = events["eccar"]
    potsdam = events["potsdam"]
    for n in range(count):
        audit.record(actor=bureau, target=eccar if n % 2 else potsdam, verb="audittest.load")
    client.force_login(bureau)
    with django_assert_max_num_queries(14):
        _page(client)
    with django_assert_max_num_queries(14):
        _page(client, city=potsdam.city_id, kind="audittest", person="bureau")
    with django_assert_max_num_queries(14):
        response = client.get(reverse(CSV_URL))
        assert len(_csv(response)) > count


def test_bureau_navigation_links_the_audit_log(client, bureau, demo):
    client.force_login(bureau)
    page = client.get(reverse("governance:bureau_home")).content.decode()
    assert reverse(URL) in page


def test_the_log_is_read_only_no_row_is_changed_by_reading(client, bureau, events):
    before = list(AuditEvent.objects.values_list("id", "hash"))
    client.force_login(bureau)
    _page(client)
    client.get(reverse(CSV_URL))
    assert list(AuditEvent.objects.values_list("id", "hash")) == before
