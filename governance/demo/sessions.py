"""ECCAR's next General Assembly, convened for a date ahead (hybrid, in Potsdam), with an
agenda holding a motion and a placeholder for a pending exclusion, and its registrations:
Potsdam's delegate (delegate@demo, in person) and substitute (substitute@demo, online),
accredited; Ghent's committee member as an accredited observer; Graz's coordinator as an
observer waiting for the bureau. The past General Assembly (Zurich 2025) is `minutes`."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

from governance.models import StatuteProfile
from governance.models.assemblies import AssemblySession
from governance.services import assemblies, attendance
from members.models import City, Coalition

from . import minutes

NEXT_ASSEMBLY_TITLE = "ECCAR General Assembly"
PAST_ASSEMBLY_TITLE = minutes.TITLE


def load(eccar: Coalition, users: dict) -> None:
    if AssemblySession.objects.filter(coalition=eccar).exists():
        return
    bureau = users["bureau"]
    minutes.load(eccar, users)
    profile = StatuteProfile.current_for(eccar)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    day = timezone.localdate() + dt.timedelta(days=profile.notice_days_ordinary + 30)
    upcoming = assemblies.create_session(
        actor=bureau,
        coalition=eccar,
        details=assemblies.SessionDetails(
            body="general_assembly",
            title=NEXT_ASSEMBLY_TITLE,
            theme="Cities welcoming everyone",
            host_city=City.objects.filter(name="Potsdam").first(),
            venue="Potsdam Town Hall, Friedrich-Ebert-Straße 79-81",
            mode="hybrid",
            online_join_instructions=(
                "Join the video conference at https://meet.example.org/eccar-ga "
                "(meeting code 2468); certified delegates vote in the portal."
            ),
            starts_at=dt.datetime(day.year, day.month, day.day, 9, 30, tzinfo=berlin),
            ends_at=dt.datetime(day.year, day.month, day.day, 17, 0, tzinfo=berlin),
            time_zone="Europe/Berlin",
            chair=users["bureau"],
        ),
    )
    for kind, title, description in [
        ("minutes", "Approval of the minutes of Zurich 2025", ""),
        ("budget", "Accounts 2025 and budget 2027", ""),
        ("motion", "Motion: a common data standard for the annual reports", "Proposed by Ghent."),
        (
            "exclusion",
            "Exclusion of a member city (placeholder, pending the committee's proposal)",
            "Kept on the agenda so that the assembly may decide if the committee proposes it.",
        ),
        ("other", "Any other business", ""),
    ]:
        assemblies.add_agenda_item(
            actor=bureau, session=upcoming, kind=kind, title=title, description=description
        )
    assemblies.convene_session(actor=bureau, session=upcoming)


def load_registrations(eccar: Coalition, users: dict) -> None:
    session = AssemblySession.objects.filter(coalition=eccar, title=NEXT_ASSEMBLY_TITLE).first()
    if session is None or session.registrations.exists():
        return
    potsdam, ghent, graz = (City.objects.get(name=n) for n in ("Potsdam", "Ghent", "Graz"))
    wanted = [
        (potsdam, users["coordinator"], users["delegate"], "delegate", "in_person", True),
        (potsdam, users["coordinator"], users["substitute"], "substitute", "online", True),
        (ghent, users["bureau"], users["committee"], "observer", "in_person", True),
        (graz, users["graz"], users["graz"], "observer", "online", False),
    ]
    for city, registrar, person, role, mode, accredit in wanted:
        registration = attendance.register_attendee(
            actor=registrar, session=session, city=city, person=person, role=role, mode=mode
        )
        if accredit:
            attendance.accredit_registration(actor=users["bureau"], registration=registration)
