"""coalition.services.model_update: only what changed is written, and said."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.models import AuditEvent
from coalition.services import model_update
from members import services
from members.models import City, Membership, Role
from reporting.models import Report
from reporting.services.common import _bump
from tests.factories import CityFactory, MembershipFactory, RoleFactory, UserFactory


@pytest.mark.django_db
def test_only_the_changed_fields_are_saved_and_returned():
    city = CityFactory(name="Potsdam", region="Brandenburg")
    # Another request changed the region meanwhile: a full save() would put the old one back.
    City.objects.filter(pk=city.pk).update(region="Havelland")
    with CaptureQueriesContext(connection) as queries:
        changes = model_update(
            city, fields={"name": "Potsdam!", "region": "Brandenburg"}, actor=None
        )
    assert changes == {"name": ("Potsdam", "Potsdam!")}
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert "region" not in update
    city.refresh_from_db()
    assert (city.name, city.region) == ("Potsdam!", "Havelland")


@pytest.mark.django_db
def test_nothing_changed_writes_nothing():
    city = CityFactory(name="Graz")
    with CaptureQueriesContext(connection) as queries:
        assert model_update(city, fields={"name": "Graz"}, actor=None) == {}
    assert len(queries) == 0


@pytest.mark.django_db
def test_a_related_row_is_compared_by_its_key_without_loading_it():
    membership = MembershipFactory()
    same = Membership.objects.get(pk=membership.pk)  # its city not loaded
    other = CityFactory()
    with CaptureQueriesContext(connection) as queries:
        assert model_update(same, fields={"city": membership.city}, actor=None) == {}
    assert len(queries) == 0
    changes = model_update(same, fields={"city": other}, actor=None)
    assert changes == {"city": (membership.city_id, other.pk)}
    assert Membership.objects.get(pk=membership.pk).city_id == other.pk


@pytest.mark.django_db
def test_the_auto_now_fields_move_with_a_change(demo):
    report = Report.objects.order_by("pk").first()
    stamp = report.updated_at
    model_update(report, fields={"questions": "Which partners?"}, actor=None)
    report.refresh_from_db()
    assert report.questions == "Which partners?"
    assert report.updated_at > stamp


@pytest.mark.django_db
def test_touch_false_keeps_the_auto_now_fields(demo):
    report = Report.objects.order_by("pk").first()
    stamp = report.updated_at
    model_update(report, fields={"questions": "Which partners?"}, actor=None, touch=False)
    report.refresh_from_db()
    assert report.questions == "Which partners?"
    assert report.updated_at == stamp


@pytest.mark.django_db
def test_with_a_verb_the_change_is_audited_with_its_fields():
    actor = UserFactory()
    city = CityFactory(name="Ghent")
    model_update(
        city, fields={"name": "Gent", "region": city.region}, actor=actor, verb="city.renamed"
    )
    event = AuditEvent.objects.get(verb="city.renamed")
    assert event.actor == actor
    assert event.object_id == str(city.pk)
    assert event.data == {"changed": ["name"]}


def test_a_new_row_is_refused():
    with pytest.raises(ValueError):
        model_update(City(name="Nowhere"), fields={"name": "Somewhere"}, actor=None)


# --- The services converted to model_update keep their checks and their counters ---------------


@pytest.mark.django_db
def test_update_city_validates_before_anything_is_written():
    city = CityFactory(name="Erfurt", website="https://erfurt.de")
    with pytest.raises(ValidationError):
        services.update_city(actor=None, city=city, name="Erfurt!", website="not a web address")
    assert (city.name, city.website) == ("Erfurt", "https://erfurt.de")  # nor in memory
    city.refresh_from_db()
    assert (city.name, city.website) == ("Erfurt", "https://erfurt.de")
    assert not AuditEvent.objects.filter(verb="city.updated").exists()


@pytest.mark.django_db
def test_update_role_refuses_an_end_before_its_start_and_writes_nothing():
    role = RoleFactory(starts_on=dt.date(2024, 5, 1), ends_on=None)
    with pytest.raises(ValidationError):
        services.update_role(actor=None, role=role, ends_on=dt.date(2024, 4, 30))
    assert Role.objects.get(pk=role.pk).ends_on is None
    assert not AuditEvent.objects.filter(verb="role.updated").exists()


@pytest.mark.django_db
def test_a_report_version_moves_even_when_nothing_else_changed(demo):
    report = Report.objects.order_by("pk").first()
    version, stamp = report.version, report.updated_at
    with CaptureQueriesContext(connection) as queries:
        _bump(report)
    [update] = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"version"' in update and '"updated_at"' in update and '"status"' not in update
    report.refresh_from_db()
    assert report.version == version + 1
    assert report.updated_at > stamp
