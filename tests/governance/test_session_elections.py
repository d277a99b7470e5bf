"""An election held in an assembly session: the session's voting-card holder casts the city's
ballot, never the certified delegate as such (ADR 0013, ADR 0008)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from governance import selectors_attendance as reads
from governance.elections import crypto
from governance.errors import GovernanceError
from governance.models import (
    AssemblySession,
    Election,
    ElectionStatus,
    ElectionVoter,
    Registration,
)
from governance.services import attendance
from governance.services import elections as election_services
from members.models import City, Coalition
from tests.governance.election_world import sealed_ballot
from tests.governance.test_attendance import sitting


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(slug="eccar")


@pytest.fixture
def potsdam(demo):
    return City.objects.get(name="Potsdam")


def session_details(session: AssemblySession, **overrides):
    values = {
        "title": "Committee election at the General Assembly",
        "method": "approval",
        "term_starts_on": timezone.localdate() + dt.timedelta(days=40),
        "term_ends_on": timezone.localdate() + dt.timedelta(days=40 + 730),
        "candidacy_deadline": session.starts_at - dt.timedelta(days=1),
        "voting_opens_at": session.starts_at + dt.timedelta(minutes=30),
        "voting_closes_at": session.ends_at - dt.timedelta(minutes=30),
        "challenge_ends_on": timezone.localdate() + dt.timedelta(days=20),
    }
    return election_services.ElectionDetails(**{**values, **overrides})


def test_the_voting_window_of_a_session_election_lies_within_the_session(bureau, eccar):
    session = sitting(eccar)
    with pytest.raises(GovernanceError, match="within the session"):
        election_services.create_election(
            actor=bureau,
            coalition=eccar,
            details=session_details(
                session, voting_closes_at=session.ends_at + dt.timedelta(hours=1)
            ),
            outgoing_seats=[],
            additional_seats=1,
            session=session,
        )
    election = election_services.create_election(
        actor=bureau,
        coalition=eccar,
        details=session_details(session),
        outgoing_seats=[],
        additional_seats=1,
        session=session,
    )
    assert election.session == session


def voting_in(session, bureau, eccar, potsdam) -> Election:
    """A session election at the voting step, its electorate frozen with Potsdam in it."""
    election = election_services.create_election(
        actor=bureau,
        coalition=eccar,
        details=session_details(session),
        outgoing_seats=[],
        additional_seats=1,
        session=session,
    )
    ceremony = crypto.generate_and_split(election_id=election.pk, threshold=2, tellers=2)
    Election.objects.filter(pk=election.pk).update(
        status=ElectionStatus.VOTING,
        public_key=ceremony.public_key,
        voting_opens_at=timezone.now() - dt.timedelta(minutes=5),
    )
    ElectionVoter.objects.create(election=election, city=potsdam)
    election.refresh_from_db()
    return election


def cast(election, person, city):
    ciphertext, _tracker = sealed_ballot(election, [])
    return election_services.cast_ballot(
        actor=person, election=election, city=city, ciphertext=ciphertext
    )


def test_the_card_holder_casts_and_the_delegate_no_longer_can_once_it_is_handed_on(
    bureau, eccar, potsdam, delegate, substitute, coordinator
):
    session = sitting(eccar)
    d = Registration.objects.get(session=session, person=delegate)
    s = Registration.objects.get(session=session, person=substitute)
    attendance.check_in(actor=bureau, registration=d, channel="desk")
    attendance.check_in(actor=substitute, registration=s, channel="online")
    election = voting_in(session, bureau, eccar, potsdam)
    # The delegate holds the card: the delegate casts, the substitute does not.
    assert reads.card_holder(session, potsdam).holder == delegate
    assert election_services.cities_cast_by(election, delegate) == [potsdam]
    assert election_services.cities_cast_by(election, substitute) == []
    assert election_services.persons_casting_for(election) == {potsdam.pk: {delegate.pk}}
    # The card goes to the substitute.
    attendance.hand_card(actor=delegate, holding=reads.card_holder(session, potsdam), to=s)
    assert election_services.cities_cast_by(election, substitute) == [potsdam]
    assert election_services.cities_cast_by(election, delegate) == []
    ballot = cast(election, substitute, potsdam)
    assert ballot.city == potsdam
    with pytest.raises(GovernanceError, match="may not cast"):
        cast(election, delegate, potsdam)
    # Someone who holds no card (the city's own coordinator, the bureau) is refused too.
    for person in (coordinator, bureau):
        with pytest.raises(GovernanceError, match="may not cast"):
            cast(election, person, potsdam)


def test_the_ballot_page_answers_the_card_holder_only(
    client, bureau, eccar, potsdam, delegate, substitute
):
    session = sitting(eccar)
    d = Registration.objects.get(session=session, person=delegate)
    attendance.check_in(actor=bureau, registration=d, channel="desk")
    election = voting_in(session, bureau, eccar, potsdam)
    url = reverse("governance:election_ballot", args=[election.pk, potsdam.pk])
    client.force_login(substitute)
    assert client.get(url).status_code == 403
    client.force_login(delegate)
    assert client.get(url).status_code == 200
