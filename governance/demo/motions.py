"""A motion of the steering committee on the next assembly's motion item, with two amendments
that conflict (Potsdam's and Graz's, on overlapping lines) and a third that does not; and a past
General Conference (2024, demo) whose final declaration, recorded as history, is published with
a French translation and its PDF."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from governance import declarations, motion_text
from governance.models import StatuteProfile
from governance.models.assemblies import AssemblySession, SessionStatus
from governance.models.motions import Motion, MotionVersion
from governance.services import assemblies
from governance.services import motions as motion_services
from members.models import City, Coalition

from .sessions import NEXT_ASSEMBLY_TITLE

MOTION_TITLE = "A common data standard for the annual reports"
MOTION_TEXT = "\n".join(
    (
        "The General Assembly of the European Coalition of Cities against Racism,",
        "Noting that member cities report each year on the Ten-Point Plan of "
        "Action in different formats,",
        "Considering that comparable data help cities learn from one another,",
        "Decides that the annual reports follow a common data standard from "
        "the next reporting cycle;",
        "Asks the steering committee to propose the standard, with the scientific secretariat;",
        "Asks the bureau to publish the standard in every language of the coalition;",
        "Invites member cities to share their own indicators before the standard is adopted.",
    )
)

CONFERENCE_TITLE = "ECCAR General Conference 2024 (demo)"
DECLARATION_TITLE = "Final declaration of the General Conference 2024"
DECLARATION_PREAMBLE = "\n".join(
    (
        "Concerned with the persistence of racism and discrimination in European cities,",
        "Emphasising that cities are where equal treatment is lived or denied every day,",
        "Convinced that the Ten-Point Plan of Action remains the common ground of member cities,",
    )
)
DECLARATION_OPERATIVE = "\n".join(
    (
        "Call upon member cities to renew their commitment to the ten points;",
        "Invite partners and civil society to take part in the cities' action plans;",
        "Request the steering committee to report on the plan's implementation "
        "at the next conference;",
        "Appeal to national governments to support local action against racism.",
    )
)
DECLARATION_PREAMBLE_FR = "\n".join(
    (
        "Préoccupées par la persistance du racisme et des discriminations dans "
        "les villes européennes,",
        "Soulignant que les villes sont le lieu où l'égalité de traitement est "
        "vécue ou refusée chaque jour,",
        "Convaincues que le Plan d'action en dix points demeure le socle "
        "commun des villes membres,",
    )
)
DECLARATION_OPERATIVE_FR = "\n".join(
    (
        "Appellent les villes membres à renouveler leur engagement envers les dix points ;",
        "Invitent les partenaires et la société civile à participer aux plans "
        "d'action des villes ;",
        "Demandent au comité directeur de rendre compte de la mise en œuvre du "
        "plan à la prochaine conférence ;",
        "Lancent un appel aux gouvernements nationaux pour qu'ils soutiennent "
        "l'action locale contre le racisme.",
    )
)


def load(eccar: Coalition, users: dict) -> None:
    if Motion.objects.filter(session__coalition=eccar).exists():
        return
    upcoming = AssemblySession.objects.get(coalition=eccar, title=NEXT_ASSEMBLY_TITLE)
    item = upcoming.items.get(kind="motion")
    motion = motion_services.submit_motion(
        actor=users["committee"],
        session=upcoming,
        item=item,
        kind="resolution",
        title=MOTION_TITLE,
        language="en",
        lines=motion_text.build(body=MOTION_TEXT),
        submitter="committee",
    )
    potsdam, graz = City.objects.get(name="Potsdam"), City.objects.get(name="Graz")
    motion_services.submit_amendment(
        actor=users["coordinator"],
        motion=motion,
        city=potsdam,
        operation="replace",
        first_line=4,
        last_line=5,
        new_text=[
            "Decides that the annual reports follow a common data standard from the cycle "
            "after next, so that cities have a year to prepare;",
            "Asks the steering committee to propose the standard, with the scientific "
            "secretariat and five member cities of different sizes;",
        ],
        justification="Small cities need time to adapt their reporting.",
    )
    motion_services.submit_amendment(
        actor=users["graz"],
        motion=motion,
        city=graz,
        operation="replace",
        first_line=5,
        last_line=5,
        new_text=["Asks the steering committee to propose the standard by the next assembly;"],
        justification="A date keeps the work on track.",
    )
    motion_services.submit_amendment(
        actor=users["graz"],
        motion=motion,
        city=graz,
        operation="insert_after",
        first_line=7,
        last_line=7,
        new_text=["Asks that the standard respect the data protection law of every member city."],
        justification="Reports hold data about people.",
    )
    _load_declaration(eccar, users)


def _load_declaration(eccar: Coalition, users: dict) -> None:
    """A past General Conference and its adopted final declaration, recorded as history (it
    took place before the portal), then published through the service with a translation."""
    bureau = users["bureau"]
    zone = zoneinfo.ZoneInfo("Europe/Berlin")
    conference = assemblies.create_session(
        actor=bureau,
        coalition=eccar,
        details=assemblies.SessionDetails(
            body="general_conference",
            title=CONFERENCE_TITLE,
            theme="Twenty years of the Ten-Point Plan of Action",
            host_city=City.objects.filter(name="Potsdam").first(),
            venue="Potsdam",
            starts_at=dt.datetime(2024, 11, 14, 9, 0, tzinfo=zone),
            ends_at=dt.datetime(2024, 11, 15, 13, 0, tzinfo=zone),
            time_zone="Europe/Berlin",
        ),
    )
    item = assemblies.add_agenda_item(
        actor=bureau, session=conference, kind="motion", title="Final declaration"
    )
    conference.items.update(status="decided", announced=True)
    AssemblySession.objects.filter(pk=conference.pk).update(
        status=SessionStatus.CLOSED,
        convened_at=dt.datetime(2024, 9, 1, 9, 0, tzinfo=zone),
        statute_snapshot=StatuteProfile.current_for(eccar, dt.date(2024, 9, 1)).snapshot(),
    )
    lines = motion_text.build(preamble=DECLARATION_PREAMBLE, operative=DECLARATION_OPERATIVE)
    decided = dt.datetime(2024, 11, 15, 12, 0, tzinfo=zone)
    motion = Motion.objects.create(
        session=conference,
        item=item,
        kind="declaration",
        title=DECLARATION_TITLE,
        submitter="committee",
        submitted_by=users["committee"],
        submitted_at=dt.datetime(2024, 10, 1, 9, 0, tzinfo=zone),
        language="en",
    )
    version = MotionVersion.objects.create(
        motion=motion,
        number=1,
        language="en",
        lines=motion_text.to_json(lines),
        sha256=motion_text.sha256(lines),
        created_by=users["committee"],
    )
    Motion.objects.filter(pk=motion.pk).update(
        status="adopted",
        decided_at=decided,
        adopted_version=version,
        adopted_sha256=version.sha256,
        result_ref="Adopted by acclamation (recorded as history)",
    )
    motion.refresh_from_db()
    motion_services.add_translation(
        actor=bureau,
        motion=motion,
        language="fr",
        lines=motion_text.build(
            preamble=DECLARATION_PREAMBLE_FR, operative=DECLARATION_OPERATIVE_FR
        ),
    )
    motion_services.publish_declaration(actor=bureau, motion=motion)
    # Drawn now, so that the demo's PDF is there at once (the queued task then skips it).
    declarations.render_declaration(motion.pk)
