"""The periodic tasks: closing due votes and reminding seats that have not voted (eager)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from governance import services, tasks
from governance.models import ApplicationStatus, CommitteeVote, VoteReminder, VoteStatus
from members.models import City, Membership

pytestmark = pytest.mark.django_db


def test_close_due_votes_closes_only_votes_past_their_date_and_is_idempotent(world):
    due_application = world.apply()
    due = world.open_vote(due_application, days=3)
    later = world.open_vote(world.apply(city_name="Othertown", country="IT"), days=10)
    for member in world.members[:4]:
        services.cast_vote(actor=member, vote=due, choice="yes")
    CommitteeVote.objects.filter(pk=due.pk).update(
        closes_at=timezone.now() - dt.timedelta(minutes=1)
    )

    assert tasks.close_due_votes.delay().get() == [due.pk]
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == VoteStatus.CLOSED and due.outcome == "adopted"
    assert due.close_reason == "deadline"
    assert later.status == VoteStatus.OPEN
    due_application.refresh_from_db()
    assert due_application.status == ApplicationStatus.ADMITTED
    assert Membership.objects.filter(city__name="Newtown").count() == 1

    closed_at = due.closed_at
    assert tasks.close_due_votes.delay().get() == []  # a second run changes nothing
    due.refresh_from_db()
    assert due.closed_at == closed_at
    assert Membership.objects.filter(city__name="Newtown").count() == 1
    assert City.objects.filter(name="Newtown").count() == 1


def test_reminders_go_once_to_voting_seats_that_have_not_voted_two_days_before_close(
    world, django_capture_on_commit_callbacks
):
    soon = world.open_vote(world.apply(), days=1)
    far = world.open_vote(world.apply(city_name="Farville", country="IT"), days=10)
    services.cast_vote(actor=world.members[0], vote=soon, choice="yes")
    services.cast_vote(actor=world.members[1], vote=soon, choice="no")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_vote_reminders.delay().get() == 3
    reminded = sorted(m.to[0] for m in mail.outbox)
    assert reminded == sorted(m.email for m in world.members[2:])
    assert all("Reminder" in m.subject for m in mail.outbox)
    assert VoteReminder.objects.filter(vote=soon).count() == 3
    assert not VoteReminder.objects.filter(vote=far).exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_vote_reminders.delay().get() == 0  # sent once, recorded
    assert len(mail.outbox) == 3


def test_reminders_skip_recused_seats_and_seats_without_a_representative(world):
    membership = Membership.objects.get(city=world.cities[0], coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Grounds."
    )
    vote = services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(hours=30)
    )
    services.update_seat(actor=world.admin, seat=world.seats[2], representative=None)
    assert services.send_vote_reminders() == 3
    seats = set(VoteReminder.objects.filter(vote=vote).values_list("seat_id", flat=True))
    # Seat 0 is recused (its city is the subject); seat 2 has nobody to remind.
    assert seats == {world.seats[1].pk, world.seats[3].pk, world.seats[4].pk}
