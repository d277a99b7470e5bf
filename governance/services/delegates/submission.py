"""A city's coordinator submits a certification, with its mandate letter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from governance.models import (
    CertificationStatus,
    DelegateCertification,
    LetterUpload,
)
from governance.notifications import notify
from governance.services.common import GovernanceError, bureau_emails
from members.models import (
    PUBLIC_STATUSES,
    City,
    Coalition,
    Membership,
)

from .cities import is_coordinator_of
from .shared import _check_dates, _context

Letter = UploadedFile | LetterUpload


@dataclass(frozen=True)
class CertificationDetails:
    city: City
    coalition: Coalition
    person: Any  # a User, once the form has found the account
    role: str
    scope: str
    valid_from: dt.date
    valid_until: dt.date | None
    signed_by_name: str
    signed_by_office: str


def _store_letter(certification: DelegateCertification, letter: Letter) -> None:
    if isinstance(letter, LetterUpload):
        # A letter kept from a form that failed elsewhere: take its file over.
        certification.mandate_letter.name = letter.file.name
        certification.mandate_letter_filename = letter.original_name
        certification.mandate_letter_size = letter.size
        LetterUpload.objects.filter(pk=letter.pk).delete()
        return
    base = (letter.name or "mandate.pdf").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:;|?*')[:200]
    certification.mandate_letter_filename = name or "mandate.pdf"
    certification.mandate_letter_size = letter.size or 0
    letter.seek(0)
    certification.mandate_letter.save(certification.mandate_letter_filename, letter, save=False)


@transaction.atomic
def submit_certification(
    *, actor, details: CertificationDetails, letter: Letter
) -> DelegateCertification:
    """The city's coordinator certifies a person (with an account) as delegate or substitute."""
    city, coalition = details.city, details.coalition
    if not is_coordinator_of(actor, city):
        raise GovernanceError(
            _("Only a coordinator of %(city)s may certify its delegates.") % {"city": city.name}
        )
    if not Membership.objects.filter(
        city=city, coalition=coalition, status__in=PUBLIC_STATUSES
    ).exists():
        raise GovernanceError(
            _("%(city)s is not a member of %(coalition)s.")
            % {"city": city.name, "coalition": coalition.short_name},
            field="coalition",
        )
    if details.valid_from < timezone.localdate():
        raise GovernanceError(_("The certification cannot start in the past."), field="valid_from")
    _check_dates(details.valid_from, details.valid_until, details.scope)
    if not (details.signed_by_name.strip() and details.signed_by_office.strip()):
        raise GovernanceError(_("Name the signatory of the mandate letter and their office."))
    open_ones = DelegateCertification.objects.filter(
        city=city,
        coalition=coalition,
        person=details.person,
        status__in=[CertificationStatus.SUBMITTED, CertificationStatus.VALIDATED],
    ).overlapping(details.valid_from, details.valid_until)
    if open_ones.exists():
        raise GovernanceError(
            _("%(person)s already has a certification of %(city)s for these dates.")
            % {"person": details.person.email, "city": city.name},
            field="person_email",
        )
    certification = DelegateCertification(
        city=city,
        coalition=coalition,
        person=details.person,
        role=details.role,
        scope=details.scope,
        valid_from=details.valid_from,
        valid_until=details.valid_until,
        signed_by_name=details.signed_by_name.strip(),
        signed_by_office=details.signed_by_office.strip(),
        submitted_by=actor,
        status=CertificationStatus.SUBMITTED,
    )
    _store_letter(certification, letter)
    certification.full_clean(exclude=["mandate_letter"])
    certification.save()
    audit.record(
        actor=actor,
        target=certification,
        verb="certification.submitted",
        to_state=certification.status,
        data={
            "person": details.person.pk,
            "role": details.role,
            "scope": details.scope,
            "valid_from": str(details.valid_from),
            "valid_until": str(details.valid_until or ""),
            "letter": certification.mandate_letter_filename,
        },
    )
    notify(
        "certification-submitted",
        to=bureau_emails(coalition),
        context=_context(certification),
    )
    return certification
