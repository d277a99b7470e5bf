"""Voting cards under concurrent requests, on PostgreSQL (skipped on SQLite; failed in CI)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.utils import timezone

from governance.models import (
    AssemblySession,
    AttendanceEvent,
    CardHolding,
    Registration,
    StatuteProfile,
)
from governance.services import GovernanceError
from governance.services import attendance as services
from governance.services.attendance import cards
from tests.factories import UserFactory
from tests.governance.conftest import build_world
from tests.governance.test_concurrency import run_at_once

pytestmark = pytest.mark.integration


def _sitting_city():
    world = build_world(voting_seats=1)
    city = world.cities[0]
    now = timezone.now()
    session = AssemblySession.objects.create(
        coalition=world.coalition,
        body="general_assembly",
        title="Concurrent assembly",
        mode="hybrid",
        online_join_instructions="Online at https://meet.example/test.",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5),
        status="in_session",
        convened_at=now - dt.timedelta(days=40),
        statute_snapshot=StatuteProfile.current_for(world.coalition).snapshot(),
    )
    people = []
    for role in ("delegate", "substitute"):
        registration = Registration.objects.create(
            session=session,
            city=city,
            person=UserFactory(),
            role=role,
            mode="online",
            status="accredited",
            registered_by=world.bureau,
        )
        AttendanceEvent.objects.create(
            session=session,
            registration=registration,
            city=city,
            person=registration.person,
            kind="check_in",
            channel="online",
            recorded_by=world.bureau,
        )
        people.append(registration)
    return world, session, city, people


def _claims(people, holding=None):
    delegate, substitute = people
    calls = []
    for i in range(20):
        r = people[i % 2]
        if holding is not None and i % 4 == 0:
            calls.append(
                lambda: services.hand_card(actor=delegate.person, holding=holding, to=substitute)
            )
        else:
            calls.append(lambda r=r: services.take_card(actor=r.person, registration=r))
    return calls


def test_twenty_simultaneous_claims_and_handovers_leave_exactly_one_holder(
    postgres, transactional_db
):
    world, session, city, people = _sitting_city()
    errors = run_at_once(_claims(people))
    assert len(errors) == 19
    assert all(isinstance(e, GovernanceError) for e in errors), errors
    assert CardHolding.objects.filter(session=session, city=city, current=True).count() == 1

    holding = CardHolding.objects.get(session=session, city=city, current=True)
    errors = run_at_once(_claims(people, holding))
    assert all(isinstance(e, GovernanceError) for e in errors), errors
    assert CardHolding.objects.filter(session=session, city=city, current=True).count() == 1


def test_without_the_constraint_the_same_claims_leave_several_holders(
    postgres, transactional_db, monkeypatch
):
    """The Python check alone does not hold: every thread sees no holder before any commits."""
    world, session, city, people = _sitting_city()
    original = cards._take_card

    def slow_take(**kwargs):
        time.sleep(0.2)  # the window between the check and the insert, widened
        return original(**kwargs)

    monkeypatch.setattr(cards, "_take_card", slow_take)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX card_one_holder_per_city")
        cursor.execute("DROP INDEX card_one_city_per_holder")
    try:
        run_at_once(_claims(people))
        holders = CardHolding.objects.filter(session=session, city=city, current=True).count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_cardholding")
            cursor.execute(
                "CREATE UNIQUE INDEX card_one_holder_per_city "
                "ON governance_cardholding (session_id, city_id) WHERE current"
            )
            cursor.execute(
                "CREATE UNIQUE INDEX card_one_city_per_holder "
                "ON governance_cardholding (session_id, holder_id) WHERE current"
            )
    assert holders > 1
