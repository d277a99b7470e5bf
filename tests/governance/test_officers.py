"""Officer elections: the committee's voting seats elect its President and Vice-Presidents;
certification writes the officers' terms and ends their predecessors'."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.models import AuditEvent
from governance.errors import GovernanceError
from governance.models import (
    CommitteeOfficer,
    CommitteeSeat,
    Election,
    ElectionBody,
    ElectionStatus,
    OfficerOffice,
    SeatKind,
)
from governance.services import election_release, officer_elections, officers
from governance.services import elections as election_services
from governance.services import seats as seat_services
from members import services as members_services
from tests.built_once import built_once
from tests.factories import UserFactory
from tests.governance.conftest import build_world
from tests.governance.election_world import end_window, sealed_ballot, shift


@built_once
def world():
    world = build_world(5)
    # A member city sitting as observer: it has a seat but no vote.
    city = members_services.create_city(actor=world.admin, name="Watchtown", country="FR")
    members_services.create_membership(
        actor=world.admin, city=city, coalition=world.coalition, signed_on=dt.date(2012, 1, 1)
    )
    world.extra["observer_city_seat"] = seat_services.add_seat(
        actor=world.admin,
        coalition=world.coalition,
        kind=SeatKind.OBSERVER,
        city=city,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        representative=UserFactory(email="watcher@example.org"),
    )
    return world


def details(method: str = "plurality", title: str = "Election of the President"):
    now, today = timezone.now(), timezone.localdate()
    return election_services.ElectionDetails(
        title=title,
        method=method,
        term_starts_on=today + dt.timedelta(days=60),
        term_ends_on=today + dt.timedelta(days=60 + 4 * 365),
        candidacy_deadline=now + dt.timedelta(days=10),
        voting_opens_at=now + dt.timedelta(days=11),
        voting_closes_at=now + dt.timedelta(days=20),
        challenge_ends_on=today + dt.timedelta(days=30),
    )


def officer_election(world, office=OfficerOffice.PRESIDENT, method="plurality", offices=1):
    return officer_elections.create_officer_election(
        actor=world.bureau,
        coalition=world.coalition,
        office=office,
        details=details(method),
        offices=offices,
    )


def stand(world, election, seats):
    return [
        officer_elections.stand_for_office(
            actor=seat.representative,
            election=election,
            seat=seat,
            statement=f"{seat.city.name} for office.",
        )
        for seat in seats
    ]


def to_voting(world, election, standing):
    election_services.open_call(actor=world.bureau, election=election)
    candidacies = stand(world, election, standing)
    election = shift(election, candidacy_deadline=-dt.timedelta(days=20))
    election_services.publish_candidates(actor=world.bureau, election=election)
    election.refresh_from_db()
    tellers = [world.seats[0].representative, world.seats[1].representative, world.bureau]
    ceremony = election_services.open_voting(
        actor=world.bureau, election=election, tellers=tellers, threshold=2
    )
    election.refresh_from_db()
    return election, candidacies, ceremony


def cast(election, seat, choices):
    ciphertext, _tracker = sealed_ballot(election, choices)
    return election_services.cast_ballot(
        actor=seat.representative, election=election, city=seat.city, ciphertext=ciphertext
    )


def count_and_certify(world, election, ceremony):
    end_window(election)
    election_services.close_voting(actor=world.bureau, election=election)
    election.refresh_from_db()
    election = election_services.tally(
        actor=world.seats[0].representative, election=election, shares=ceremony.shares[:2]
    )
    # Four eyes: the returning officer releases, a teller confirms; only then the period runs.
    election_release.release_result(actor=world.bureau, election=election)
    election = election_release.confirm_release(
        actor=world.seats[0].representative, election=election
    )
    Election.objects.filter(pk=election.pk).update(
        challenge_ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    election.refresh_from_db()
    election_services.certify_election(actor=world.bureau, election=election)
    election.refresh_from_db()
    return election


def test_the_president_is_elected_by_plurality_of_one_office(world):
    with pytest.raises(GovernanceError, match="one President"):
        officer_election(world, offices=2)
    with pytest.raises(GovernanceError, match="plurality"):
        officer_election(world, method="approval")
    election = officer_election(world)
    assert (election.body, election.office, election.seats) == (
        ElectionBody.OFFICERS,
        OfficerOffice.PRESIDENT,
        1,
    )
    assert not election.outgoing_seats.exists()


def test_the_officer_electorate_is_the_voting_seats_and_observers_are_excluded(world):
    election = officer_election(world)
    election, _candidacies, _ceremony = to_voting(world, election, world.seats[:2])
    voters = set(election.voters.values_list("city_id", flat=True))
    assert voters == {s.city_id for s in world.seats}
    observer = world.extra["observer_city_seat"]
    assert observer.city_id not in voters
    # Each seat's representative casts its city's ballot; nobody else does.
    first = world.seats[0]
    assert election_services.cities_cast_by(election, first.representative) == [first.city]
    assert election_services.cities_cast_by(election, observer.representative) == []
    assert election_services.cities_cast_by(election, world.bureau) == []
    with pytest.raises(GovernanceError, match="may not cast"):
        ciphertext, _t = sealed_ballot(election, [])
        election_services.cast_ballot(
            actor=observer.representative,
            election=election,
            city=observer.city,
            ciphertext=ciphertext,
        )


def test_only_a_voting_seats_representative_stands_for_office(world):
    election = officer_election(world)
    election_services.open_call(actor=world.bureau, election=election)
    observer = world.extra["observer_city_seat"]
    with pytest.raises(GovernanceError, match="voting members"):
        officer_elections.stand_for_office(
            actor=observer.representative, election=election, seat=observer, statement="Me"
        )
    with pytest.raises(GovernanceError, match="representative"):
        officer_elections.stand_for_office(
            actor=world.bureau, election=election, seat=world.seats[0], statement="Me"
        )
    assert officer_elections.standing_seats(election, world.seats[0].representative) == [
        world.seats[0]
    ]
    assert officer_elections.standing_seats(election, observer.representative) == []
    # A city's coordinator does not nominate an officer candidate the committee's way.
    with pytest.raises(GovernanceError, match="stand for office themselves"):
        election_services.nominate_candidate(
            actor=world.bureau,
            election=election,
            city=world.cities[0],
            person=world.seats[0].representative,
            statement="",
            letter=None,
        )


def test_certification_writes_the_president_and_ends_the_predecessor(world):
    today = timezone.localdate()
    predecessor = officers.record_officer(
        actor=world.bureau,
        seat=world.seats[4],
        office=OfficerOffice.PRESIDENT,
        starts_on=today - dt.timedelta(days=20),
    )
    election = officer_election(world)
    election, (a, b), ceremony = to_voting(world, election, world.seats[:2])
    for seat, choice in zip(world.seats, [a, a, b, a, b], strict=True):
        cast(election, seat, [choice.pk])
    assert not CommitteeOfficer.objects.filter(election=election).exists()
    election = count_and_certify(world, election, ceremony)
    assert election.status == ElectionStatus.CERTIFIED
    assert election.result["elected"] == [a.pk]
    president = CommitteeOfficer.objects.get(election=election)
    assert (president.office, president.city, president.person, president.seat) == (
        OfficerOffice.PRESIDENT,
        world.seats[0].city,
        world.seats[0].representative,
        world.seats[0],
    )
    assert (president.starts_on, president.ends_on) == (
        election.term_starts_on,
        election.term_ends_on,
    )
    predecessor.refresh_from_db()
    assert predecessor.ends_on == election.term_starts_on - dt.timedelta(days=1)
    # No committee seat is created by an officer election.
    assert not CommitteeSeat.objects.filter(election=election).exists()
    verbs = set(
        AuditEvent.objects.filter(verb__startswith="officer.").values_list("verb", flat=True)
    )
    assert verbs == {"officer.recorded", "officer.term_ended"}


def test_vice_presidents_by_stv_and_a_vice_president_elected_president_leaves_that_office(world):
    today = timezone.localdate()
    sitting_vp = officers.record_officer(
        actor=world.bureau,
        seat=world.seats[0],
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=today - dt.timedelta(days=10),
    )
    vps = officer_election(world, OfficerOffice.VICE_PRESIDENT, "stv", offices=2)
    vps, (c1, c2, c3), vp_ceremony = to_voting(world, vps, world.seats[1:4])
    for seat, ranking in zip(
        world.seats, [[c1, c2], [c1, c3], [c2, c1], [c2, c3], [c3, c2]], strict=True
    ):
        cast(vps, seat, [c.pk for c in ranking])
    vps = count_and_certify(world, vps, vp_ceremony)
    elected = set(CommitteeOfficer.objects.filter(election=vps).values_list("city_id", flat=True))
    assert len(elected) == 2 and elected <= {s.city_id for s in world.seats[1:4]}
    sitting_vp.refresh_from_db()
    assert sitting_vp.ends_on == vps.term_starts_on - dt.timedelta(days=1)


def test_no_person_holds_two_offices_at_once(world):
    today = timezone.localdate()
    officers.record_officer(
        actor=world.bureau,
        seat=world.seats[0],
        office=OfficerOffice.VICE_PRESIDENT,
        starts_on=today,
    )
    with pytest.raises(GovernanceError, match="already holds an office"):
        officers.record_officer(
            actor=world.bureau, seat=world.seats[0], office=OfficerOffice.PRESIDENT, starts_on=today
        )
    officers.record_officer(
        actor=world.bureau, seat=world.seats[1], office=OfficerOffice.PRESIDENT, starts_on=today
    )
    with pytest.raises(GovernanceError, match="already has a President"):
        officers.record_officer(
            actor=world.bureau,
            seat=world.seats[2],
            office=OfficerOffice.PRESIDENT,
            starts_on=today + dt.timedelta(days=3),
        )
    with pytest.raises(GovernanceError, match="voting members"):
        officers.record_officer(
            actor=world.bureau,
            seat=world.extra["observer_city_seat"],
            office=OfficerOffice.VICE_PRESIDENT,
            starts_on=today,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints")
def test_the_database_refuses_one_person_in_two_offices_and_two_presidents(world):
    today = timezone.localdate()
    seat = world.seats[0]
    common = {"coalition": world.coalition, "seat": seat, "city": seat.city}
    CommitteeOfficer.objects.create(
        **common, office=OfficerOffice.VICE_PRESIDENT, person=seat.representative, starts_on=today
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeOfficer.objects.create(
            **common,
            office=OfficerOffice.PRESIDENT,
            person=seat.representative,
            starts_on=today + dt.timedelta(days=400),
        )
    other = world.seats[1]
    CommitteeOfficer.objects.create(
        coalition=world.coalition,
        seat=other,
        city=other.city,
        office=OfficerOffice.PRESIDENT,
        person=other.representative,
        starts_on=today,
        ends_on=today + dt.timedelta(days=10),
    )
    third = world.seats[2]
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeOfficer.objects.create(
            coalition=world.coalition,
            seat=third,
            city=third.city,
            office=OfficerOffice.PRESIDENT,
            person=third.representative,
            starts_on=today + dt.timedelta(days=10),  # the last day overlaps (inclusive)
        )
    # The day after the predecessor's last day is free.
    CommitteeOfficer.objects.create(
        coalition=world.coalition,
        seat=third,
        city=third.city,
        office=OfficerOffice.PRESIDENT,
        person=third.representative,
        starts_on=today + dt.timedelta(days=11),
    )


def _coalition_page(client, slug):
    cache.clear()  # the anonymous copy of the page
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("members:coalition_detail", args=[slug]))
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_the_coalition_page_shows_the_officers_at_a_flat_cost(client, world):
    today = timezone.localdate()
    first = world.seats[0]
    first.representative.full_name = "Paula President"
    first.representative.save(update_fields=["full_name"])
    officers.record_officer(
        actor=world.bureau,
        seat=first,
        office=OfficerOffice.PRESIDENT,
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=4 * 365),
    )
    one, one_queries = _coalition_page(client, "tcc")
    assert "Officers" in one and "Paula President" in one and first.city.name in one
    for seat in world.seats[1:3]:
        officers.record_officer(
            actor=world.bureau, seat=seat, office=OfficerOffice.VICE_PRESIDENT, starts_on=today
        )
    three, three_queries = _coalition_page(client, "tcc")
    assert three.count("Vice-President") == 2
    assert one_queries == three_queries
    # An ended term leaves the list; an email is never shown for a person without a name.
    assert world.seats[1].representative.email not in three
    ended = CommitteeOfficer.objects.get(seat=world.seats[1])
    officers.end_officer_term(actor=world.bureau, officer=ended, ends_on=today)
    CommitteeOfficer.objects.filter(pk=ended.pk).update(
        starts_on=today - dt.timedelta(days=5), ends_on=today - dt.timedelta(days=1)
    )
    after, _ = _coalition_page(client, "tcc")
    assert after.count("Vice-President") == 1


def test_the_officers_certify_confirmation_speaks_of_terms_not_seats(client, world):
    election = officer_election(world)
    client.force_login(world.bureau)
    url = reverse("governance:election_certify", args=[election.pk])
    page = client.post(url).content.decode()
    assert "start the new officers" in page
    assert "seat" not in page.split("<main", 1)[-1].split("</main>", 1)[0].lower()
    manage = client.get(reverse("governance:election_manage", args=[election.pk])).content.decode()
    assert "Offices to fill" in manage and "Outgoing seats" not in manage
