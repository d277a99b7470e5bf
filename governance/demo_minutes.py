"""The demo's past General Assembly (Zurich, 23-24 October 2025, hybrid) and its minutes.

Built through the services wherever they allow a past date: the session is drafted, its
agenda added, then recorded as convened on 1 September 2025 (convening refuses a date in the
past: its notice period would be long gone) with the statute profile of that day. The
registrations are recorded as accredited history too: a delegate certification cannot start
in the past, so accreditation against one is not possible after the fact. From there on every
step is a service call: the session opened, check-ins at the desk and online, a voting card
passed at a check-out and handed back the next morning, two roll calls, four polls (the minutes
of the previous assembly, the admission of the new member cities, and the ECCAR Award in two
categories), the session closed; then the minutes drawn by the minute-taker, the narrative
written, circulated, approved when the window ended without objection, published, and the PDF
rendered.

Each step runs inside `_clock(session, when)`, which moves the timestamps the step wrote (and
only those: they are later than the step's start) to the moment in October or November 2025
it stands for. The audit log keeps the real times of the load (it is append-only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Iterator

from django.utils import timezone

from coalition.demo import seat_account
from governance import minutes_pdf
from governance.models import (
    AgendaItem,
    AssemblyPoll,
    AssemblySession,
    AttendanceEvent,
    CardHolding,
    CityBallot,
    Minutes,
    Registration,
    RollCall,
    SessionStatus,
    StatuteProfile,
)
from governance.services import assemblies, attendance, polls
from governance.services import minutes as minutes_services
from members.models import City, Coalition

TITLE = "ECCAR General Assembly 2025, Zurich"
ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")

#: The cities whose delegates came (each committee city's representative is its delegate),
#: how they took part, and what they voted on the admission poll.
DELEGATIONS = [
    ("Rotterdam", "in_person", "yes"),
    ("Berlin", "in_person", "yes"),
    ("Bologna", "in_person", "yes"),
    ("Botkyrka", "online", "yes"),
    ("Esch-sur-Alzette", "in_person", "yes"),
    ("Ghent", "in_person", "yes"),
    ("Graz", "online", "abstain"),
    ("Karlsruhe", "in_person", "yes"),
    ("Liège", "in_person", "yes"),
    ("Malmö", "online", "no"),
    ("Nantes", "in_person", "yes"),
    ("Toulouse", "in_person", "yes"),
]
AWARD_SMALL = ["Esch-sur-Alzette", "Botkyrka (Fittja district)", "Graz (Lend district)"]
AWARD_LARGE = ["Ghent", "Toulouse", "Bologna"]
#: Each city's choice in the two award polls (index into the options), by delegation order.
SMALL_VOTES = [0, 0, 1, 1, 0, 0, 2, 0, 1, 0, 0, 0]
LARGE_VOTES = [0, 1, 2, 0, 0, 1, 2, 0, 0, 0, 1, 1]

NARRATIVE = {
    "minutes": "The minutes of the previous assembly were approved without amendment.",
    "motion": (
        "The bureau presented the eight applications the steering committee had recommended. "
        "Malmö asked that new members receive an introduction to the reporting cycle; "
        "the bureau agreed."
    ),
    "election": (
        "The election of the Steering Committee 2025-2029 was held by secret ballot in the "
        "portal's elections; its result is published there."
    ),
    "award": "The chair thanked the candidate cities; the awards were handed over at dinner.",
}
REMARKS = (
    "The assembly thanked the City of Zurich for its hospitality. "
    "Online participation worked throughout both days."
)


def _when(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=ZURICH)


#: The timestamps a step may write, per model: (model, fields, path to the session).
_STAMPED = [
    (AttendanceEvent, ("at",), "session"),
    (CardHolding, ("started_at", "ended_at"), "session"),
    (RollCall, ("taken_at",), "session"),
    (AssemblyPoll, ("opened_at", "closed_at", "released_at", "confirmed_at"), "session"),
    (CityBallot, ("cast_at", "confirmed_at"), "poll__session"),
    (Registration, ("registered_at", "decided_at", "code_used_at"), "session"),
    (AgendaItem, ("created_at",), "session"),
    (
        Minutes,
        ("generated_at", "edited_at", "circulated_at", "approved_at", "published_at"),
        "session",
    ),
]


@contextlib.contextmanager
def _clock(session: AssemblySession, when: dt.datetime) -> Iterator[None]:
    """Run a step, then date what it wrote at `when` (rows from earlier steps are in 2025)."""
    start = timezone.now()
    yield
    for model, fields, path in _STAMPED:
        for name in fields:
            model._default_manager.filter(**{path: session, f"{name}__gte": start}).update(
                **{name: when}
            )


def load(eccar: Coalition, users: dict) -> AssemblySession | None:
    if AssemblySession.objects.filter(coalition=eccar, title=TITLE).exists():
        return None
    bureau = users["bureau"]
    teller_1, teller_2 = users[seat_account("Metz")], users[seat_account("Munich")]
    session = assemblies.create_session(
        actor=bureau,
        coalition=eccar,
        details=assemblies.SessionDetails(
            body="general_assembly",
            title=TITLE,
            theme="Twenty years of ECCAR: cities against racism",
            host_city=City.objects.filter(name="Zürich").first(),
            venue="Zurich City Hall",
            mode="hybrid",
            online_join_instructions="The link was sent to the registered delegates.",
            starts_at=_when(23, 9),
            ends_at=_when(24, 13),
            time_zone="Europe/Zurich",
            chair=bureau,
            minute_taker=users["secretariat"],
            teller_1=teller_1,
            teller_2=teller_2,
        ),
    )
    items = {}
    with _clock(session, _when(1, 9, month=9)):
        for kind, title in [
            ("minutes", "Approval of the minutes of the previous assembly"),
            ("motion", "Admission of eight new member cities"),
            ("election", "Election of the Steering Committee 2025-2029"),
            ("award", "ECCAR Award in two categories"),
        ]:
            items[kind] = assemblies.add_agenda_item(
                actor=bureau, session=session, kind=kind, title=title
            )
    # History: convened on 1 September 2025 (the service refuses a date in the past).
    session.items.update(status="announced", announced=True)
    AssemblySession.objects.filter(pk=session.pk).update(
        status=SessionStatus.CONVENED,
        convened_at=_when(1, 9, month=9),
        convened_by=bureau,
        statute_snapshot=StatuteProfile.current_for(eccar, dt.date(2025, 9, 1)).snapshot(),
    )
    session.refresh_from_db()
    delegates = _registrations(session, users)
    with _clock(session, _when(23, 8, 45)):
        assemblies.open_session(actor=bureau, session=session)
    _first_day(session, users, delegates, items)
    _second_day(session, users, delegates, items)
    with _clock(session, _when(24, 13)):
        assemblies.close_session(actor=bureau, session=session)
    _minutes(session, users, items)
    return session


def _registrations(session: AssemblySession, users: dict) -> dict[str, Registration]:
    """Accredited history (see the module's docstring): one delegate per city, and Potsdam's
    delegate and substitute."""
    bureau = users["bureau"]
    wanted = [
        (City.objects.get(name=name), users[seat_account(name)], "delegate", mode)
        for name, mode, _vote in DELEGATIONS
    ]
    potsdam = City.objects.get(name="Potsdam")
    wanted += [
        (potsdam, users["delegate"], "delegate", "in_person"),
        (potsdam, users["substitute"], "substitute", "online"),
    ]
    registrations = {}
    for city, person, role, mode in wanted:
        registration = Registration.objects.create(
            session=session,
            city=city,
            person=person,
            role=role,
            mode=mode,
            status="accredited",
            registered_by=bureau,
            registered_at=_when(6, 10),
            decided_by=bureau,
            decided_at=_when(13, 15),
        )
        key = city.name if role == "delegate" else f"{city.name}/substitute"
        registrations[key] = registration
    return registrations


def _check_in(session, bureau, registration, when) -> None:
    channel = "online" if registration.mode == "online" else "desk"
    with _clock(session, when):
        attendance.check_in(actor=bureau, registration=registration, channel=channel)


def _poll(session, users, item, *, question, when, votes, options=(), named=True):
    """Open, vote (each city's card holder), close, release and confirm: one poll."""
    chair, teller = users["bureau"], session.teller_1
    kind = "choice" if options else "motion"
    with _clock(session, when):
        poll = polls.open_poll(
            actor=chair, item=item, kind=kind, question=question, named=named, options=options
        )
    option_rows = list(poll.options.order_by("position"))
    for i, (city_name, choice) in enumerate(votes):
        city = City.objects.get(name=city_name)
        holder = CardHolding.objects.get(session=session, city=city, current=True).holder
        with _clock(session, when + dt.timedelta(minutes=1 + i // 4)):
            if options:
                polls.cast_ballot(actor=holder, poll=poll, option=option_rows[int(choice)])
            else:
                polls.cast_ballot(actor=holder, poll=poll, choice=str(choice))
    with _clock(session, when + dt.timedelta(minutes=8)):
        polls.close_poll(actor=chair, poll=poll)
    with _clock(session, when + dt.timedelta(minutes=9)):
        polls.release_result(actor=chair, poll=poll)
    with _clock(session, when + dt.timedelta(minutes=10)):
        polls.confirm_result(actor=teller, poll=poll)
    return poll


def _first_day(session, users, delegates, items) -> None:
    bureau = users["bureau"]
    for i, (name, _mode, _vote) in enumerate(DELEGATIONS):
        _check_in(session, bureau, delegates[name], _when(23, 8, 30 + i * 2))
    _check_in(session, bureau, delegates["Potsdam"], _when(23, 8, 58))
    _check_in(session, bureau, delegates["Potsdam/substitute"], _when(23, 9, 5))
    with _clock(session, _when(23, 9, 15)):
        attendance.take_roll_call(actor=bureau, session=session)
    cities = [name for name, _mode, _vote in DELEGATIONS] + ["Potsdam"]
    _poll(
        session,
        users,
        items["minutes"],
        question="Shall the minutes of the previous assembly be approved?",
        when=_when(23, 9, 30),
        votes=[(name, "yes") for name in cities],
    )
    _poll(
        session,
        users,
        items["motion"],
        question="Shall the assembly confirm the admission of the eight new member cities?",
        when=_when(23, 10, 30),
        votes=[(name, vote) for name, _mode, vote in DELEGATIONS] + [("Potsdam", "yes")],
    )
    # Potsdam's delegate leaves in the afternoon: the card passes to the substitute online.
    with _clock(session, _when(23, 16)):
        attendance.check_out(actor=bureau, registration=delegates["Potsdam"], channel="desk")


def _second_day(session, users, delegates, items) -> None:
    bureau = users["bureau"]
    _check_in(session, bureau, delegates["Potsdam"], _when(24, 8, 50))
    with _clock(session, _when(24, 9)):
        holding = CardHolding.objects.get(session=session, holder=users["substitute"], current=True)
        attendance.hand_card(actor=bureau, holding=holding, to=delegates["Potsdam"])
    with _clock(session, _when(24, 9, 10)):
        attendance.take_roll_call(actor=bureau, session=session)
    cities = [name for name, _mode, _vote in DELEGATIONS] + ["Potsdam"]
    _poll(
        session,
        users,
        items["award"],
        question="ECCAR Award, cities under 50,000 inhabitants",
        when=_when(24, 10),
        votes=list(zip(cities, [*SMALL_VOTES, 0], strict=True)),
        options=tuple(AWARD_SMALL),
        named=False,
    )
    _poll(
        session,
        users,
        items["award"],
        question="ECCAR Award, cities over 50,000 inhabitants",
        when=_when(24, 10, 30),
        votes=list(zip(cities, [*LARGE_VOTES, 1], strict=True)),
        options=tuple(AWARD_LARGE),
        named=False,
    )
    for i, name in enumerate(cities):
        with _clock(session, _when(24, 12, 40 + i)):
            registration = delegates[name]
            channel = "online" if registration.mode == "online" else "desk"
            attendance.check_out(actor=bureau, registration=registration, channel=channel)
    with _clock(session, _when(24, 12, 55)):
        attendance.check_out(
            actor=bureau, registration=delegates["Potsdam/substitute"], channel="online"
        )


def _minutes(session: AssemblySession, users: dict, items: dict) -> None:
    taker, bureau = users["secretariat"], users["bureau"]
    with _clock(session, _when(30, 14)):
        minutes = minutes_services.generate_minutes(actor=taker, session=session)
        minutes = minutes_services.save_narrative(
            actor=taker,
            minutes=minutes,
            narrative={item.pk: NARRATIVE[kind] for kind, item in items.items()},
            remarks=REMARKS,
        )
    # The window ran 3-17 November 2025: the service takes today's dates (it refuses a window
    # in the past), the clock dates them, and the settlement is asked for the day after.
    today = timezone.localdate(timezone.now(), session.zone)
    with _clock(session, _when(3, 9, month=11)):
        minutes = minutes_services.circulate_minutes(
            actor=bureau, minutes=minutes, objections_from=today, objections_until=today
        )
    with _clock(session, _when(18, 0, 5, month=11)):
        minutes_services.settle_circulation(minutes=minutes, today=today + dt.timedelta(days=1))
    Minutes.objects.filter(pk=minutes.pk).update(
        objections_from=dt.date(2025, 11, 3),
        objections_until=dt.date(2025, 11, 17),
        approval_ref="No objection from 2025-11-03 to 2025-11-17 (circulation 1)",
    )
    minutes.refresh_from_db()
    with _clock(session, _when(20, 10, month=11)):
        minutes = minutes_services.publish_minutes(actor=bureau, minutes=minutes)
    # Drawn now, so that the demo's PDF is there at once (the queued task then skips it).
    minutes_pdf.render_minutes(minutes.pk)
