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

Each step runs inside `clock.clock(session, when)`, which moves the timestamps the step wrote
(and only those: they are later than the step's start) to the moment in October or November
2025 it stands for. The audit log keeps the real times of the load (it is append-only). The
sitting itself (registrations, check-ins, roll calls, polls) is `sitting`.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coalition.demo import seat_account
from governance import minutes_pdf
from governance.models import (
    AssemblySession,
    Minutes,
    SessionStatus,
    StatuteProfile,
)
from governance.services import assemblies
from governance.services import minutes as minutes_services
from members.models import City, Coalition

from . import sitting
from .clock import clock as _clock
from .clock import when as _when

TITLE = "ECCAR General Assembly 2025, Zurich"

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
#: The French translation the secretariat added after publication: two items and the remarks,
#: so that the French page shows translated text beside items marked "not yet translated".
FRENCH = {
    "minutes": "Le procès-verbal de l'assemblée précédente a été approuvé sans modification.",
    "motion": (
        "Le bureau a présenté les huit candidatures recommandées par le comité directeur. "
        "Malmö a demandé que les nouveaux membres reçoivent une introduction au cycle de "
        "rapports ; le bureau a accepté."
    ),
}
FRENCH_REMARKS = (
    "L'assemblée a remercié la Ville de Zurich pour son hospitalité. "
    "La participation en ligne a fonctionné pendant les deux jours."
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
    delegates = sitting.registrations(session, users)
    with _clock(session, _when(23, 8, 45)):
        assemblies.open_session(actor=bureau, session=session)
    sitting.first_day(session, users, delegates, items)
    sitting.second_day(session, users, delegates, items)
    with _clock(session, _when(24, 13)):
        assemblies.close_session(actor=bureau, session=session)
    _minutes(session, users, items)
    return session


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
    with _clock(session, _when(24, 11, month=11)):
        minutes = minutes_services.save_narrative(
            actor=taker,
            minutes=minutes,
            language="fr",
            narrative={items[kind].pk: text for kind, text in FRENCH.items()},
            remarks=FRENCH_REMARKS,
        )
    # Drawn now, so that the demo's PDF is there at once (the queued task then skips it).
    minutes_pdf.render_minutes(minutes.pk)
