"""A city admitted while a cycle is open gets its draft at once (members' MEMBER_JOINED_HOOKS)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coalition.audit import events_for
from members import services as members_services
from members.models import Coalition, MembershipStatus
from reporting.models import Report, ReportingCycle
from tests.factories import CityFactory
from tests.reporting.helpers import report_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(short_name="ECCAR")


def test_a_city_admitted_during_an_open_cycle_gets_its_draft(eccar, bureau):
    city = CityFactory()
    members_services.create_membership(
        actor=bureau, city=city, coalition=eccar, reason="Admitted by the committee."
    )
    open_cycle = report_of("Potsdam", 2025).cycle
    report = Report.objects.get(city=city)  # only the open cycle, not the closed 2024 one
    assert report.cycle == open_cycle
    assert report.status == "draft"
    assert report.sections.count() == open_cycle.plan.commitments.count()
    assert events_for(report).filter(verb="reporting.draft_added").count() == 1


def test_an_applicant_becoming_member_gets_its_draft_an_applicant_does_not(eccar, bureau):
    city = CityFactory()
    membership = members_services.create_membership(
        actor=bureau,
        city=city,
        coalition=eccar,
        status=MembershipStatus.APPLICANT,
        reason="Applied.",
    )
    assert not Report.objects.filter(city=city).exists()
    members_services.change_membership_status(
        actor=bureau,
        membership=membership,
        to_status=MembershipStatus.MEMBER,
        reason="Admitted by the steering committee's vote.",
        notify=False,
    )
    assert Report.objects.filter(city=city, cycle__year=2025).count() == 1


def test_no_draft_when_no_cycle_is_open_and_none_twice(eccar, bureau):
    ReportingCycle.objects.filter(coalition=eccar).update(
        due_on=timezone.localdate() - dt.timedelta(days=1)
    )
    city = CityFactory()
    members_services.create_membership(actor=bureau, city=city, coalition=eccar, reason="Joined.")
    assert not Report.objects.filter(city=city).exists()


def test_a_reinstated_member_keeps_its_one_draft(eccar, bureau):
    report = report_of("Potsdam", 2025)
    membership = report.city.memberships.get(coalition=eccar)
    members_services.change_membership_status(
        actor=bureau, membership=membership, to_status=MembershipStatus.SUSPENDED, reason="Fees."
    )
    members_services.change_membership_status(
        actor=bureau, membership=membership, to_status=MembershipStatus.MEMBER, reason="Paid."
    )
    assert Report.objects.filter(city=report.city, cycle=report.cycle).count() == 1
