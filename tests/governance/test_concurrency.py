"""Integrity under concurrent requests, on PostgreSQL (row locks and constraints are real there).

Run with DATABASE_URL=postgres://...; skipped on SQLite (and failed in CI, see require_service).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection

from coalition.audit import events_for
from governance import services
from governance.models import AdmissionApplication, Ballot, CommitteeSeat, VoteStatus
from governance.services import applications
from members.models import Membership
from tests.factories import UserFactory
from tests.governance.conftest import build_world, pdf_upload, second_seat_of

pytestmark = pytest.mark.integration


def run_at_once(functions) -> list[BaseException]:
    """Start every function in its own thread (own database connection) at the same instant."""
    barrier = threading.Barrier(len(functions))
    errors: list[BaseException] = []

    def run(function):
        try:
            barrier.wait()
            function()
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_many_simultaneous_votes_from_one_seat_leave_exactly_one_ballot(postgres, transactional_db):
    world = build_world()
    vote = world.open_vote(world.apply())
    member = world.members[0]
    choices = ["yes", "no", "abstain"] * 6  # 18 concurrent requests

    errors = run_at_once(
        [lambda c=c: services.cast_vote(actor=member, vote=vote, choice=c) for c in choices]
    )

    assert errors == []
    ballots = Ballot.objects.filter(vote=vote, seat=world.seats[0])
    assert ballots.count() == 1
    ballot = ballots.get()
    # Every change was applied one after the other and audited: one cast, then the changes.
    audited = [e.verb for e in events_for(vote) if e.verb in ("vote.cast", "vote.changed")]
    assert audited.count("vote.cast") == 1
    assert audited.count("vote.changed") == ballot.times_changed
    vote.refresh_from_db()
    assert vote.status == VoteStatus.OPEN


def test_the_last_seats_voting_together_close_the_vote_once(postgres, transactional_db):
    world = build_world()
    application = world.apply()
    vote = world.open_vote(application)

    errors = run_at_once(
        [
            lambda m=member: services.cast_vote(actor=m, vote=vote, choice="yes")
            for member in world.members
        ]
    )

    assert errors == []
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert vote.result["yes"] == 5
    assert [e.verb for e in events_for(vote)].count("vote.closed") == 1
    assert Membership.objects.filter(city__name="Newtown").count() == 1


def test_two_seats_of_one_city_voting_together_leave_one_ballot(postgres, transactional_db):
    """One city, one vote, even when a mistake gave it two seats and both vote at once."""
    world = build_world()
    vote = world.open_vote(world.apply())
    seat = world.seats[0]
    colleague = UserFactory()
    second_seat_of(seat, representative=colleague)
    voters = [seat.representative, colleague] * 5

    errors = run_at_once(
        [lambda v=v: services.cast_vote(actor=v, vote=vote, choice="yes") for v in voters]
    )

    assert errors == []
    assert Ballot.objects.filter(vote=vote, city=seat.city).count() == 1


def test_simultaneous_requests_cannot_give_a_city_two_seats(postgres, transactional_db):
    world = build_world()
    city = world.seats[0].city
    services.end_seat(actor=world.bureau, seat=world.seats[0], ends_on=world.seats[0].starts_on)
    starts_on = world.seats[0].starts_on + dt.timedelta(days=1)

    errors = run_at_once(
        [
            lambda: services.add_seat(
                actor=world.bureau,
                coalition=world.coalition,
                kind="voting",
                city=city,
                starts_on=starts_on,
            )
        ]
        * 6
    )

    assert len(errors) == 5
    assert all(isinstance(e, services.GovernanceError) for e in errors), errors
    assert CommitteeSeat.objects.filter(city=city, ends_on__isnull=True).count() == 1


SPELLINGS = ["Saint-Étienne", "saint etienne", "SAINT ÉTIENNE", "Saint–Etienne", "saint-étienne"]


def _submit_at_once(world, spellings) -> list[BaseException]:
    applicants = [UserFactory() for _ in spellings]
    return run_at_once(
        [
            lambda a=a, s=s: services.submit_application(
                actor=a, details=world.details(city_name=s), letter=pdf_upload()
            )
            for a, s in zip(applicants, spellings, strict=True)
        ]
    )


def test_ten_simultaneous_applications_for_one_new_city_make_one(postgres, transactional_db):
    world = build_world()
    errors = _submit_at_once(world, SPELLINGS * 2)

    assert AdmissionApplication.objects.count() == 1
    assert len(errors) == 9
    assert all(isinstance(e, services.GovernanceError) for e in errors), errors
    assert all("is already in progress" in str(e) and e.field == "city_name" for e in errors)


def test_without_the_check_in_python_the_constraint_alone_keeps_one(
    postgres, transactional_db, monkeypatch
):
    """The check before saving only gives the message early: the database is what refuses."""
    monkeypatch.setattr(applications, "_check_city", lambda details, exclude_pk=None: None)
    world = build_world()
    errors = _submit_at_once(world, SPELLINGS * 2)

    assert AdmissionApplication.objects.count() == 1
    assert len(errors) == 9
    assert all(isinstance(e.__cause__, IntegrityError) for e in errors), errors
