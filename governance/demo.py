"""Demo governance data (see coalition.demo). Idempotent: creates what is missing only.

- ECCAR's steering committee (the cities of the seed, UNESCO as observer), with
  committee@demo holding Ghent's seat, for a term around today, and a few seats
  of the previous term so that the history shows;
- an applicant account (applicant@demo, password "demo") with one application
  waiting for the bureau (Leipzig) and one under the committee's vote (Aarhus),
  each with a real small PDF letter;
- ECCAR's statute profile (version 1) and this year's membership fees: most paid, three
  due, one waived. The profile's values and section numbers are illustrative demo data,
  not a reading of ECCAR's statute; values the demo leaves to German law cite the BGB.
- Potsdam's certified delegate (delegate@demo) and substitute (substitute@demo),
  validated, each with a mandate letter; and Graz's coordinator (graz@demo)
  certifying herself as Graz's delegate, waiting for the bureau.
- Registrations for the next General Assembly: Potsdam's delegate (delegate@demo, in person)
  and substitute (substitute@demo, online), accredited; Ghent's committee member as an
  accredited observer; Graz's coordinator as an observer waiting for the bureau.
- ECCAR's next General Assembly, convened for a date ahead (hybrid, in Potsdam), with an
  agenda holding a motion and a placeholder for a pending exclusion; and the past General
  Assembly of Zurich (23-24 October 2025, hybrid) with its attendance, roll calls, four
  released polls and its approved, published minutes and their PDF (governance.demo_minutes).
- On the next assembly's motion item, a motion of the steering committee with two
  amendments that conflict (Potsdam's and Graz's, on overlapping lines) and a third that
  does not; and a past General Conference (2024, demo) whose final declaration, recorded
  as history, is published with a French translation and its PDF.
- The committee's President and two Vice-Presidents (governance.demo_officers).
- Two elections of the steering committee (governance.demo_elections): a partial renewal
  whose call for candidates is open, and a by-election whose voting window is open.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from coalition.demo import (
    COMMITTEE_SEAT_CITIES,
    DEMO_PASSWORD,
    PREVIOUS_SEAT_CITIES,
    demo_email,
    seat_account,
)
from coalition.models import User
from governance import (
    declarations,
    demo_elections,
    demo_minutes,
    demo_officers,
    motion_text,
    services,
)
from governance.letters import minimal_pdf
from governance.models import (
    AdmissionApplication,
    CommitteeSeat,
    DelegateCertification,
    FeeStatus,
    LetterUpload,
    MembershipFee,
    SeatKind,
    StatuteProfile,
    private_storage,
)
from governance.models.assemblies import AssemblySession, SessionStatus
from governance.models.motions import Motion, MotionVersion
from governance.models.statute import GERMAN_LAW_SOURCES
from governance.services import application_checks, assemblies, attendance, delegates
from governance.services import motions as motion_services
from members import services as members_services
from members.models import City, Coalition, Role, RoleKind

#: The ECCAR steering committee as listed in the seed (DOMAIN.md), plus UNESCO as observer;
#: and seats of the previous term that were not renewed (history shown on the coalition page).
#: Every seat has its demo representative (coalition.demo.seat_account).
COMMITTEE_CITIES = COMMITTEE_SEAT_CITIES
PREVIOUS_TERM_CITIES = PREVIOUS_SEAT_CITIES

APPLICANT_EMAIL_LOCAL = "applicant"

# city name, local name, country, region, latitude, longitude, status wanted
APPLICATIONS = [
    ("Leipzig", "", "DE", "Saxony", "51.339700", "12.373100", "waiting"),
    ("Aarhus", "Århus", "DK", "Central Denmark Region", "56.162900", "10.203900", "under_vote"),
]


def current_term() -> tuple[dt.date, dt.date]:
    """A two-year term that includes today, so the demo committee is always sitting."""
    today = timezone.localdate()
    start = dt.date(today.year - 1, 11, 1) if today.month < 11 else dt.date(today.year, 11, 1)
    return start, dt.date(start.year + 2, 10, 31)


def load(*, users: dict) -> None:
    eccar = Coalition.objects.get(short_name="ECCAR")
    _load_committee(eccar, users)
    demo_officers.load(eccar, users, term=current_term())
    _load_statute(eccar, users)
    _load_fees(eccar, users)
    applicant = _applicant_account()
    for row in APPLICATIONS:
        _load_application(eccar, applicant, users, *row)
    _load_certifications(eccar, users)
    _load_sessions(eccar, users)
    _load_registrations(eccar, users)
    _load_motions(eccar, users)
    demo_elections.load(eccar, users, term_ends_on=current_term()[1])


def _load_committee(eccar: Coalition, users: dict) -> None:
    if CommitteeSeat.objects.filter(coalition=eccar).exists():
        _represent_every_seat(eccar, users)
        return
    admin = users["admin"]
    start, end = current_term()
    previous_start = dt.date(start.year - 2, start.month, start.day)
    for name in PREVIOUS_TERM_CITIES:
        city = City.objects.filter(name=name).first()
        if city is not None:
            services.add_seat(
                actor=admin,
                coalition=eccar,
                kind=SeatKind.VOTING,
                city=city,
                starts_on=previous_start,
                ends_on=start - dt.timedelta(days=1),
                representative=users.get(seat_account(name)),
            )
    for name in COMMITTEE_CITIES:
        services.add_seat(
            actor=admin,
            coalition=eccar,
            kind=SeatKind.VOTING,
            city=City.objects.get(name=name),
            starts_on=start,
            ends_on=end,
            representative=users[seat_account(name)],
        )
    services.add_seat(
        actor=admin,
        coalition=eccar,
        kind=SeatKind.OBSERVER,
        institution="UNESCO",
        starts_on=start,
        ends_on=end,
    )


def _represent_every_seat(eccar: Coalition, users: dict) -> None:
    """A demo database loaded before every seat had a representative gets them now."""
    admin = users["admin"]
    for seat in CommitteeSeat.objects.filter(
        coalition=eccar, representative__isnull=True, city__isnull=False
    ).select_related("city", "coalition"):
        assert seat.city is not None  # city__isnull=False
        representative = users.get(seat_account(seat.city.name))
        if representative is not None:
            services.update_seat(actor=admin, seat=seat, representative=representative)


def _applicant_account():

    email = demo_email(APPLICANT_EMAIL_LOCAL)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name="Anna Applicant")
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _demo_letter(applicant, city_name: str) -> LetterUpload:
    """The letter as a held upload in private storage, written once whatever the reloads."""
    storage = private_storage()
    name = f"governance/letters/demo/{city_name.lower()}.pdf"
    if not storage.exists(name):
        content = minimal_pdf(
            [
                f"City of {city_name}: letter of commitment",
                "",
                f"The City of {city_name} accedes to the Ten-Point Plan of Action",
                "of the European Coalition of Cities against Racism and commits",
                "human, financial and material resources to its implementation.",
                "",
                "The Mayor (demo data)",
            ]
        )
        name = storage.save(name, ContentFile(content))
    return LetterUpload.objects.create(
        uploaded_by=applicant,
        file=name,
        original_name=f"{city_name}-letter-of-commitment.pdf",
        size=storage.size(name),
    )


def _load_application(eccar, applicant, users, name, local, country, region, lat, lon, wanted):
    if AdmissionApplication.objects.filter(applicant=applicant, city_name=name).exists():
        return
    if City.objects.filter(name=name, country=country).exists():
        return  # the city joined meanwhile (e.g. a demo vote was carried)
    plan = eccar.plan_in_force()
    if plan is None:
        return
    actions = {
        c.pk: [
            f"{name}: {c.title.lower()} — a named officer and a yearly programme.",
            f"{name}: report on {c.title.lower()} to the city council each year.",
        ]
        for c in plan.commitments.all()
    }
    application = services.submit_application(
        actor=applicant,
        details=services.ApplicationDetails(
            coalition=eccar,
            city_name=name,
            city_local_name=local,
            country=country,
            region=region,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            contact_name="Anna Applicant",
            contact_position="International relations office",
            contact_email=applicant.email,
            focal_point_name=f"Focal point of {name}",
            focal_point_email=f"focal.point@{name.lower()}.example",
            letter_signed_on=timezone.localdate() - dt.timedelta(days=20),
            actions=actions,
        ),
        letter=_demo_letter(applicant, name),
    )
    if wanted == "under_vote":
        application_checks.tick_every_item(
            actor=users["bureau"], application=application, note="Checked (demo data)."
        )
        services.open_admission_vote(
            actor=users["bureau"],
            application=application,
            closes_at=timezone.now() + dt.timedelta(days=10),
        )


#: ECCAR's demo profile: what differs from German law, with (illustrative) statute sections.
STATUTE_VALUES = {
    "notice_days_ordinary": 42,
    "notice_days_extraordinary": 21,
    "motion_deadline_days": 28,
    "amendment_deadline_days": 7,
    "majority_exclusion": "two_thirds",
    "late_items_allowed": True,
    "majority_late_item": "two_thirds",
    "substitutes_per_city": 2,
    "fee_bands": [
        {"up_to": 100000, "amount": "500.00"},
        {"up_to": 500000, "amount": "750.00"},
        {"up_to": None, "amount": "1000.00"},
    ],
}
STATUTE_SOURCES = {
    **GERMAN_LAW_SOURCES,
    "notice_ordinary": "Statute 2019 §7(3)",
    "notice_extraordinary": "Statute 2019 §7(4)",
    "motion_deadline": "Statute 2019 §7(5)",
    "amendment_deadline": "Statute 2019 §7(5)",
    "majority_exclusion": "Statute 2019 §4(3)",
    "late_items": "Statute 2019 §7(6)",
    "substitutes": "Statute 2019 §8(2)",
    "fees": "Statute 2019 §5(2) and the fee schedule of the General Assembly",
}
#: This year's fees the demo leaves due, and the one it waives.
FEES_DUE = ["Nancy", "Metz", "Bern"]
FEE_WAIVED = "Esch-sur-Alzette"


def _load_statute(eccar: Coalition, users: dict) -> None:
    if StatuteProfile.objects.filter(coalition=eccar).exists():
        return
    defaults = StatuteProfile.german_law_defaults(eccar)
    services.update_statute_profile(
        actor=users["admin"],
        coalition=eccar,
        values={**defaults.values(), **STATUTE_VALUES},
        sources=STATUTE_SOURCES,
        valid_from=dt.date(2019, 10, 1),
        adopted_on=dt.date(2019, 10, 1),
        note="Demo data: the values and section numbers are illustrative.",
        based_on_version=0,
    )


def _load_fees(eccar: Coalition, users: dict) -> None:
    today = timezone.localdate()
    if MembershipFee.objects.filter(coalition=eccar, year=today.year).exists():
        return
    bureau = users["bureau"]
    services.generate_fees_for_year(actor=bureau, coalition=eccar, year=today.year)
    paid_on = min(dt.date(today.year, 2, 15), today)
    for fee in MembershipFee.objects.filter(coalition=eccar, year=today.year).select_related(
        "city"
    ):
        if fee.city.name in FEES_DUE:
            continue
        waived = fee.city.name == FEE_WAIVED
        services.record_fee(
            actor=bureau,
            coalition=eccar,
            city=fee.city,
            year=fee.year,
            status=FeeStatus.WAIVED if waived else FeeStatus.PAID,
            paid_on=None if waived else paid_on,
            note="Waived by the steering committee (demo data)." if waived else None,
        )


def _mandate_letter(uploader, city_name: str, person) -> LetterUpload:
    storage = private_storage()
    slug = f"{city_name.lower()}-{person.email.split('@')[0]}"
    name = f"governance/mandates/demo/{slug}.pdf"
    if not storage.exists(name):
        content = minimal_pdf(
            [
                f"City of {city_name}: mandate",
                "",
                f"The Mayor of {city_name} mandates {person.full_name}",
                "to cast the city's vote in the European Coalition of Cities",
                "against Racism, under the Mayor's authority.",
                "",
                "The Mayor (demo data)",
            ]
        )
        name = storage.save(name, ContentFile(content))
    return LetterUpload.objects.create(
        uploaded_by=uploader,
        file=name,
        original_name=f"{slug}-mandate.pdf",
        size=storage.size(name),
    )


def _load_certifications(eccar: Coalition, users: dict) -> None:
    today = timezone.localdate()
    potsdam, graz = City.objects.get(name="Potsdam"), City.objects.get(name="Graz")
    wanted = [
        (potsdam, users["coordinator"], users["delegate"], "delegate", True),
        (potsdam, users["coordinator"], users["substitute"], "substitute", True),
        (graz, users["graz"], users["graz"], "delegate", False),
    ]
    for city, coordinator, person, role, validate in wanted:
        if DelegateCertification.objects.filter(person=person, city=city).exists():
            continue
        if not Role.objects.filter(user=coordinator, kind=RoleKind.COORDINATOR, city=city).exists():
            members_services.grant_role(
                actor=users["admin"],
                user=coordinator,
                kind=RoleKind.COORDINATOR,
                city=city,
                starts_on=dt.date(2024, 1, 1),
            )
        certification = delegates.submit_certification(
            actor=coordinator,
            details=delegates.CertificationDetails(
                city=city,
                coalition=eccar,
                person=person,
                role=role,
                scope="standing",
                valid_from=today,
                valid_until=None,
                signed_by_name=f"Mayor of {city.name} (demo)",
                signed_by_office=f"Office of the Mayor of {city.name}",
            ),
            letter=_mandate_letter(coordinator, city.name, person),
        )
        if validate:
            delegates.validate_certification(actor=users["bureau"], certification=certification)


NEXT_ASSEMBLY_TITLE = "ECCAR General Assembly"
PAST_ASSEMBLY_TITLE = demo_minutes.TITLE


def _load_sessions(eccar: Coalition, users: dict) -> None:
    if AssemblySession.objects.filter(coalition=eccar).exists():
        return
    bureau = users["bureau"]
    demo_minutes.load(eccar, users)
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


def _load_registrations(eccar: Coalition, users: dict) -> None:
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


# --- Motions and the final declaration --------------------------------------------------------

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


def _load_motions(eccar: Coalition, users: dict) -> None:
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
