"""coalition.services.model_update: only what changed is written, and said."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coalition.models import AuditEvent
from coalition.services import model_update
from members.models import City, Membership
from reporting.models import Report
from tests.factories import CityFactory, MembershipFactory, UserFactory


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
