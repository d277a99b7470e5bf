"""An admission decided while a reporting cycle is open gives the new member its draft at once
(members.services → settings.MEMBER_JOINED_HOOKS → reporting), in the vote's transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from members.models import City
from reporting import services as reporting_services
from reporting.models import Report
from tests.factories import UserFactory
from tests.governance.test_services import all_vote

pytestmark = pytest.mark.django_db


def test_a_city_admitted_by_the_committees_vote_gets_the_open_cycles_draft(world):
    today = timezone.localdate()
    cycle = reporting_services.open_cycle(
        actor=world.bureau,
        coalition=world.coalition,
        year=today.year,
        opens_on=today - dt.timedelta(days=10),
        due_on=today + dt.timedelta(days=50),
        plan=world.plan,
    )
    before = cycle.reports.count()
    application = world.apply(UserFactory(email="applicant@newtown.example"))
    vote = world.open_vote(application)
    all_vote(world, vote, ["yes"] * 5)
    newtown = City.objects.get(name="Newtown", country="FR")
    report = Report.objects.get(cycle=cycle, city=newtown)
    assert report.sections.count() == len(world.commitments)
    assert cycle.reports.count() == before + 1
