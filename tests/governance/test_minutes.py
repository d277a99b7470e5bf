"""The minutes of a session: the record equals the stored data, the narrative survives a new
generation, approval by circulation (only attending cities object; a window ending without an
objection approves) and at the next assembly (by the engine's poll), publication and its PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from coalition.models import AuditEvent, OutgoingEmail
from governance import minutes_pdf, minutes_record, selectors_minutes
from governance.models import (
    AgendaItem,
    AssemblySession,
    AttendanceEvent,
    CardHolding,
    MembershipDecision,
    Minutes,
    MinutesObjection,
    MinutesPDF,
    PollElector,
    RollCall,
)
from governance.services import GovernanceError, attendance, polls
from governance.services import minutes as services
from members.models import RoleKind
from members.services import grant_role
from tests.factories import UserFactory
from tests.governance.polls_support import sitting_room
from tests.governance.test_exclusion_loop import _adopt, _exclusion_item


def _run_poll(room, *, item=None, votes=("yes", "yes", "no"), named=True):
    poll = polls.open_poll(
        actor=room.chair,
        item=item or room.item,
        kind="motion",
        question="Shall the motion be adopted?",
        named=named,
    )
    present = [c for c in room.cities if c.pk in {e.city_id for e in poll.electors.all()}]
    for city, choice in zip(present, votes, strict=False):
        holder = CardHolding.objects.get(session=room.session, city=city, current=True).holder
        polls.cast_ballot(actor=holder, poll=poll, choice=choice)
    polls.close_poll(actor=room.chair, poll=poll)
    polls.release_result(actor=room.chair, poll=poll)
    return polls.confirm_result(actor=room.tellers[0], poll=poll)


def _sat_session(cities=4, present=3):
    """A sitting session with a hand-over, a check-out, a roll call and a released poll."""
    room = sitting_room(cities, present=present)
    first = room.cities[0]
    bureau = room.world.bureau
    attendance.check_in(actor=bureau, registration=room.substitutes[first.pk], channel="online")
    holding = CardHolding.objects.get(session=room.session, city=first, current=True)
    attendance.hand_card(actor=bureau, holding=holding, to=room.substitutes[first.pk])
    attendance.take_roll_call(actor=bureau, session=room.session)
    poll = _run_poll(room)
    attendance.check_out(actor=bureau, registration=room.delegates[first.pk], channel="desk")
    return room, poll


def _coordinator(city, coalition=None):
    person = UserFactory()
    grant_role(
        actor=UserFactory(is_superuser=True),
        user=person,
        kind=RoleKind.COORDINATOR,
        city=city,
        starts_on=dt.date(2020, 1, 1),
    )
    return person


# --- The record -------------------------------------------------------------------------------


def test_the_generated_record_equals_the_stored_data(db):
    room, poll = _sat_session()
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    record = minutes.record
    session = room.session
    zone = session.zone

    def at(value):
        return timezone.localtime(value, zone).isoformat(timespec="minutes") if value else None

    # Attendance: every check-in and check-out, per person, and every card holding, per city.
    stored_events = sorted(
        (e.city.name, str(e.person), e.kind, at(e.at), e.channel)
        for e in AttendanceEvent.objects.filter(session=session).select_related("city", "person")
    )
    recorded_events = sorted(
        (city["city"], person["name"], e["kind"], e["at"], e["channel"])
        for city in record["attendance"]
        for person in city["people"]
        for e in person["events"]
    )
    assert recorded_events == stored_events and len(stored_events) == 5
    stored_cards = sorted(
        (h.city.name, str(h.holder), str(h.handed_from or ""), at(h.started_at), at(h.ended_at))
        for h in CardHolding.objects.filter(session=session).select_related(
            "city", "holder", "handed_from"
        )
    )
    recorded_cards = sorted(
        (city["city"], c["holder"], c["handed_from"], c["since"], c["until"])
        for city in record["attendance"]
        for c in city["cards"]
    )
    assert recorded_cards == stored_cards
    first = room.cities[0]
    cards = next(c for c in record["attendance"] if c["city"] == first.name)["cards"]
    assert cards[1]["handed_from"] == str(room.delegates[first.pk].person)
    # Absent cities (never checked in) are not in the attendance.
    assert {c["city"] for c in record["attendance"]} == {c.name for c in room.cities[:3]}

    # The roll call, quoted.
    roll_call = RollCall.objects.get(session=session)
    [quoted] = record["roll_calls"]
    assert quoted["present"] == roll_call.present == 3
    assert quoted["with_voting_rights"] == roll_call.with_voting_rights
    assert quoted["quorate"] == roll_call.quorate
    assert sorted((e["city"], e["present"], e["card_holder"]) for e in quoted["entries"]) == sorted(
        (e.city_name, e.present, e.card_holder_name) for e in roll_call.entries.all()
    )

    # The item and its poll: rule, quorum, electorate, arithmetic, each city's vote.
    [item] = record["items"]
    assert (item["id"], item["position"], item["title"]) == (room.item.pk, 1, room.item.title)
    [recorded] = item["polls"]
    poll.refresh_from_db()
    assert recorded["rule"] == poll.rule
    assert recorded["quorum_at_opening"] == poll.quorum_at_opening
    assert (
        recorded["electorate"] == PollElector.objects.filter(poll=poll, status="eligible").count()
    )
    assert recorded["arithmetic"] == poll.arithmetic
    assert recorded["outcome"] == poll.outcome == "adopted"
    assert recorded["result"] == poll.result
    assert sorted((r["city"], r["vote"]) for r in recorded["result"]["named"]) == sorted(
        (b.city.name, b.choice) for b in poll.ballots.select_related("city")
    )
    assert minutes.record_sha256 == minutes_record.record_sha256(record)


def test_an_unreleased_result_stays_out_of_the_minutes(db):
    room = sitting_room(3)
    poll = polls.open_poll(actor=room.chair, item=room.item, kind="motion", question="Q?")
    for city in room.cities:
        polls.cast_ballot(actor=room.delegates[city.pk].person, poll=poll, choice="no")
    polls.close_poll(actor=room.chair, poll=poll)
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    [recorded] = minutes.record["items"][0]["polls"]
    assert recorded["status"] == "closed"
    assert "result" not in recorded and "arithmetic" not in recorded


def test_generating_again_keeps_the_narrative(db):
    room, _poll = _sat_session()
    room.session.minute_taker = UserFactory()
    room.session.save(update_fields=["minute_taker"])
    taker = room.session.minute_taker
    minutes = services.generate_minutes(actor=taker, session=room.session)
    services.save_narrative(
        actor=taker,
        minutes=minutes,
        narrative={room.item.pk: "The chair opened the debate <b>at once</b>."},
        remarks="Thanks to Zurich.",
    )
    attendance.take_roll_call(actor=room.world.bureau, session=room.session)
    minutes = services.generate_minutes(actor=taker, session=room.session)
    assert len(minutes.record["roll_calls"]) == 2
    assert minutes.narrative_for(room.item.pk) == "The chair opened the debate <b>at once</b>."
    assert minutes.remarks == "Thanks to Zurich."
    assert AuditEvent.objects.filter(verb="minutes.regenerated").exists()


def test_only_the_minute_taker_and_the_bureau_write(db):
    room, _poll = _sat_session()
    with pytest.raises(GovernanceError, match="minute-taker"):
        services.generate_minutes(
            actor=room.delegates[room.cities[1].pk].person, session=room.session
        )
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    with pytest.raises(GovernanceError, match="minute-taker"):
        services.save_narrative(actor=room.chair, minutes=minutes, narrative={}, remarks="x")


def test_minutes_are_drawn_only_once_the_session_has_sat(db):
    room = sitting_room(2)
    AssemblySession.objects.filter(pk=room.session.pk).update(status="convened")
    room.session.refresh_from_db()
    with pytest.raises(GovernanceError, match="sat"):
        services.generate_minutes(actor=room.world.bureau, session=room.session)


# --- Approval by circulation ------------------------------------------------------------------


def _circulated(room, *, start=None, end=None):
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    today = timezone.localdate(timezone.now(), room.session.zone)
    return services.circulate_minutes(
        actor=room.world.bureau,
        minutes=minutes,
        objections_from=start or today,
        objections_until=end or today + dt.timedelta(days=14),
    )


def test_circulation_emails_the_attending_cities(db):
    room, _poll = _sat_session()
    attending = _coordinator(room.cities[0])
    absent = _coordinator(room.cities[3])
    before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    minutes = _circulated(room)
    assert minutes.status == "circulated" and minutes.round == 1
    sent = set(OutgoingEmail.objects.filter(pk__gt=before).values_list("to", flat=True))
    assert attending.email in sent and absent.email not in sent


def test_only_a_city_that_attended_may_object(db):
    room, _poll = _sat_session()
    minutes = _circulated(room)
    absent_city = room.cities[3]
    with pytest.raises(GovernanceError, match="attended"):
        services.object_to_minutes(
            actor=_coordinator(absent_city), minutes=minutes, city=absent_city, reason="Wrong."
        )
    city = room.cities[1]
    with pytest.raises(GovernanceError, match="coordinator, delegate or accredited substitute"):
        services.object_to_minutes(
            actor=_coordinator(room.cities[2]), minutes=minutes, city=city, reason="Wrong."
        )
    objection = services.object_to_minutes(
        actor=_coordinator(city), minutes=minutes, city=city, reason="Our vote was 'no'."
    )
    assert objection.round == 1 and objection.city == city
    with pytest.raises(GovernanceError, match="already"):
        services.object_to_minutes(
            actor=_coordinator(city), minutes=minutes, city=city, reason="Again."
        )


def test_objections_only_within_the_window(db):
    room, _poll = _sat_session()
    today = timezone.localdate(timezone.now(), room.session.zone)
    minutes = _circulated(
        room, start=today + dt.timedelta(days=2), end=today + dt.timedelta(days=9)
    )
    city = room.cities[1]
    with pytest.raises(GovernanceError, match="window"):
        services.object_to_minutes(actor=_coordinator(city), minutes=minutes, city=city, reason="x")


def test_a_window_ending_without_objection_approves(db):
    room, _poll = _sat_session()
    minutes = _circulated(room)
    assert minutes.objections_until is not None
    assert not services.settle_circulation(minutes=minutes, today=minutes.objections_until)
    assert services.settle_circulation(
        minutes=minutes, today=minutes.objections_until + dt.timedelta(days=1)
    )
    minutes.refresh_from_db()
    assert minutes.status == "approved" and minutes.approval_route == "circulation"
    assert "No objection" in minutes.approval_ref
    # Idempotent: a second run does nothing.
    assert not services.settle_circulation(
        minutes=minutes, today=minutes.objections_until + dt.timedelta(days=1)
    )
    assert AuditEvent.objects.filter(verb="minutes.approved").count() == 1


def test_the_beat_task_settles_due_windows(db):
    room, _poll = _sat_session()
    minutes = _circulated(room)
    Minutes.objects.filter(pk=minutes.pk).update(
        objections_from=dt.date(2025, 11, 1), objections_until=dt.date(2025, 11, 14)
    )
    assert services.settle_due_circulations() == [minutes.pk]
    assert Minutes.objects.get(pk=minutes.pk).status == "approved"


def test_an_objection_blocks_approval_until_the_bureau_amends_and_recirculates(db):
    room, _poll = _sat_session()
    minutes = _circulated(room)
    city = room.cities[1]
    person = _coordinator(city)
    services.object_to_minutes(actor=person, minutes=minutes, city=city, reason="Missing a word.")
    late = minutes.objections_until + dt.timedelta(days=1)
    assert not services.settle_circulation(minutes=minutes, today=late)
    with pytest.raises(GovernanceError, match="bureau"):
        services.reopen_minutes(actor=person, minutes=minutes)
    before = OutgoingEmail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    minutes = services.reopen_minutes(actor=room.world.bureau, minutes=minutes, answer="Fixed.")
    assert minutes.status == "draft"
    assert person.email in OutgoingEmail.objects.filter(pk__gt=before).values_list("to", flat=True)
    assert MinutesObjection.objects.get(minutes=minutes).answer == "Fixed."
    services.save_narrative(
        actor=room.world.bureau, minutes=minutes, narrative={room.item.pk: "Amended."}, remarks=""
    )
    minutes = _circulated(room)
    assert minutes.round == 2
    assert services.settle_circulation(
        minutes=minutes, today=minutes.objections_until + dt.timedelta(days=1)
    )


# --- Approval at the next assembly ------------------------------------------------------------


def _earlier_minutes(room):
    """Minutes of an earlier session of the coalition; the room's session is the next one."""
    now = room.session.starts_at
    earlier = AssemblySession.objects.create(
        coalition=room.world.coalition,
        body="general_assembly",
        title="Earlier assembly",
        mode="in_person",
        starts_at=now - dt.timedelta(days=365),
        ends_at=now - dt.timedelta(days=364),
        status="closed",
        convened_at=now - dt.timedelta(days=400),
    )
    minutes = services.generate_minutes(actor=room.world.bureau, session=earlier)
    item = AgendaItem.objects.create(
        session=room.session,
        position=2,
        kind="minutes",
        title="Approval of the minutes",
        status="announced",
        announced=True,
    )
    return services.put_before_assembly(actor=room.world.bureau, minutes=minutes, item=item), item


