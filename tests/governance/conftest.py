"""Fixtures of the governance tests: a small committee world, PDFs, private storage in tmp."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalition.demo import DEMO_TOTP_SECRET, demo_email
from coalition.models import User
from governance import services
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.letters import minimal_pdf
from governance.models import (
    WAITING_FOR_BUREAU,
    AdmissionApplication,
    AgendaDocument,
    AssemblySession,
    Candidacy,
    CommitteeSeat,
    ConvocationPDF,
    DelegateCertification,
    LetterUpload,
    SeatKind,
)
from governance.services import application_checks
from members import services as members_services
from members.models import City, Coalition, CoalitionKind, Commitment, PlanOfAction, RoleKind
from tests.built_once import built_once
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def private_storage_in_tmp(settings, tmp_path, monkeypatch):
    """Letters written by a test go to its own directory, never to var/private.

    The file fields resolved their storage when the models loaded, so they are
    pointed at the test's storage too.
    """
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    storage = FileSystemStorage(location=location, base_url=None)
    monkeypatch.setattr(AdmissionApplication._meta.get_field("letter"), "storage", storage)
    monkeypatch.setattr(LetterUpload._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(DelegateCertification._meta.get_field("mandate_letter"), "storage", storage)
    # Assembly sessions: convocation PDFs and agenda documents.
    monkeypatch.setattr(ConvocationPDF._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(AgendaDocument._meta.get_field("file"), "storage", storage)
    monkeypatch.setattr(Candidacy._meta.get_field("endorsement_letter"), "storage", storage)
    return location


def pdf_bytes(text: str = "Letter of commitment") -> bytes:
    return minimal_pdf([text, "Signed by the mayor."])


def pdf_upload(name: str = "letter.pdf", text: str = "Letter of commitment"):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def form_data(world, **overrides) -> dict:
    """The application form as a browser posts it, for a new city (Newtown, FR)."""
    data = {
        "coalition": world.coalition.slug,
        "city": "",
        "city_name": "Newtown",
        "city_local_name": "Villeneuve",
        "country": "FR",
        "region": "Occitanie",
        "latitude": "43.6",
        "longitude": "1.44",
        "contact_name": "Claire Contact",
        "contact_position": "Mayor's office",
        "contact_email": "claire@newtown.example",
        "contact_phone": "+33 5 00 00 00 00",
        "focal_point_name": "Fabien Focal",
        "focal_point_email": "fabien@newtown.example",
        "letter_signed_on": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
    }
    for c in world.commitments:
        data[f"actions_{c.pk}"] = f"First action under {c.number}\nSecond action under {c.number}"
    data.update(overrides)
    return data


@dataclass
class World:
    """A coalition with a plan of three commitments, member cities, a committee and a bureau."""

    coalition: Coalition
    plan: PlanOfAction
    commitments: list[Commitment]
    admin: object
    bureau: object
    cities: list[City]
    seats: list[CommitteeSeat]  # voting seats, one per member city, each with a representative
    observer_seat: CommitteeSeat
    adviser_seat: CommitteeSeat
    extra: dict = field(default_factory=dict)

    @property
    def members(self):
        return [seat.representative for seat in self.seats]

    def details(self, **overrides) -> services.ApplicationDetails:
        values = {
            "coalition": self.coalition,
            "city_name": "Newtown",
            "country": "FR",
            "region": "Occitanie",
            "latitude": Decimal("43.600000"),
            "longitude": Decimal("1.440000"),
            "contact_name": "Claire Contact",
            "contact_email": "claire@newtown.example",
            "focal_point_name": "Fabien Focal",
            "focal_point_email": "fabien@newtown.example",
            "letter_signed_on": timezone.localdate() - dt.timedelta(days=3),
            "actions": {c.pk: [f"Action for {c.number}", ""] for c in self.commitments},
        }
        values.update(overrides)
        return services.ApplicationDetails(**values)

    def apply(self, applicant=None, **overrides):
        applicant = applicant or UserFactory()
        return services.submit_application(
            actor=applicant, details=self.details(**overrides), letter=pdf_upload()
        )

    def open_vote(self, application, days: int = 7):
        """The bureau ticks the application check, then opens the committee's vote."""
        application.refresh_from_db()
        if application.status in WAITING_FOR_BUREAU:
            application_checks.tick_every_item(actor=self.bureau, application=application)
        return services.open_admission_vote(
            actor=self.bureau,
            application=application,
            closes_at=timezone.now() + dt.timedelta(days=days),
        )


