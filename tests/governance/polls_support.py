"""A sitting assembly built from factories, for the poll tests: N member cities, each with a
delegate and a substitute accredited; the delegates checked in (so holding the cards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from coalition.models import User
from governance.models import (
    AgendaItem,
    AssemblySession,
    Registration,
    StatuteProfile,
)
from governance.services import attendance, polls
from members.models import City, Coalition
from tests.factories import UserFactory
from tests.governance.conftest import World, build_world


@dataclass
class Room:
    world: World
    session: AssemblySession
    item: AgendaItem
    chair: object
    tellers: list
    delegates: dict = field(default_factory=dict)  # city pk -> Registration
    substitutes: dict = field(default_factory=dict)  # city pk -> Registration

    @property
    def cities(self):
        return self.world.cities


def sitting_room(cities: int = 5, *, present: int | None = None, **snapshot) -> Room:
    world = build_world(voting_seats=cities)
    now = timezone.now()
    chair, teller_1, teller_2 = UserFactory(), UserFactory(), UserFactory()
    session = AssemblySession.objects.create(
        coalition=world.coalition,
        body="general_assembly",
        title="Assembly under test",
        mode="hybrid",
        online_join_instructions="Online at https://meet.example/test.",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5),
        status="in_session",
        convened_at=now - dt.timedelta(days=40),
        chair=chair,
        teller_1=teller_1,
        teller_2=teller_2,
        statute_snapshot={
            **StatuteProfile.current_for(world.coalition).snapshot(),
            **snapshot,
        },
    )
    item = AgendaItem.objects.create(
        session=session,
        position=1,
        kind="motion",
        title="A motion",
        status="announced",
        announced=True,
    )
    room = Room(world, session, item, chair, [teller_1, teller_2])
    present = cities if present is None else present
    for i, city in enumerate(world.cities):
        for role, store in (("delegate", room.delegates), ("substitute", room.substitutes)):
            store[city.pk] = Registration.objects.create(
                session=session,
                city=city,
                person=UserFactory(),
                role=role,
                mode="online",
                status="accredited",
                registered_by=world.bureau,
            )
        if i < present:
            attendance.check_in(
                actor=world.bureau, registration=room.delegates[city.pk], channel="desk"
            )
    return room


def demo_sitting(
    *, title: str, open_poll: bool, released_poll: bool = True, quorum: int = 1
) -> AssemblySession:
    """A sitting of ECCAR's assembly in the demo world, for the pages that run its polls.

    The bureau chairs (the desk), Camille Committee is the first teller, and Potsdam's
    delegate is checked in and holds the card; the quorum is `quorum` cities. Two motions:
    on the first, with `released_poll`, a poll was opened, voted, closed and released (it
    awaits the teller); on the second, with `open_poll`, a poll is open (no ballot yet).
    """
    eccar = Coalition.objects.get(slug="eccar")
    users = {
        local: User.objects.get(email=f"{local}@demo.coalition.example")
        for local in ("bureau", "committee", "delegate")
    }
    now = timezone.now()
    session = AssemblySession.objects.create(
        coalition=eccar,
        body="general_assembly",
        title=title,
        mode="hybrid",
        online_join_instructions="Online at https://meet.example/eccar.",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=5),
        status="in_session",
        convened_at=now - dt.timedelta(days=40),
        chair=users["bureau"],
        teller_1=users["committee"],
        statute_snapshot={
            **StatuteProfile.current_for(eccar).snapshot(),
            "quorum_kind": "number",
            "quorum_number": quorum,
        },
    )
    items = [
        AgendaItem.objects.create(
            session=session,
            position=n,
            kind="motion",
            title=text,
            status="announced",
            announced=True,
        )
        for n, text in enumerate(
            ["Motion: the annual accounts", "Motion: a common data standard"], start=1
        )
    ]
    delegate = Registration.objects.create(
        session=session,
        city=City.objects.get(name="Potsdam"),
        person=users["delegate"],
        role="delegate",
        mode="online",
        status="accredited",
        registered_by=users["bureau"],
    )
    attendance.check_in(actor=users["bureau"], registration=delegate, channel="desk")
    chair = users["bureau"]
    if released_poll:
        done = polls.open_poll(
            actor=chair, item=items[0], kind="motion", question="Approve the annual accounts?"
        )
        polls.cast_ballot(actor=users["delegate"], poll=done, choice="yes")
        polls.close_poll(actor=chair, poll=done)
        polls.release_result(actor=chair, poll=done)
    if open_poll:
        polls.open_poll(
            actor=chair, item=items[1], kind="motion", question="Adopt the data standard?"
        )
    return session
