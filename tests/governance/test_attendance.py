"""Registration, accreditation, check-in and check-out, voting cards, quorum and roll calls."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coalition.models import OutgoingEmail, User
from governance import selectors_attendance as reads
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.models import (
    AssemblySession,
    AttendanceEvent,
    CardHolding,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from governance.services import GovernanceError
from governance.services import attendance as services
from members.models import City, Coalition, MembershipStatusChange
from tests.factories import CityFactory, MembershipFactory, UserFactory

#: The most queries each page may cost, however many cities take part.
DESK_QUERIES = 14
ROOM_QUERIES = 13
PANEL_QUERIES = 13


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(slug="eccar")


@pytest.fixture
def potsdam(demo):
    return City.objects.get(name="Potsdam")


def sitting(eccar, **snapshot_changes) -> AssemblySession:
    """The demo's next assembly, moved to today and opened (its registrations come along)."""
    session = AssemblySession.objects.get(coalition=eccar, title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    AssemblySession.objects.filter(pk=session.pk).update(
        status=SessionStatus.IN_SESSION,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        statute_snapshot={**session.statute_snapshot, **snapshot_changes},
    )
    session.refresh_from_db()
    return session


def reg(session, person) -> Registration:
    return Registration.objects.get(session=session, person=person)


def test_accreditation_issues_a_code_stored_only_hashed_and_emailed(bureau, eccar, potsdam):
    session = sitting(eccar)
    person = User.objects.get(email="rotterdam@demo.coalition.example")
    registration = services.register_attendee(
        actor=bureau, session=session, city=potsdam, person=person, role="observer", mode="online"
    )
    registration, code = services.accredit_registration(actor=bureau, registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ACCREDITED
    normalised = code.replace("-", "")
    assert registration.code_hash == hashlib.sha256(normalised.encode()).hexdigest()
    assert normalised not in str(Registration.objects.filter(pk=registration.pk).values().get())
    email = OutgoingEmail.objects.filter(to=person.email).latest("id")
    assert code in email.text and "data:image/svg+xml" in email.html


def test_a_delegate_without_certification_is_not_accredited(bureau, eccar):
    session = sitting(eccar)
    graz_city = City.objects.get(name="Graz")
    graz = User.objects.get(email="graz@demo.coalition.example")
    Registration.objects.filter(session=session, person=graz).delete()
    registration = services.register_attendee(
        actor=graz, session=session, city=graz_city, person=graz, role="delegate", mode="online"
    )
    with pytest.raises(GovernanceError, match="no validated certification"):
        services.accredit_registration(actor=bureau, registration=registration)
    services.reject_registration(
        actor=bureau, registration=registration, reason="The certification still waits."
    )
    registration.refresh_from_db()
    assert registration.rejection_reason == "The certification still waits."


def test_a_city_registers_one_delegate_only(eccar, coordinator, potsdam, outsider):
    session = sitting(eccar)
    with pytest.raises(GovernanceError, match="delegate already"):
        services.register_attendee(
            actor=coordinator,
            session=session,
            city=potsdam,
            person=outsider,
            role="delegate",
            mode="online",
        )


def test_a_code_checks_in_once_and_a_wrong_code_is_a_form_error(bureau, eccar, delegate):
    session = sitting(eccar)
    registration = reg(session, delegate)
    code = services.reissue_code(actor=delegate, registration=registration)
    with pytest.raises(GovernanceError) as wrong:
        services.check_in_by_code(actor=bureau, session=session, code="AAAA-BBBB-CCCC")
    assert wrong.value.field == "code"
    services.check_in_by_code(actor=bureau, session=session, code=code.lower())
    assert reads.registration_present(registration)
    assert reads.card_holder(session, registration.city).holder == delegate
    with pytest.raises(GovernanceError, match="used already") as used:
        services.check_in_by_code(actor=bureau, session=session, code=code)
    assert used.value.field == "code"
    event = AttendanceEvent.objects.get(registration=registration)
    assert (event.kind, event.channel, event.recorded_by) == ("check_in", "desk", bureau)


def test_the_card_is_handed_to_the_substitute_and_back(bureau, eccar, delegate, substitute):
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    services.check_in(actor=bureau, registration=d, channel="desk")
    services.check_in(actor=substitute, registration=s, channel="online")
    holding = reads.card_holder(session, d.city)
    assert holding.holder == delegate  # the substitute found the card taken
    to_substitute = services.hand_card(actor=delegate, holding=holding, to=s)
    assert (to_substitute.holder, to_substitute.handed_from, to_substitute.recorded_by) == (
        substitute,
        delegate,
        delegate,
    )
    back = services.hand_card(actor=bureau, holding=to_substitute, to=d)
    assert back.holder == delegate and back.recorded_by == bureau
    assert CardHolding.objects.filter(session=session, city=d.city, current=True).count() == 1
    with pytest.raises(GovernanceError, match="moved"):
        services.hand_card(actor=substitute, holding=to_substitute, to=s)


def test_checking_out_the_holder_passes_the_card_or_releases_it(
    bureau, eccar, delegate, substitute
):
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    services.check_in(actor=bureau, registration=d, channel="desk")
    services.check_in(actor=substitute, registration=s, channel="online")
    services.check_out(actor=bureau, registration=d, channel="desk")
    holding = reads.card_holder(session, d.city)
    assert holding.holder == substitute and holding.handed_from == delegate
    services.check_out(actor=substitute, registration=s, channel="online")
    assert reads.card_holder(session, d.city) is None
    assert reads.card_holders(session) == {}


def test_online_join_waits_for_the_session_to_open(eccar, substitute):
    session = AssemblySession.objects.get(coalition=eccar, title=NEXT_ASSEMBLY_TITLE)
    with pytest.raises(GovernanceError, match="once the session is open"):
        services.check_in(actor=substitute, registration=reg(session, substitute), channel="online")


def test_quorum_rises_and_falls_with_check_ins(bureau, eccar, delegate, substitute):
    session = sitting(eccar, quorum_kind="number", quorum_number=1)
    d = reg(session, delegate)
    quorum = reads.live_quorum(session)
    assert (quorum.present, quorum.required, quorum.quorate) == (0, 1, False)
    assert "not quorate" in quorum.label
    with pytest.raises(GovernanceError, match="not quorate"):
        services.check_quorum(session)
    services.check_in(actor=bureau, registration=d, channel="desk")
    quorum = services.check_quorum(session)
    assert quorum.present == 1 and quorum.quorate
    assert f"1 of {quorum.with_voting_rights} cities with voting rights present" in quorum.label
    assert reads.present_voting_cities(session) == [d.city_id]
    services.check_out(actor=bureau, registration=d, channel="desk")
    assert not reads.live_quorum(session).quorate


def test_observers_do_not_count_for_the_quorum(bureau, eccar, committee_member):
    session = sitting(eccar, quorum_kind="number", quorum_number=1)
    services.check_in(actor=bureau, registration=reg(session, committee_member), channel="desk")
    assert reads.live_quorum(session).present == 0
    assert reads.card_holders(session) == {}


def test_a_share_quorum_reads_the_snapshot(bureau, eccar):
    session = sitting(eccar, quorum_kind="share", quorum_share="1/2", quorum_comparison="more_than")
    quorum = reads.live_quorum(session)
    assert quorum.required == quorum.with_voting_rights // 2 + 1


def test_a_roll_call_freezes_attendance_and_card_holders(bureau, eccar, delegate):
    session = sitting(eccar)
    d = reg(session, delegate)
    services.check_in(actor=bureau, registration=d, channel="desk")
    roll_call = services.take_roll_call(actor=bureau, session=session)
    services.check_out(actor=bureau, registration=d, channel="desk")
    entry = roll_call.entries.get(city=d.city)
    assert entry.present and entry.card_holder_name == str(delegate)
    assert roll_call.present == 1
    assert roll_call.entries.filter(present=True).count() == 1


def test_the_database_refuses_a_second_current_card_for_a_city(bureau, eccar, delegate, substitute):
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    services.check_in(actor=bureau, registration=d, channel="desk")
    with pytest.raises(IntegrityError), transaction.atomic():
        CardHolding.objects.create(
            session=session, city=d.city, holder=substitute, registration=s, recorded_by=bureau
        )


def test_the_constraint_settles_a_claim_the_python_check_missed(
    bureau, eccar, delegate, substitute, monkeypatch
):
    """Without the partial unique constraint this would leave two holders: the race's path."""
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    services.check_in(actor=bureau, registration=d, channel="desk")
    services.check_in(actor=bureau, registration=s, channel="desk")

    original = CardHolding.objects.filter

    def blind_filter(*args, **kwargs):  # what a concurrent transaction sees before commit
        qs = original(*args, **kwargs)
        if kwargs.get("current") is True and "city_id" in kwargs:
            return qs.none()
        return qs

    monkeypatch.setattr(CardHolding.objects, "filter", blind_filter)
    with pytest.raises(GovernanceError, match="holds the city's card"):
        services.take_card(actor=substitute, registration=s)
    assert CardHolding.objects.filter(session=session, city=d.city, current=True).count() == 1


def test_a_person_holds_at_most_one_card_per_session(bureau, eccar, delegate, substitute):
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    services.check_in(actor=bureau, registration=d, channel="desk")
    ghent = City.objects.get(name="Ghent")
    with pytest.raises(IntegrityError), transaction.atomic():
        CardHolding.objects.create(
            session=session, city=ghent, holder=delegate, registration=s, recorded_by=bureau
        )


# --- Pages --------------------------------------------------------------------------------


def test_the_desk_checks_in_by_code_and_shows_a_wrong_code_on_its_field(client, bureau, eccar):
    session = sitting(eccar)
    client.force_login(bureau)
    response = client.post(
        reverse("governance:desk_check_in", args=[session.pk]), {"code": "WRONG-CODE-0000"}
    )
    assert response.status_code == 400
    assert "This code is not valid for this session." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_the_person_sees_a_fresh_code_once_with_its_qr(client, eccar, delegate):
    session = sitting(eccar)
    registration = reg(session, delegate)
    client.force_login(delegate)
    response = client.post(reverse("governance:registration_code", args=[registration.pk]))
    page = response.content.decode()
    assert response.status_code == 200 and 'src="data:image/svg+xml' in page
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("governance:registration_detail", args=[registration.pk]))
    assert "data:image/svg+xml" not in again.content.decode()


def test_the_delegate_joins_online_and_hands_the_card_through_the_pages(
    client, eccar, delegate, substitute
):
    session = sitting(eccar)
    d, s = reg(session, delegate), reg(session, substitute)
    client.force_login(substitute)
    client.post(reverse("governance:registration_online", args=[s.pk]), {"action": "join"})
    client.force_login(delegate)
    client.post(reverse("governance:registration_online", args=[d.pk]), {"action": "join"})
    holding = reads.card_holder(session, d.city)
    assert holding.holder == substitute  # the substitute arrived first
    client.force_login(substitute)
    response = client.post(reverse("governance:card_hand", args=[holding.pk]), {"to": d.pk})
    assert response.status_code == 302
    assert reads.card_holder(session, d.city).holder == delegate


def test_the_room_answers_its_panel_to_htmx(client, eccar, delegate):
    session = sitting(eccar)
    client.force_login(delegate)
    url = reverse("governance:session_room", args=[session.pk])
    assert "<html" in client.get(url).content.decode()
    panel = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in panel and "cities with voting rights present" in panel


def test_the_city_sees_the_reason_of_a_rejection(client, bureau, eccar, coordinator, potsdam):
    session = sitting(eccar)
    person = User.objects.get(email="rotterdam@demo.coalition.example")
    registration = services.register_attendee(
        actor=coordinator,
        session=session,
        city=potsdam,
        person=person,
        role="observer",
        mode="in_person",
    )
    services.reject_registration(actor=bureau, registration=registration, reason="Seats are full.")
    client.force_login(coordinator)
    page = client.get(reverse("governance:city_registrations", args=[session.pk, potsdam.pk]))
    assert "Seats are full." in page.content.decode()


# --- Query counts ---------------------------------------------------------------------------


def _crowd(session, bureau, count: int) -> None:
    """`count` more member cities, each with an accredited delegate checked in, holding its card."""
    cities = CityFactory.create_batch(count)
    MembershipStatusChange.objects.bulk_create(
        MembershipStatusChange(
            membership=MembershipFactory(city=city, coalition=session.coalition),
            from_status="",
            to_status="member",
            effective_on=dt.date(2010, 1, 1),
        )
        for city in cities
    )
    people = UserFactory.create_batch(count)
    registrations = Registration.objects.bulk_create(
        Registration(
            session=session,
            city=city,
            person=person,
            role="delegate",
            mode="online",
            status="accredited",
            registered_by=bureau,
        )
        for city, person in zip(cities, people, strict=True)
    )
    AttendanceEvent.objects.bulk_create(
        AttendanceEvent(
            session=session,
            registration=r,
            city=r.city,
            person=r.person,
            kind="check_in",
            channel="online",
            recorded_by=bureau,
        )
        for r in registrations
    )
    CardHolding.objects.bulk_create(
        CardHolding(
            session=session, city=r.city, holder=r.person, registration=r, recorded_by=bureau
        )
        for r in registrations
    )


def _queries(client, url, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [20, 150])
def test_desk_and_room_cost_the_same_queries_at_20_and_150_cities(
    client, bureau, eccar, delegate, count, django_assert_max_num_queries
):
    session = sitting(eccar, requires_fee_paid=False, requires_no_report_overdue=False)
    _crowd(session, bureau, count)
    client.force_login(bureau)
    desk = reverse("governance:session_desk", args=[session.pk])
    room = reverse("governance:session_room", args=[session.pk])
    quorum = reverse("governance:session_quorum", args=[session.pk])
    with django_assert_max_num_queries(DESK_QUERIES):
        page = client.get(desk)
    assert f"{count} of " in page.content.decode()
    with django_assert_max_num_queries(ROOM_QUERIES):
        client.get(room)
    with django_assert_max_num_queries(PANEL_QUERIES):
        client.get(room, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(PANEL_QUERIES):
        client.get(quorum)
    assert reads.live_quorum(session).present == count
