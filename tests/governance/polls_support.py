"""A sitting assembly built from factories, for the poll tests: N member cities, each with a
delegate and a substitute accredited; the delegates checked in (so holding the cards)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from governance.models import (
    AgendaItem,
    AssemblySession,
    Registration,
    StatuteProfile,
)
from governance.services import attendance
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
