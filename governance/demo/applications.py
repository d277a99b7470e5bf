"""An applicant account (applicant@demo, password "demo") with one application waiting for
the bureau (Leipzig) and one under the committee's vote (Aarhus), each with a real small PDF
letter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

from coalition.demo import DEMO_PASSWORD, demo_email
from coalition.models import User
from governance import services
from governance.letters import minimal_pdf
from governance.models import AdmissionApplication, LetterUpload, private_storage
from governance.services import application_checks
from members.models import City, Coalition

APPLICANT_EMAIL_LOCAL = "applicant"

# city name, local name, country, region, latitude, longitude, status wanted
APPLICATIONS = [
    ("Leipzig", "", "DE", "Saxony", "51.339700", "12.373100", "waiting"),
    ("Aarhus", "Århus", "DK", "Central Denmark Region", "56.162900", "10.203900", "under_vote"),
]


def load(eccar: Coalition, users: dict) -> None:
    applicant = _applicant_account()
    for row in APPLICATIONS:
        _load_application(eccar, applicant, users, *row)


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
