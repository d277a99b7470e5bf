"""The sitting of the past assembly (Zurich, 23-24 October 2025): the accredited delegations,
check-ins at the desk and online, a voting card passed at a check-out and handed back the next
morning, two roll calls and four polls (the minutes of the previous assembly, the admission of
the new member cities, and the ECCAR Award in two categories). Each step is dated by
`clock.clock` (see `minutes`, which builds the session)."""

from __future__ import annotations

import datetime as dt

from coalition.demo import seat_account
from governance.models import AssemblySession, CardHolding, Registration
from governance.services import attendance, polls
from members.models import City

from .clock import clock as _clock
from .clock import when as _when

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


def registrations(session: AssemblySession, users: dict) -> dict[str, Registration]:
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


def first_day(session, users, delegates, items) -> None:
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


def second_day(session, users, delegates, items) -> None:
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
