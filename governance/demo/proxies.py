"""Proxies at work: ECCAR-DE, the demo's German national coalition, whose statute allows them.

ECCAR's own profile allows no proxies (ADR 0016: the tests build their own snapshots), so the
demo shows them in ECCAR-DE: its statute profile (version 1) allows a city to vote by proxy,
two proxies at most per holder city (illustrative, as BGB §38 sentence 2 permits where the
statute says so). Berlin, Karlsruhe and Munich join Dresden as its members; its bureau is
bureau-de@demo (TOTP, like every staff account).

ECCAR-DE's next members' meeting is convened for a date ahead. Berlin's delegate there is
berlin@demo (Berlin's committee representative in ECCAR, made Berlin's coordinator, who
certified himself as Graz's coordinator did): registered and accredited, he holds Munich's vote
by a proxy whose signed form the bureau validated (munich@demo, made Munich's coordinator,
registered it), and Karlsruhe's proxy to Berlin (karlsruhe@demo, made Karlsruhe's coordinator,
registered it) waits for the bureau. Each city's page of proxies for the meeting shows them to
its coordinator and delegates.
Checking berlin@demo in at the desk (bureau-de@demo) shows Munich "represented by Berlin
(proxy)" in the quorum, the desk and the room view. Everything goes through the services.
Loading twice adds nothing.

The holder is not Potsdam: a second validated delegate certification of Potsdam (one per
coalition) would give delegate@demo a second delegate role, which the dashboard shows as a
second card of Potsdam, and the tests find Potsdam's one certification by city. The meeting
Potsdam stays out of ECCAR-DE: ECCAR's bureau corrects only cities that are members of no other
coalition (members.admin_rights.cities_managed_by), and the demo's bureau corrects Potsdam. The
meeting starts before ECCAR's next General Assembly, which stays the latest convened session (notice
plus 21 days, against ECCAR's 42 plus 30).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.demo import seat_account
from governance import services
from governance.letters import minimal_pdf
from governance.models import AssemblySession, DelegateCertification, StatuteProfile
from governance.models.statute import GERMAN_LAW_SOURCES
from governance.services import assemblies, attendance, delegates
from governance.services import proxies as proxy_services
from members import services as members_services
from members.models import City, Coalition, Membership, Role, RoleKind

from .delegates import mandate_letter

COALITION = "ECCAR-DE"
COALITION_LETTER_NAME = ("the German national coalition of ECCAR", "cities")
SESSION_TITLE = "ECCAR-DE members' meeting"
#: The member cities the proxies need, beside Dresden (members/demo.py), with their signatures.
MEMBERS = [
    ("Karlsruhe", dt.date(2020, 9, 14)),
    ("Berlin", dt.date(2020, 9, 14)),
    ("Munich", dt.date(2021, 3, 2)),
]
HOLDER = "Berlin"
#: The holder city's coordinator, who certifies himself as its delegate (his seat's account).
HOLDER_ACCOUNT = seat_account(HOLDER)
#: (principal city, its coordinator's demo account, validated by the bureau)
PROXIES = [
    ("Munich", seat_account("Munich"), True),
    ("Karlsruhe", seat_account("Karlsruhe"), False),
]

STATUTE_VALUES = {"proxies_allowed": True, "proxy_cap": 2}
STATUTE_SOURCES = {"proxies": "Statute of ECCAR-DE (demo) §6(3): two proxies per city at most"}


def load(users: dict) -> None:
    coalition = Coalition.objects.filter(short_name=COALITION).first()
    if coalition is None or AssemblySession.objects.filter(coalition=coalition).exists():
        return
    admin = users["admin"]
    _members(coalition, admin)
    _staff_and_coordinators(coalition, users)
    _statute(coalition, admin)
    _certify_holder_delegate(coalition, users)
    session = _session(coalition, users["bureau-de"])
    holder = City.objects.get(name=HOLDER)
    registration = attendance.register_attendee(
        actor=users[HOLDER_ACCOUNT],
        session=session,
        city=holder,
        person=users[HOLDER_ACCOUNT],
        role="delegate",
        mode="in_person",
    )
    attendance.accredit_registration(actor=users["bureau-de"], registration=registration)
    for name, account, validate in PROXIES:
        proxy = proxy_services.register_proxy(
            actor=users[account],
            session=session,
            principal=City.objects.get(name=name),
            holder=holder,
            signed_by_name=f"Mayor of {name} (demo)",
            form=_proxy_form(name),
        )
        if validate:
            proxy_services.validate_proxy(actor=users["bureau-de"], proxy=proxy)


def _members(coalition: Coalition, admin) -> None:
    for name, signed_on in MEMBERS:
        city = City.objects.get(name=name)
        if not Membership.objects.filter(city=city, coalition=coalition).exists():
            members_services.create_membership(
                actor=admin,
                city=city,
                coalition=coalition,
                signed_on=signed_on,
                reason="Joined the national coalition (demo data).",
            )


def _grant(admin, user, kind: str, **scope) -> None:
    if not Role.objects.filter(user=user, kind=kind, **scope).exists():
        members_services.grant_role(
            actor=admin, user=user, kind=kind, starts_on=dt.date(2024, 1, 1), **scope
        )


def _staff_and_coordinators(coalition: Coalition, users: dict) -> None:
    admin = users["admin"]
    _grant(admin, users["bureau-de"], RoleKind.BUREAU, coalition=coalition)
    coordinators = [(HOLDER, HOLDER_ACCOUNT)] + [(name, account) for name, account, _ in PROXIES]
    for name, account in coordinators:
        _grant(admin, users[account], RoleKind.COORDINATOR, city=City.objects.get(name=name))


def _statute(coalition: Coalition, admin) -> None:
    if StatuteProfile.objects.filter(coalition=coalition).exists():
        return
    defaults = StatuteProfile.german_law_defaults(coalition)
    services.update_statute_profile(
        actor=admin,
        coalition=coalition,
        values={**defaults.values(), **STATUTE_VALUES},
        sources={**GERMAN_LAW_SOURCES, **STATUTE_SOURCES},
        valid_from=dt.date(2020, 9, 14),
        adopted_on=dt.date(2020, 9, 14),
        note="Demo data: the values and section numbers are illustrative.",
        based_on_version=0,
    )


def _certify_holder_delegate(coalition: Coalition, users: dict) -> None:
    """berlin@demo, Berlin's coordinator, certifies himself as its delegate in ECCAR-DE."""
    city, person = City.objects.get(name=HOLDER), users[HOLDER_ACCOUNT]
    if DelegateCertification.objects.filter(person=person, city=city, coalition=coalition).exists():
        return
    certification = delegates.submit_certification(
        actor=person,
        details=delegates.CertificationDetails(
            city=city,
            coalition=coalition,
            person=person,
            role="delegate",
            scope="standing",
            valid_from=timezone.localdate(),
            valid_until=None,
            signed_by_name=f"Mayor of {city.name} (demo)",
            signed_by_office=f"Office of the Mayor of {city.name}",
        ),
        letter=mandate_letter(
            person,
            city.name,
            person,
            coalition_name=COALITION_LETTER_NAME,
            prefix="eccar-de-",
        ),
    )
    delegates.validate_certification(actor=users["bureau-de"], certification=certification)


