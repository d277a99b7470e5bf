"""The migration that adds one application in progress per new city, over data that broke it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from members.models import Coalition, PlanOfAction
from tests import databases
from tests.factories import UserFactory

BEFORE = [("governance", "0006_electorate_entry")]
AFTER = [("governance", "0007_application_one_open_per_new_city")]


@pytest.fixture(autouse=True)
def _latest_schema_afterwards(transactional_db):
    """The schema back at the latest migrations for the tests after this one.

    On PostgreSQL the test runs on a copy of the test database, dropped afterwards
    (tests/databases.py). Elsewhere it leaves the database at an old migration: what it
    wrote is deleted (a flush of the tables that exist then) and the migrations are
    applied again.
    """
    if connection.vendor == "postgresql":
        with databases.scratch_copy():
            yield
        return
    yield
    call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_applications_already_in_progress_twice_for_one_city_survive_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Application = executor.loader.project_state(BEFORE).apps.get_model(
        "governance", "AdmissionApplication"
    )
    # The other apps' tables are as their latest migrations left them: today's models fit.
    user = UserFactory()
    coalition = Coalition.objects.create(name="Old", short_name="OLD", slug="old")
    plan = PlanOfAction.objects.create(
        coalition=coalition, title="Plan", adopted_on=dt.date(2010, 1, 1)
    )
    common = {
        "coalition_id": coalition.pk,
        "applicant_id": user.pk,
        "plan_id": plan.pk,
        "country": "FR",
        "contact_name": "C",
        "contact_email": "c@example.org",
        "focal_point_name": "F",
        "focal_point_email": "f@example.org",
        "letter_signed_on": dt.date(2024, 1, 1),
    }
    first = Application.objects.create(city_name="Saint-Étienne", status="submitted", **common)
    second = Application.objects.create(city_name="saint etienne", status="returned", **common)
    closed = Application.objects.create(city_name="Saint Etienne", status="rejected", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    keys = dict(
        new.get_model("governance", "AdmissionApplication").objects.values_list("pk", "city_key")
    )
    assert keys[first.pk] == "saint etienne"
    assert keys[second.pk] == f"saint etienne#{second.pk}"  # kept, for the bureau to settle
    assert keys[closed.pk] == "saint etienne"  # not in progress: outside the constraint
