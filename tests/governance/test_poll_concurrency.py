"""One city, one ballot under concurrent requests, on PostgreSQL (skipped on SQLite; failed in CI).

Twenty simultaneous ballots for one city, through its delegate and its substitute while the
card passes between them, leave exactly one ballot; without the constraint and the row lock
the same requests leave several.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from governance.engine import polls as engine
from governance.models import CardHolding, CityBallot, PollElector
from governance.services import GovernanceError, attendance
from governance.services import polls as services
from tests.governance.polls_support import sitting_room
from tests.governance.test_concurrency import run_at_once

pytestmark = pytest.mark.integration


def _room_with_a_poll():
    room = sitting_room(2)
    city = room.cities[0]
    attendance.check_in(
        actor=room.world.bureau, registration=room.substitutes[city.pk], channel="desk"
    )
    poll = services.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    return room, city, poll


def _attempts(room, city, poll):
    delegate, substitute = room.delegates[city.pk], room.substitutes[city.pk]
    people = [delegate, substitute]

    def hand_over(to):
        holding = CardHolding.objects.get(session=room.session, city=city, current=True)
        attendance.hand_card(actor=room.world.bureau, holding=holding, to=to)

    calls = []
    for i in range(20):
        if i % 5 == 4:  # four handovers among the twenty requests
            calls.append(lambda i=i: hand_over(people[(i // 5) % 2]))
        else:
            person = people[i % 2].person
            choice = ["yes", "no", "abstain"][i % 3]
            calls.append(
                lambda p=person, c=choice: services.cast_ballot(actor=p, poll=poll, choice=c)
            )
    return calls


def test_twenty_simultaneous_ballots_for_one_city_leave_exactly_one(postgres, transactional_db):
    room, city, poll = _room_with_a_poll()
    errors = run_at_once(_attempts(room, city, poll))
    unexpected = [e for e in errors if not isinstance(e, GovernanceError)]
    assert not unexpected, " | ".join(str(e).replace("\n", " ") for e in unexpected)
    assert CityBallot.objects.filter(poll=poll, city=city).count() == 1
    ballot = CityBallot.objects.get(poll=poll, city=city)
    assert ballot.cast_by_id in (
        room.delegates[city.pk].person_id,
        room.substitutes[city.pk].person_id,
    )


def test_without_the_constraint_and_the_lock_the_same_ballots_leave_several(
    postgres, transactional_db, monkeypatch
):
    room, city, poll = _room_with_a_poll()
    check = engine._check_choice

    def no_lock(poll, city_id):
        return PollElector.objects.filter(poll=poll, city_id=city_id).first()

    def slow_check(*args):
        time.sleep(0.2)  # the window between "no ballot yet" and the insert, widened
        return check(*args)

    monkeypatch.setattr(engine, "_lock_elector", no_lock)
    monkeypatch.setattr(engine, "_check_choice", slow_check)
    delegate = room.delegates[city.pk].person
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE governance_cityballot DROP CONSTRAINT poll_one_ballot_per_city")
    try:
        run_at_once([lambda: services.cast_ballot(actor=delegate, poll=poll, choice="yes")] * 20)
        ballots = CityBallot.objects.filter(poll=poll, city=city).count()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM governance_cityballot")
            cursor.execute(
                "ALTER TABLE governance_cityballot ADD CONSTRAINT poll_one_ballot_per_city "
                "UNIQUE (poll_id, city_id)"
            )
    assert ballots > 1
