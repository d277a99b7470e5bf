"""A city's profile: its committee seats with terms, and its dated membership history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members import services
from members.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


def test_profile_shows_current_and_past_committee_seats_with_terms(client, demo):
    content = client.get("/cities/ghent/").content.decode()
    assert "Steering committee seats" in content and "ECCAR: Voting member" in content
    past = client.get("/cities/nuremberg/").content.decode()
    assert "past term" in past and "ECCAR: Voting member" in past
    assert "Steering committee seats" not in client.get("/cities/bangkok/").content.decode()


def test_profile_shows_dated_changes_with_reason_and_decision(client, demo, administrator):
    membership = Membership.objects.get(city__name="Metz", coalition__short_name="ECCAR")
    services.change_membership_status(
        actor=administrator,
        membership=membership,
        to_status=MembershipStatus.SUSPENDED,
        reason="Fees unpaid for two years.",
        effective_on=dt.date(2024, 3, 1),
        decision=membership.coalition,  # any decision object: the page names its kind
    )
    content = client.get("/cities/metz/").content.decode()
    assert "Membership history" in content
    assert "Member → Suspended" in content and "Fees unpaid for two years." in content
    assert "March 1, 2024" in content
    assert "Decision: coalition" in content


def test_history_leaves_out_the_steps_of_applications(client, demo):
    content = client.get("/cities/potsdam/").content.decode()
    assert "Applicant" not in content.split("Membership history")[-1].split("</section>")[0]


def test_profile_costs_the_same_queries_with_a_long_history(client, demo, administrator):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/cities/rotterdam/").status_code == 200
        return len(queries)

    client.get("/cities/rotterdam/")
    before = count()
    membership = Membership.objects.get(city__name="Rotterdam", coalition__short_name="ECCAR")
    for n in range(6):
        services.change_membership_status(
            actor=administrator,
            membership=membership,
            to_status=MembershipStatus.SUSPENDED if n % 2 == 0 else MembershipStatus.MEMBER,
            reason=f"Step {n}",
        )
    assert count() == before