def _session(coalition: Coalition, bureau) -> AssemblySession:
    profile = StatuteProfile.current_for(coalition)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    day = timezone.localdate() + dt.timedelta(days=profile.notice_days_ordinary + 21)
    session = assemblies.create_session(
        actor=bureau,
        coalition=coalition,
        details=assemblies.SessionDetails(
            body="general_assembly",
            title=SESSION_TITLE,
            theme="Welcoming cities in Germany",
            host_city=City.objects.filter(name="Dresden").first(),
            venue="Dresden City Hall, Dr.-Külz-Ring 19",
            mode="hybrid",
            online_join_instructions="The link is sent to the accredited delegates.",
            starts_at=dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=berlin),
            ends_at=dt.datetime(day.year, day.month, day.day, 16, 0, tzinfo=berlin),
            time_zone="Europe/Berlin",
            chair=bureau,
        ),
    )
    for kind, title in [
        ("minutes", "Approval of the minutes of the previous meeting"),
        ("budget", "Accounts and budget of the national coalition"),
        ("other", "Any other business"),
    ]:
        assemblies.add_agenda_item(actor=bureau, session=session, kind=kind, title=title)
    assemblies.convene_session(actor=bureau, session=session)
    return session


def _proxy_form(city_name: str) -> SimpleUploadedFile:
    """The signed proxy form, a real small PDF (the service checks it as it checks letters)."""
    content = minimal_pdf(
        [
            f"City of {city_name}: proxy for the {SESSION_TITLE}",
            "",
            f"The City of {city_name} gives its vote in this meeting to the City of {HOLDER},",
            "whose accredited delegate casts it as a separate ballot.",
            "",
            f"The Mayor of {city_name} (demo data)",
        ]
    )
    return SimpleUploadedFile(f"{city_name}-proxy-form.pdf", content, "application/pdf")
