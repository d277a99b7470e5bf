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
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from coalition.demo import COMMITTEE_SEAT_CITIES, PREVIOUS_SEAT_CITIES, seat_account
from governance import services
from governance.letters import minimal_pdf
from governance.models import (
    AdmissionApplication,
    CommitteeSeat,
    FeeStatus,
    LetterUpload,
    MembershipFee,
    SeatKind,
    StatuteProfile,
    private_storage,
)
from governance.models.statute import GERMAN_LAW_SOURCES
from members.models import City, Coalition

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
    _load_statute(eccar, users)
    _load_fees(eccar, users)
    applicant = _applicant_account()
    for row in APPLICATIONS:
        _load_application(eccar, applicant, users, *row)
    _load_certifications(eccar, users)


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
        representative = users.get(seat_account(seat.city.name))
        if representative is not None:
            services.update_seat(actor=admin, seat=seat, representative=representative)


def _applicant_account():
    from allauth.account.models import EmailAddress  # noqa: PLC0415

    from coalition.demo import DEMO_PASSWORD, demo_email  # noqa: PLC0415
    from coalition.models import User  # noqa: PLC0415

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
        from django.core.files.base import ContentFile  # noqa: PLC0415

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
    from django.core.files.base import ContentFile  # noqa: PLC0415

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
    from governance.models import DelegateCertification  # noqa: PLC0415
    from governance.services import delegates  # noqa: PLC0415
    from members import services as members_services  # noqa: PLC0415
    from members.models import Role, RoleKind  # noqa: PLC0415

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
