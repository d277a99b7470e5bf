"""Cities hear of every decision about them, with the grounds, by email and on the dashboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coalition.models import OutgoingEmail
from governance import services
from members.models import Membership, RoleKind
from tests.factories import RoleFactory, UserFactory
from tests.governance.test_services import _adopted_exclusion

pytestmark = pytest.mark.django_db


def _city_people(world):
    city = world.cities[0]
    coordinator = RoleFactory(city=city, kind=RoleKind.COORDINATOR).user
    delegate = RoleFactory(city=city, kind=RoleKind.DELEGATE).user
    return city, {coordinator.email, delegate.email}


def _emails(template: str, to: set[str]) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(template=template, to__in=to).order_by("id"))


def test_the_city_is_told_of_each_step_of_an_exclusion_with_the_grounds(world):
    city, people = _city_people(world)
    _membership, proposal, _vote = _adopted_exclusion(world)
    steps = _emails("exclusion-city", people)
    # Proposed, then adopted by the committee: each to the coordinator and the delegate.
    assert len(steps) == 4
    assert {e.to for e in steps} == people
    assert all("Racist statements by the mayor." in e.text for e in steps)
    assert "a proposal to exclude" in steps[0].subject
    assert "adopted the proposal" in steps[-1].subject
    assert "may send a written reply" in steps[-1].text

    services.record_assembly_decision(
        actor=world.bureau,
        proposal=proposal,
        exclude=True,
        body="general_conference",
        decided_on=timezone.localdate(),
        reason="Excluded by the General Conference.",
    )
    last = _emails("exclusion-city", people)[-1]
    assert f"{city.name} is excluded" in last.subject
    assert "Excluded by the General Conference." in last.text
    assert "Racist statements by the mayor." in last.text
    # The membership's own generic message is not sent on top of the exclusion's.
    assert _emails("membership-changed", people) == []
    # Nobody else of the city's coalition gets the city's message.
    others = OutgoingEmail.objects.filter(template="exclusion-city").exclude(to__in=people)
    assert others.count() == 0


def test_a_declined_exclusion_is_told_to_the_city_too(world):
    _city, people = _city_people(world)
    _membership, proposal, _vote = _adopted_exclusion(world)
    services.record_assembly_decision(
        actor=world.bureau,
        proposal=proposal,
        exclude=False,
        body="general_assembly",
        decided_on=timezone.localdate(),
        reason="The city apologised and acted.",
    )
    last = _emails("exclusion-city", people)[-1]
    assert "was declined" in last.subject
    assert "The city apologised and acted." in last.text


@pytest.mark.parametrize(
    ("record", "subject"),
    [
        (services.record_suspension, "Suspended"),
        (services.record_withdrawal, "Withdrawn"),
    ],
)
def test_suspension_and_withdrawal_are_told_to_the_city_with_the_reason(world, record, subject):
    _city, people = _city_people(world)
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    record(
        actor=world.bureau,
        membership=membership,
        decided_on=timezone.localdate(),
        reason="Fees unpaid for three years.",
    )
    emails = _emails("membership-changed", people)
    assert {e.to for e in emails} == people
    assert all(subject in e.subject for e in emails)
    assert all("Fees unpaid for three years." in e.text for e in emails)


def test_reinstatement_is_told_to_the_city(world):
    _city, people = _city_people(world)
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    day = timezone.localdate() - dt.timedelta(days=3)
    services.record_suspension(
        actor=world.bureau, membership=membership, decided_on=day, reason="x"
    )
    membership.refresh_from_db()
    services.record_reinstatement(
        actor=world.bureau, membership=membership, decided_on=timezone.localdate(), reason="Paid."
    )
    last = _emails("membership-changed", people)[-1]
    assert "Member" in last.subject and "full member again" in last.text


def test_an_email_in_the_recipients_language(world):
    city = world.cities[0]
    french = UserFactory(language="fr")
    RoleFactory(user=french, city=city, kind=RoleKind.COORDINATOR)
    membership = Membership.objects.get(city=city, coalition=world.coalition)
    services.record_suspension(
        actor=world.bureau, membership=membership, decided_on=timezone.localdate(), reason="x"
    )
    email = OutgoingEmail.objects.get(template="membership-changed", to=french.email)
    assert "Suspendu" in email.subject or "suspendu" in email.text