def build_world(voting_seats: int = 5) -> World:
    admin = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    coalition = Coalition.objects.create(
        name="Test Coalition of Cities", short_name="TCC", slug="tcc", kind=CoalitionKind.REGIONAL
    )
    plan = PlanOfAction.objects.create(
        coalition=coalition, title="Three-Point Plan", adopted_on=dt.date(2010, 1, 1)
    )
    commitments = [
        Commitment.objects.create(plan=plan, number=n, title=f"Commitment {n}") for n in (1, 2, 3)
    ]
    bureau = UserFactory(email="desk@example.org")
    TOTP.activate(bureau, DEMO_TOTP_SECRET)  # staff must have two-factor authentication
    members_services.grant_role(actor=admin, user=bureau, kind=RoleKind.BUREAU, coalition=coalition)
    start = timezone.localdate() - dt.timedelta(days=30)
    cities, seats = [], []
    for i in range(voting_seats):
        city = members_services.create_city(
            actor=admin, name=f"Seatville {i}", country="DE", region="Hesse"
        )
        members_services.create_membership(
            actor=admin, city=city, coalition=coalition, signed_on=dt.date(2012, 1, 1)
        )
        cities.append(city)
        seats.append(
            services.add_seat(
                actor=admin,
                coalition=coalition,
                kind=SeatKind.VOTING,
                city=city,
                starts_on=start,
                representative=UserFactory(email=f"seat{i}@example.org"),
            )
        )
    observer = services.add_seat(
        actor=admin,
        coalition=coalition,
        kind=SeatKind.OBSERVER,
        institution="UNESCO",
        starts_on=start,
        representative=UserFactory(email="observer@example.org"),
    )
    adviser = services.add_seat(
        actor=admin,
        coalition=coalition,
        kind=SeatKind.ADVISER,
        institution="University",
        starts_on=start,
        representative=UserFactory(email="adviser@example.org"),
    )
    return World(
        coalition=coalition,
        plan=plan,
        commitments=commitments,
        admin=admin,
        bureau=bureau,
        cities=cities,
        seats=seats,
        observer_seat=observer,
        adviser_seat=adviser,
    )


@built_once
def world() -> World:
    """A coalition, five member cities on the committee, its observer and adviser seats."""
    return build_world()


def second_seat_of(seat: CommitteeSeat, representative=None) -> CommitteeSeat:
    """Another voting seat of the same city over the same term, as a mistake could leave.

    Made directly: the services refuse overlapping seats, and the tests that use
    this show that one city still has one vote.
    """
    return CommitteeSeat.objects.create(
        coalition=seat.coalition,
        city=seat.city,
        kind=SeatKind.VOTING,
        starts_on=seat.starts_on,
        representative=representative,
    )


def seat_with_a_successor(world: World, *, days_later: int) -> tuple[CommitteeSeat, CommitteeSeat]:
    """The first voting seat, ended on its first day, and the city's next seat `days_later`."""
    seat = world.seats[0]
    services.end_seat(actor=world.bureau, seat=seat, ends_on=seat.starts_on)
    later = services.add_seat(
        actor=world.bureau,
        coalition=world.coalition,
        kind=SeatKind.VOTING,
        city=seat.city,
        starts_on=seat.starts_on + dt.timedelta(days=days_later),
    )
    return seat, later


@pytest.fixture
def substitute(demo):
    """Potsdam's certified substitute in the demo (Sami Substitute), beside the `delegate`."""
    return User.objects.get(email=demo_email("substitute"))


# --- The sitting room (the poll and proxy permission matrices) -------------------------


@pytest.fixture
def chair(demo):
    """The room's chair: an account of their own, no other role."""
    return UserFactory(email="chair@example.org", full_name="Chiara Chair")


@pytest.fixture
def teller(demo):
    """The room's first teller: an account of their own, no other role."""
    return UserFactory(email="teller@example.org", full_name="Theo Teller")


@pytest.fixture
def observer(demo):
    """An account of its own, which a module may accredit as an observer of the room."""
    return UserFactory(email="observer@example.org", full_name="Oona Observer")


@pytest.fixture
def room_statute() -> dict:
    """What a module changes in the room's statute snapshot (none unless it says)."""
    return {}


@pytest.fixture
def furnish_room():
    """What a module adds to the sitting room: `furnish(session)` returns their keys."""
    return lambda session: {}


@pytest.fixture
def room(demo, chair, teller, room_statute, furnish_room) -> dict:
    """The demo's next assembly, sitting: in session since an hour ago and for six more hours,
    chaired by `chair`, `teller` its first teller, its statute snapshot changed by the module's
    `room_statute`; then the module's `furnish_room` adds its objects.

    Returns primary keys: the session's ("session") and those `furnish_room` names.
    """
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    AssemblySession.objects.filter(pk=session.pk).update(
        status="in_session",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        chair=chair,
        teller_1=teller,
        statute_snapshot={**session.statute_snapshot, **room_statute},
    )
    session.refresh_from_db()
    return {"session": session.pk, **furnish_room(session)}