def test_the_next_assembly_approves_by_a_poll(db):
    room = sitting_room(3)
    minutes, item = _earlier_minutes(room)
    assert minutes.status == "before_assembly" and minutes.approval_item == item
    poll = _run_poll(room, item=item, votes=("yes", "yes", "abstain"))
    minutes.refresh_from_db()
    assert minutes.status == "approved" and minutes.approval_route == "assembly"
    assert f"Poll {poll.pk}" in minutes.approval_ref and poll.arithmetic in minutes.approval_ref


def test_a_rejected_approval_poll_sends_the_minutes_back_to_the_draft(db):
    room = sitting_room(3)
    minutes, item = _earlier_minutes(room)
    _run_poll(room, item=item, votes=("no", "no", "yes"))
    minutes.refresh_from_db()
    assert minutes.status == "draft" and minutes.approval_item is None
    assert AuditEvent.objects.filter(verb="minutes.not_approved").exists()


def test_put_before_assembly_refuses_other_items(db):
    room, _poll = _sat_session()
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    with pytest.raises(GovernanceError, match="approving minutes"):
        services.put_before_assembly(actor=room.world.bureau, minutes=minutes, item=room.item)


# --- Publication ------------------------------------------------------------------------------


def test_publishing_approved_minutes_renders_the_pdf(db, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    room, _poll = _sat_session()
    minutes = _circulated(room)
    with pytest.raises(GovernanceError, match="approved"):
        services.publish_minutes(actor=room.world.bureau, minutes=minutes)
    services.settle_circulation(minutes=minutes, today=minutes.objections_until + dt.timedelta(1))
    minutes.refresh_from_db()
    with pytest.raises(GovernanceError, match="draft"):
        services.save_narrative(actor=room.world.bureau, minutes=minutes, narrative={}, remarks="x")
    minutes = services.publish_minutes(actor=room.world.bureau, minutes=minutes)
    assert minutes.status == "published"
    assert minutes_pdf.render_minutes(minutes.pk) in ("ready", "skipped")
    pdf = MinutesPDF.objects.get(minutes=minutes)
    assert pdf.is_ready and len(pdf.sha256) == 64
    assert minutes_pdf.render_minutes(minutes.pk) == "skipped"


def test_the_pdf_and_pages_escape_the_narrative(db):
    room, _poll = _sat_session()
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    services.save_narrative(
        actor=room.world.bureau,
        minutes=minutes,
        narrative={room.item.pk: '<script>alert(1)</script><img src="file:///etc/passwd">'},
        remarks="<b>bold</b>",
    )
    Minutes.objects.filter(pk=minutes.pk).update(
        status="published",
        published_at=timezone.now(),
        approved_at=timezone.now(),
        approval_route="circulation",
    )
    minutes.refresh_from_db()
    html = minutes_pdf.minutes_html(minutes)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and 'lang="en"' in html
    context = selectors_minutes.minutes_context(minutes)
    assert context["items"][0]["narrative"].startswith("<script>")  # stored as written


def test_the_minutes_record_an_exclusion_decided_by_the_assembly(db):
    room = sitting_room(4, majority_exclusion="two_thirds")
    city = room.cities[0]
    item = _exclusion_item(room, _adopt(room.world, city))
    poll = polls.open_poll(actor=room.chair, item=item, kind="exclusion", question="Exclude?")
    for other in room.cities[1:]:
        polls.cast_ballot(actor=room.delegates[other.pk].person, poll=poll, choice="yes")
    polls.close_poll(actor=room.chair, poll=poll)
    polls.release_result(actor=room.chair, poll=poll)
    polls.confirm_result(actor=room.tellers[0], poll=poll)
    minutes = services.generate_minutes(actor=room.world.bureau, session=room.session)
    recorded = next(i for i in minutes.record["items"] if i["id"] == item.pk)
    decision = MembershipDecision.objects.get(exclusion_proposal=item.exclusion_proposal)
    assert recorded["exclusion"] == {
        "city": city.name,
        "decision": decision.kind,
        "decided_on": decision.decided_on.isoformat(),
        "reference": decision.reference,
        "reason": decision.reason,
    }
    assert recorded["polls"][0]["electorate"] == 3  # the city concerned recused
