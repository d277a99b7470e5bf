"""The demo's clock for the past assembly (Zurich 2025): each step of its history runs inside
`clock(session, when)`, which moves the timestamps the step wrote (and only those: they are
later than the step's start) to the moment in October or November 2025 it stands for. The
audit log keeps the real times of the load (it is append-only)."""

from __future__ import annotations

import contextlib
import datetime as dt
import zoneinfo
from collections.abc import Iterator

from django.utils import timezone

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
)

ZURICH = zoneinfo.ZoneInfo("Europe/Zurich")


def when(day: int, hour: int, minute: int = 0, month: int = 10) -> dt.datetime:
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
def clock(session: AssemblySession, at: dt.datetime) -> Iterator[None]:
    """Run a step, then date what it wrote at `at` (rows from earlier steps are in 2025)."""
    start = timezone.now()
    yield
    for model, fields, path in _STAMPED:
        for name in fields:
            model._default_manager.filter(**{path: session, f"{name}__gte": start}).update(
                **{name: at}
            )
