"""The vote engine: its registry of subjects, and the electorate frozen when a vote opens."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from governance import engine, services
from governance.models import (
    CommitteeVote,
    ElectorateEntry,
    ElectorateStage,
    SeatKind,
    VoteKind,
    VoteStatus,
)
from members import services as members_services
from members.models import Membership
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries(vote, stage) -> list[tuple[int, str, str]]:
    return list(
        ElectorateEntry.objects.filter(vote=vote, stage=stage)
        .order_by("id")
        .values_list("seat_id", "status", "reason")
    )


def open_exclusion_vote(world, city_index: int = 0) -> CommitteeVote:
    membership = Membership.objects.get(city=world.cities[city_index], coalition=world.coalition)
    proposal = services.propose_exclusion(
        actor=world.members[1], membership=membership, grounds="Persistent failure to report."
    )
    return services.open_exclusion_vote(
        actor=world.bureau, proposal=proposal, closes_at=timezone.now() + dt.timedelta(days=5)
    )


@pytest.mark.parametrize("kind", VoteKind.values)
def test_start_up_fails_when_a_kind_of_vote_has_no_subject(kind):
    subject = engine.unregister(kind)
    try:
        with pytest.raises(ImproperlyConfigured, match=kind):
            apps.get_app_config("governance").ready()
    finally:
        engine.register(kind, subject)
    apps.get_app_config("governance").ready()  # registered again: starts


def test_a_kind_of_vote_cannot_have_two_subjects():
    with pytest.raises(ImproperlyConfigured, match="already"):
        engine.register(VoteKind.ADMISSION, engine.VoteSubject())


def test_every_kind_of_vote_has_its_subject():
    for kind in VoteKind.values:
        assert isinstance(engine.subject_for(kind), engine.VoteSubject)


def test_opening_a_vote_freezes_who_may_vote_and_who_is_recused_and_why(world):
    vote = open_exclusion_vote(world)
    seats = [s.pk for s in world.seats]
    # Observers and advisers are not in the electorate; the city concerned is recused.
    assert entries(vote, ElectorateStage.OPENING) == [
        (seats[0], "recused", "subject_city"),
        *[(pk, "eligible", "voting_seat") for pk in seats[1:]],
    ]
    assert entries(vote, ElectorateStage.CLOSING) == []
    assert engine.opening_electorate(vote).eligible == seats[1:]


def test_seats_that_end_or_start_during_a_committee_vote_are_reconciled_and_recorded(world):
    """ADR 0003 still holds: an ended seat stops counting, a new seat counts; ADR 0004 says why."""
    vote = world.open_vote(world.apply())
    opening = entries(vote, ElectorateStage.OPENING)
    gone = world.seats[1]
    services.end_seat(
        actor=world.admin, seat=gone, ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    city = members_services.create_city(actor=world.admin, name="Newcomer", country="DE")
    members_services.create_membership(
        actor=world.admin, city=city, coalition=world.coalition, signed_on=dt.date(2015, 1, 1)
    )
    newcomer = services.add_seat(
        actor=world.admin,
        coalition=world.coalition,
        kind=SeatKind.VOTING,
        city=city,
        starts_on=timezone.localdate(),
        representative=UserFactory(),
    )
    services.cast_vote(actor=newcomer.representative, vote=vote, choice="yes")
    services.close_vote(vote=vote, now=vote.closes_at)
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert newcomer.pk in vote.result["eligible_seats"]
    assert gone.pk not in vote.result["eligible_seats"]
    assert vote.result["electorate"] == 5
    # The opening electorate is untouched; the close adds what changed, and why.
    assert entries(vote, ElectorateStage.OPENING) == opening
    assert sorted(entries(vote, ElectorateStage.CLOSING)) == sorted(
        [(newcomer.pk, "eligible", "joined"), (gone.pk, "left", "left")]
    )


def test_an_unchanged_committee_records_no_changes_at_the_close(world):
    vote = open_exclusion_vote(world)
    for member in world.members[1:]:
        services.cast_vote(actor=member, vote=vote, choice="yes")
    vote.refresh_from_db()
    assert vote.status == VoteStatus.CLOSED
    assert entries(vote, ElectorateStage.CLOSING) == []


def test_the_migration_backfills_the_electorate_of_earlier_votes_from_their_records(world):
    """Votes opened before the engine get the entries the engine would have written."""
    migration = importlib.import_module("governance.migrations.0006_electorate_entry")
    closed = world.open_vote(world.apply())
    services.end_seat(
        actor=world.admin, seat=world.seats[2], ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    services.close_vote(vote=closed, now=closed.closes_at)
    still_open = open_exclusion_vote(world, city_index=3)
    written = {
        vote.pk: {stage: entries(vote, stage) for stage in ElectorateStage.values}
        for vote in (closed, still_open)
    }
    assert written[closed.pk][ElectorateStage.CLOSING] == [(world.seats[2].pk, "left", "left")]
    ElectorateEntry.objects.all().delete()

    migration.backfill_electorates(apps, None)

    for vote in (closed, still_open):
        for stage in ElectorateStage.values:
            assert sorted(entries(vote, stage)) == sorted(written[vote.pk][stage])
