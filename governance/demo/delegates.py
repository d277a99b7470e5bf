"""Delegate certifications: Potsdam's delegate (delegate@demo) and substitute
(substitute@demo), validated, each with a mandate letter; and Graz's coordinator (graz@demo)
certifying herself as Graz's delegate, waiting for the bureau."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from governance.letters import minimal_pdf
from governance.models import DelegateCertification, LetterUpload, private_storage
from governance.services import delegates
from members import services as members_services
from members.models import City, Coalition, Role, RoleKind

#: The coalition a mandate letter names, by default (ECCAR's letters).
ECCAR_NAME = ("the European Coalition of Cities", "against Racism")


def mandate_letter(
    uploader, city_name: str, person, *, coalition_name: tuple[str, str] = ECCAR_NAME, prefix=""
) -> LetterUpload:
    """The mayor's mandate as a held upload in private storage, written once (the coalition's
    name in two lines; `prefix` keeps another coalition's letters apart)."""
    storage = private_storage()
    slug = f"{prefix}{city_name.lower()}-{person.email.split('@')[0]}"
    name = f"governance/mandates/demo/{slug}.pdf"
    if not storage.exists(name):
        content = minimal_pdf(
            [
                f"City of {city_name}: mandate",
                "",
                f"The Mayor of {city_name} mandates {person.full_name}",
                f"to cast the city's vote in {coalition_name[0]}",
                f"{coalition_name[1]}, under the Mayor's authority.",
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


def load(eccar: Coalition, users: dict) -> None:
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
            letter=mandate_letter(coordinator, city.name, person),
        )
        if validate:
            delegates.validate_certification(actor=users["bureau"], certification=certification)
