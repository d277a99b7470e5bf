"""The bureau's application check: ticks recorded item by item, required before the vote.

Every tick, untick or note is written to the item's ApplicationCheck row and to the
audit log in the same transaction. `require_complete` is what open_admission_vote asks
before it opens the committee's vote; `clear_after_resubmission` undoes the ticks whose
evidence the applicant changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from governance.errors import GovernanceError
from governance.models import (
    WAITING_FOR_BUREAU,
    AdmissionApplication,
    ApplicationCheck,
    CheckItem,
)
from governance.models.application_checks import CITY_FIELDS, CLEARED_BY
from governance.selectors_application_checks import Checklist, checklist_for

NOTE_LENGTH = 2000


@dataclass(frozen=True)
class Tick:
    """What the bureau says of one item: checked or not, and an optional note."""

    checked: bool
    note: str = ""


def _lock(application: AdmissionApplication) -> AdmissionApplication:
    return AdmissionApplication.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def record_checks(
    *, actor, application: AdmissionApplication, ticks: Mapping[str, Tick]
) -> list[ApplicationCheck]:
    """The bureau ticks, unticks or annotates items of the check; returns the rows changed.

    Only an application waiting for the bureau is checked; an item that does not
    apply to the city (a council resolution where none is needed) cannot be ticked.
    Unchanged items write nothing.
    """
    application = _lock(application)
    if application.status not in WAITING_FOR_BUREAU:
        raise GovernanceError(_("Only an application waiting for the bureau can be checked."))
    checklist = checklist_for(application)
    now = timezone.now()
    changed = []
    for item, tick in ticks.items():
        row = checklist.row(item)
        if row is None:
            raise GovernanceError(_("This is not an item of the application check."))
        note = (tick.note or "").strip()[:NOTE_LENGTH]
        if not row.applies:
            if tick.checked:
                raise GovernanceError(
                    _("%(item)s: not needed for this city.") % {"item": row.label}
                )
            continue
        record = row.record
        if record is not None and record.checked == tick.checked and record.note == note:
            continue
        if record is None and not tick.checked and not note:
            continue
        was = record.checked if record is not None else False
        values = {
            "checked": tick.checked,
            "note": note,
            "changed_by": actor,
            "changed_at": now,
            "cleared_reason": "",
        }
        if tick.checked:
            values["evidence"] = row.evidence_text
        if record is None:
            record = ApplicationCheck.objects.create(application=application, item=item, **values)
        else:
            model_update(record, fields=values, actor=actor)
        changed.append(record)
        verb = (
            "application.check_noted"
            if was == tick.checked
            else ("application.check_ticked" if tick.checked else "application.check_unticked")
        )
        audit.record(
            actor=actor,
            target=application,
            verb=verb,
            message=note,
            data={"item": item, "checked": tick.checked, "evidence": row.evidence_text},
        )
    return changed


def require_complete(application: AdmissionApplication) -> Checklist:
    """Refuse (GovernanceError) while an applicable item of the check is not ticked."""
    checklist = checklist_for(application)
    if not checklist.complete:
        raise GovernanceError(
            _(
                "The application check is not complete: the committee's vote can be opened "
                "once the bureau has ticked every item. Still to check: %(items)s."
            )
            % {"items": "; ".join(row.label for row in checklist.missing)}
        )
    return checklist


def clear_after_resubmission(
    *, actor, application: AdmissionApplication, changed: Iterable[str]
) -> list[str]:
    """Undo the ticks whose evidence a resubmission changed; returns the items cleared.

    Called by resubmit_application in its transaction. A change of city undoes them all.
    """
    changed = set(changed)
    cleared = []
    for record in application.checks.filter(checked=True):
        fields = CLEARED_BY.get(CheckItem(record.item), set()) | CITY_FIELDS
        if not (fields & changed):
            continue
        model_update(
            record,
            fields={
                "checked": False,
                "changed_by": actor,
                "changed_at": timezone.now(),
                "cleared_reason": _("The applicant changed it when resubmitting."),
            },
            actor=actor,
        )
        cleared.append(record.item)
        audit.record(
            actor=actor,
            target=application,
            verb="application.check_cleared",
            message=record.cleared_reason,
            data={"item": record.item, "changed": sorted(fields & changed)},
        )
    return cleared


def tick_every_item(*, actor, application: AdmissionApplication, note: str = "") -> None:
    """Tick every applicable item (the demo loader, and tests that need a checked application)."""
    checklist = checklist_for(application)
    record_checks(
        actor=actor,
        application=application,
        ticks={row.item: Tick(checked=True, note=note) for row in checklist.applicable},
    )


__all__ = [
    "NOTE_LENGTH",
    "CheckItem",
    "Tick",
    "clear_after_resubmission",
    "record_checks",
    "require_complete",
    "tick_every_item",
]
