"""The application check as the bureau sees it: each item, whether it applies, the evidence the
portal found itself, and who ticked it when (governance.services.application_checks writes it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coalition.pdfcheck import check_pdf
from governance.models import AdmissionApplication, ApplicationCheck, CheckItem


@dataclass
class ChecklistRow:
    item: str
    label: str
    applies: bool = True
    #: Sentences saying what the portal found (shown beside the tick, kept with it).
    evidence: list[str] = field(default_factory=list)
    #: The portal's own verdict where it can tell: True passes, False fails, None: a person must.
    verified: bool | None = None
    record: ApplicationCheck | None = None
    #: Why the item does not apply (shown instead of a tick box).
    not_applicable_reason: str = ""

    @property
    def checked(self) -> bool:
        return bool(self.record and self.record.checked)

    @property
    def evidence_text(self) -> str:
        return " ".join(self.evidence)


@dataclass
class Checklist:
    application: AdmissionApplication
    rows: list[ChecklistRow]

    @property
    def applicable(self) -> list[ChecklistRow]:
        return [r for r in self.rows if r.applies]

    @property
    def missing(self) -> list[ChecklistRow]:
        return [r for r in self.applicable if not r.checked]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def checked_count(self) -> int:
        return len(self.applicable) - len(self.missing)

    def row(self, item: str) -> ChecklistRow | None:
        return next((r for r in self.rows if r.item == item), None)


def council_resolution_countries() -> frozenset[str]:
    return frozenset(code.upper() for code in settings.COUNCIL_RESOLUTION_COUNTRIES)


def application_country(application: AdmissionApplication) -> tuple[str, str]:
    """(ISO code, name) of the applying city's country."""
    country: Any = application.city.country if application.city else application.country
    return str(country.code or ""), str(country.name or "")


def needs_council_resolution(application: AdmissionApplication) -> bool:
    code, _name = application_country(application)
    return code.upper() in council_resolution_countries()


def _letter_row(application: AdmissionApplication) -> ChecklistRow:
    row = ChecklistRow(CheckItem.LETTER_SIGNED, str(CheckItem.LETTER_SIGNED.label))
    pages = None
    if application.letter:
        try:
            with application.letter.open("rb") as letter:
                pages = check_pdf(letter)
        except (OSError, ValidationError, ValueError):
            pages = None
    if pages is None:
        row.verified = False
        row.evidence.append(_("The portal could not read the letter's file: ask for it again."))
    else:
        row.verified = True
        row.evidence.append(
            ngettext(
                "%(name)s (%(size)s): a PDF of %(pages)s page, read by the portal "
                "(not damaged, protected or scripted).",
                "%(name)s (%(size)s): a PDF of %(pages)s pages, read by the portal "
                "(not damaged, protected or scripted).",
                pages,
            )
            % {
                "name": application.letter_filename,
                "size": filesizeformat(application.letter_size),
                "pages": pages,
            }
        )
    row.evidence.append(
        _("Signed on %(date)s, as the applicant says: check the mayor's signature.")
        % {"date": date_format(application.letter_signed_on, "DATE_FORMAT")}
    )
    return row


def _actions_row(application: AdmissionApplication) -> ChecklistRow:
    row = ChecklistRow(CheckItem.ACTION_PER_COMMITMENT, str(CheckItem.ACTION_PER_COMMITMENT.label))
    by_commitment = application.actions_by_commitment()
    total = len(by_commitment)
    covered = [c for c, actions in by_commitment if actions]
    count = sum(len(actions) for _c, actions in by_commitment)
    row.evidence.append(
        ngettext(
            "%(covered)s of %(total)s commitment has at least one action (%(count)s actions "
            "in all).",
            "%(covered)s of %(total)s commitments have at least one action (%(count)s actions "
            "in all).",
            total,
        )
        % {"covered": len(covered), "total": total, "count": count}
    )
    missing = [str(c.number) for c, actions in by_commitment if not actions]
    if missing:
        row.evidence.append(
            _("Without an action: commitments %(numbers)s.") % {"numbers": ", ".join(missing)}
        )
    row.verified = bool(total) and not missing
    return row


def _focal_point_row(application: AdmissionApplication) -> ChecklistRow:
    row = ChecklistRow(CheckItem.FOCAL_POINT_REACHABLE, str(CheckItem.FOCAL_POINT_REACHABLE.label))
    row.evidence.append(
        _("%(name)s, %(email)s.")
        % {"name": application.focal_point_name, "email": application.focal_point_email}
    )
    verified = EmailAddress.objects.filter(
        email__iexact=application.focal_point_email, verified=True, user__is_active=True
    ).exists()
    if verified:
        row.verified = True
        row.evidence.append(
            _(
                "A portal account has confirmed this address: the focal point becomes the "
                "city's coordinator on admission."
            )
        )
    else:
        row.evidence.append(
            _(
                "No portal account has confirmed this address yet: check by email or "
                "telephone that it reaches the focal point."
            )
        )
    return row


def _council_row(application: AdmissionApplication) -> ChecklistRow:
    row = ChecklistRow(CheckItem.COUNCIL_RESOLUTION, str(CheckItem.COUNCIL_RESOLUTION.label))
    _code, name = application_country(application)
    if needs_council_resolution(application):
        row.evidence.append(
            _(
                "Cities in %(country)s need their council's resolution to join: find it with "
                "the letter, or ask for it."
            )
            % {"country": name}
        )
    else:
        row.applies = False
        row.not_applicable_reason = _(
            "Not needed: cities in %(country)s join by the mayor's signature."
        ) % {"country": name}
    return row


def checklist_for(application: AdmissionApplication) -> Checklist:
    """Every item of the check with its evidence (reads the letter; three or four queries).

    Uses the application's prefetched actions and commitments when present
    (governance.selectors.application_with_actions).
    """
    records = {c.item: c for c in application.checks.select_related("changed_by")}
    rows = [
        _letter_row(application),
        _actions_row(application),
        _focal_point_row(application),
        _council_row(application),
    ]
    for row in rows:
        row.record = records.get(row.item)
    return Checklist(application=application, rows=rows)
