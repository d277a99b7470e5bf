"""Assembly sessions: notice, freezing, convocation PDF and emails, late items, extraordinary
requests, the pages' query counts."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zoneinfo

import pytest
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from coalition.models import OutgoingEmail
from governance import convocations
from governance.models import (
    AgendaDocument,
    AgendaItemStatus,
    AssemblySession,
    ConvocationDelivery,
    ConvocationPDF,
    ExtraordinaryRequest,
    MembershipFee,
    SessionStatus,
    StatuteProfile,
)
from governance.services import GovernanceError
from governance.services import assemblies as services
from governance.services.assemblies import shared
from members.models import Coalition, Membership, Role, RoleKind

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


@pytest.fixture(autouse=True)
def session_files_in_tmp(tmp_path, monkeypatch):
    storage = FileSystemStorage(location=tmp_path / "sessions", base_url=None)
    monkeypatch.setattr(ConvocationPDF._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(AgendaDocument._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def eccar(demo):
    return Coalition.objects.get(slug="eccar")


def starting_in(days: int, hour: int = 10) -> dt.datetime:
    day = timezone.localdate(timezone.now(), BERLIN) + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=BERLIN)


def draft(bureau, coalition, *, days: int = 60, **overrides) -> AssemblySession:
    details = {
        "body": "general_assembly",
        "title": "General Assembly of the test",
        "starts_at": starting_in(days),
        "ends_at": starting_in(days, hour=17),
        "time_zone": "Europe/Berlin",
        "mode": "hybrid",
        "online_join_instructions": "Join at https://meet.example/eccar with code 1234.",
        "venue": "City hall",
        **overrides,
    }
    session = services.create_session(
        actor=bureau, coalition=coalition, details=services.SessionDetails(**details)
    )
    services.add_agenda_item(actor=bureau, session=session, kind="motion", title="A motion")
    return session


def notice_days(coalition) -> int:
    return StatuteProfile.current_for(coalition).notice_days_ordinary


def test_convening_refuses_a_start_one_day_inside_the_notice_period(bureau, eccar):
    session = draft(bureau, eccar, days=notice_days(eccar) - 1)
    with pytest.raises(GovernanceError, match="notice"):
        services.convene_session(actor=bureau, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.DRAFT
    assert not ConvocationDelivery.objects.filter(session=session).exists()


def test_convening_accepts_a_start_exactly_at_the_end_of_the_notice_period(bureau, eccar):
    session = draft(bureau, eccar, days=notice_days(eccar))
    services.convene_session(actor=bureau, session=session)
    session.refresh_from_db()
    assert session.status == SessionStatus.CONVENED
    assert session.statute_snapshot["version"] == StatuteProfile.current_for(eccar).version


def test_an_extraordinary_session_follows_the_extraordinary_notice(bureau, eccar):
    profile = StatuteProfile.current_for(eccar)
    session = draft(bureau, eccar, days=profile.notice_days_extraordinary, extraordinary=True)
    check = services.notice_check(session)
    assert check.days_required == profile.notice_days_extraordinary
    assert check.respected


def test_convening_freezes_the_agenda(bureau, eccar):
    session = draft(bureau, eccar)
    item = session.items.get()
    services.convene_session(actor=bureau, session=session)
    item.refresh_from_db()
    assert item.announced and item.status == AgendaItemStatus.ANNOUNCED
    assert item.may_be_decided
    with pytest.raises(GovernanceError):
        services.add_agenda_item(actor=bureau, session=session, kind="debate", title="Later")
    with pytest.raises(GovernanceError):
        services.withdraw_agenda_item(actor=bureau, item=item)
    details = services.SessionDetails(
        body="general_assembly",
        title="Changed",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
    )
    with pytest.raises(GovernanceError):
        services.update_session(actor=bureau, session=session, details=details)


def test_a_hybrid_session_must_say_how_to_join_online(bureau, eccar):
    with pytest.raises(GovernanceError) as caught:
        draft(bureau, eccar, online_join_instructions="")
    assert caught.value.field == "online_join_instructions"


def test_the_two_tellers_must_differ(bureau, eccar, coordinator):
    with pytest.raises(GovernanceError):
        draft(bureau, eccar, teller_1=coordinator, teller_2=coordinator)


def test_moving_and_withdrawing_items_renumbers_the_agenda(bureau, eccar):
    session = draft(bureau, eccar)
    second = services.add_agenda_item(actor=bureau, session=session, kind="budget", title="B")
    third = services.add_agenda_item(actor=bureau, session=session, kind="other", title="C")
    services.move_agenda_item(actor=bureau, item=third, up=True)
    assert [i.title for i in shared._active_items(session)] == ["A motion", "C", "B"]
    services.withdraw_agenda_item(actor=bureau, item=second)
    assert [(i.position, i.title) for i in shared._active_items(session)] == [
        (1, "A motion"),
        (2, "C"),
    ]


def test_convening_emails_each_coordinator_and_delegate_once_in_their_language(
    bureau, eccar, coordinator, delegate
):
    coordinator.language = "fr"
    coordinator.save(update_fields=["language"])
    session = draft(bureau, eccar)
    services.convene_session(actor=bureau, session=session)
    deliveries = {d.email: d for d in ConvocationDelivery.objects.filter(session=session)}
    coordinators = set(
        Role.objects.current()
        .filter(
            kind=RoleKind.COORDINATOR,
            city__memberships__coalition=eccar,
            city__memberships__status__in=["member", "suspended"],
        )
        .values_list("user__email", flat=True)
    )
    assert coordinators <= set(deliveries)
    assert deliveries[delegate.email].role == "delegate"
    french = deliveries[coordinator.email]
    assert french.language == "fr"
    assert "convocation" in french.outgoing_email.subject.lower()
    assert "Bonjour" in french.outgoing_email.text
    pdf_url = reverse("governance:session_convocation", kwargs={"pk": session.pk})
    assert pdf_url in deliveries[delegate.email].outgoing_email.text
    assert OutgoingEmail.objects.filter(template="convocation").count() == len(deliveries)


def test_cities_without_voting_rights_are_convened_too(bureau, eccar):
    StatuteProfile.objects.filter(coalition=eccar).update(requires_fee_paid=True)
    MembershipFee.objects.filter(coalition=eccar, city__name="Potsdam").delete()
    session = draft(bureau, eccar)
    people = services.recipients(session)
    potsdam = [p for p in people if p.city.name == "Potsdam"]
    assert potsdam and not any(p.has_voting_rights for p in potsdam)


def test_the_convocation_pdf_holds_the_agenda_and_its_hash_matches(bureau, eccar, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session = draft(bureau, eccar, theme="Cities against racism")
    services.add_agenda_item(
        actor=bureau, session=session, kind="exclusion", title="Exclusion of a city"
    )
    services.convene_session(actor=bureau, session=session)
    pdf = ConvocationPDF.objects.get(session=session)
    if pdf.status != "ready":  # the task ran on commit only where a transaction ended
        assert convocations.render_convocation(session.pk) == "ready"
        pdf.refresh_from_db()
    data = pdf.file.open("rb").read()
    assert hashlib.sha256(data).hexdigest() == pdf.sha256
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "A motion" in text and "Exclusion of a city" in text
    assert "meet.example/eccar" in text
    assert "Cities against racism" in text
    # A second run changes nothing.
    assert convocations.render_convocation(session.pk) == "skipped"


def test_a_rerendered_convocation_replaces_its_file_in_storage(bureau, eccar, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    session = draft(bureau, eccar)
    services.convene_session(actor=bureau, session=session)
    pdf = ConvocationPDF.objects.get(session=session)
    if pdf.status != "ready":
        assert convocations.render_convocation(session.pk) == "ready"
        pdf.refresh_from_db()
    first = pdf.file.name
    storage = pdf.file.storage
    assert storage.exists(first)
    ConvocationPDF.objects.filter(pk=pdf.pk).update(status="queued")
    assert convocations.render_convocation(session.pk) == "ready"
    pdf.refresh_from_db()
    assert pdf.file.name != first
    assert storage.exists(pdf.file.name)
    assert not storage.exists(first)  # nothing is left behind that no row points to


def test_the_sweep_publishes_a_convocation_whose_message_was_lost(bureau, eccar, monkeypatch):
    session = draft(bureau, eccar)
    services.convene_session(actor=bureau, session=session)
    ConvocationPDF.objects.filter(session=session).update(status="queued", dispatched_at=None)
    published = []
    monkeypatch.setattr(convocations.jobs, "enqueue", lambda task, pk: published.append(pk) or 1)
    assert convocations.requeue_stuck_convocations()["queued"] == 1
    assert published == [session.pk]


def _in_session(bureau, eccar, **profile_changes):
    session = draft(bureau, eccar)
    services.convene_session(actor=bureau, session=session)
    snapshot = {**session.__class__.objects.get(pk=session.pk).statute_snapshot, **profile_changes}
    AssemblySession.objects.filter(pk=session.pk).update(
        statute_snapshot=snapshot,
        status=SessionStatus.IN_SESSION,
        starts_at=timezone.now() - dt.timedelta(hours=1),
    )
    session.refresh_from_db()
    return session


def test_a_late_item_is_refused_when_the_statute_allows_only_announced_items(bureau, eccar):
    session = _in_session(bureau, eccar, late_items_allowed=False)
    with pytest.raises(GovernanceError, match="announced"):
        services.add_late_item(actor=bureau, session=session, kind="motion", title="Urgent")


def test_a_late_item_needs_the_profiles_majority_before_it_may_be_decided(bureau, eccar):
    session = _in_session(bureau, eccar, late_items_allowed=True, majority_late_item="two_thirds")
    item = services.add_late_item(actor=bureau, session=session, kind="motion", title="Urgent")
    assert item.status == AgendaItemStatus.PENDING_APPROVAL and not item.announced
    with pytest.raises(GovernanceError):
        services.check_item_may_be_decided(item)
    item = services.record_late_item_vote(actor=bureau, item=item, yes=20, no=11, abstain=0)
    assert item.status == AgendaItemStatus.REFUSED and not item.may_be_decided
    other = services.add_late_item(actor=bureau, session=session, kind="motion", title="Other")
    other = services.record_late_item_vote(actor=bureau, item=other, yes=20, no=10, abstain=3)
    assert other.late_item_approved and other.status == AgendaItemStatus.ADDED_IN_SESSION
    services.check_item_may_be_decided(other)


def _coordinators(eccar, n):
    roles = (
        Role.objects.current()
        .filter(kind=RoleKind.COORDINATOR, city__memberships__coalition=eccar)
        .select_related("user", "city")
        .distinct()
    )
    return list(roles[:n])


def test_requests_reaching_the_share_tell_the_bureau_and_set_the_deadline(
    bureau, eccar, coordinator, mailoutbox
):
    members = Membership.objects.filter(coalition=eccar, status__in=["member", "suspended"])
    StatuteProfile.objects.filter(coalition=eccar).update(
        extraordinary_request_share="1/" + str(members.count()), extraordinary_convene_days=21
    )
    potsdam = Role.objects.current().get(kind=RoleKind.COORDINATOR, user=coordinator).city
    request = services.request_extraordinary_assembly(
        actor=coordinator, coalition=eccar, city=potsdam, reason="The budget must be voted."
    )
    assert request.convene_by == timezone.localdate() + dt.timedelta(days=21)
    assert OutgoingEmail.objects.filter(template="extraordinary-threshold").exists()
    with pytest.raises(GovernanceError, match="already"):
        services.request_extraordinary_assembly(
            actor=coordinator, coalition=eccar, city=potsdam, reason="Again."
        )


def test_below_the_share_the_request_waits(bureau, eccar, coordinator):
    potsdam = Role.objects.current().get(kind=RoleKind.COORDINATOR, user=coordinator).city
    status_before = services.extraordinary_status(eccar)
    assert status_before.required >= 2  # one tenth of the demo's members
    request = services.request_extraordinary_assembly(
        actor=coordinator, coalition=eccar, city=potsdam, reason="Reasons."
    )
    assert request.convene_by is None
    assert not OutgoingEmail.objects.filter(template="extraordinary-threshold").exists()


def test_convening_an_extraordinary_assembly_answers_the_open_requests(bureau, eccar, coordinator):
    potsdam = Role.objects.current().get(kind=RoleKind.COORDINATOR, user=coordinator).city
    request = services.request_extraordinary_assembly(
        actor=coordinator, coalition=eccar, city=potsdam, reason="Reasons."
    )
    session = draft(bureau, eccar, extraordinary=True)
    services.convene_session(actor=bureau, session=session)
    request.refresh_from_db()
    assert request.closed_at and request.answered_by_session_id == session.pk
    assert not ExtraordinaryRequest.objects.filter(closed_at__isnull=True).exists()


def test_only_a_coordinator_of_the_city_may_require_an_assembly(eccar, delegate):
    potsdam = Role.objects.current().get(kind=RoleKind.DELEGATE, user=delegate).city
    with pytest.raises(GovernanceError):
        services.request_extraordinary_assembly(
            actor=delegate, coalition=eccar, city=potsdam, reason="Reasons."
        )


# --- Pages -----------------------------------------------------------------------------------


def test_the_bureau_records_a_bounce(client, bureau, eccar):
    session = draft(bureau, eccar)
    services.convene_session(actor=bureau, session=session)
    delivery = ConvocationDelivery.objects.filter(session=session).first()
    client.force_login(bureau)
    url = reverse("governance:delivery_bounce", kwargs={"pk": delivery.pk})
    response = client.post(url, {"note": "550 No such user"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "bounced"
    page = client.get(reverse("governance:session_deliveries", kwargs={"pk": session.pk}))
    assert "550 No such user" in page.content.decode()


def test_the_public_page_shows_the_agenda_of_a_convened_session_only(client, bureau, eccar):
    session = draft(bureau, eccar)
    url = reverse("governance:session_detail", kwargs={"pk": session.pk})
    assert client.get(url).status_code == 404
    services.convene_session(actor=bureau, session=session)
    response = client.get(url)
    assert response.status_code == 200 and "A motion" in response.content.decode()


def test_convene_page_shows_the_notice_check_and_refuses_inside_it(client, bureau, eccar):
    session = draft(bureau, eccar, days=1)
    client.force_login(bureau)
    url = reverse("governance:session_convene", kwargs={"pk": session.pk})
    page = client.get(url).content.decode()
    assert "Inside the notice period" in page
    response = client.post(url)
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.is_draft


@pytest.mark.parametrize("count", [2, 12])
def test_session_lists_cost_a_fixed_number_of_queries(
    client, bureau, eccar, count, django_assert_max_num_queries
):
    for n in range(count):
        session = draft(bureau, eccar, days=60 + n)
        AssemblySession.objects.filter(pk=session.pk).update(
            status="convened", convened_at=timezone.now()
        )
    client.force_login(bureau)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("governance:session_list")).status_code == 200
    client.logout()
    with django_assert_max_num_queries(6):
        url = reverse("governance:coalition_sessions", kwargs={"slug": "eccar"})
        assert client.get(url).status_code == 200
