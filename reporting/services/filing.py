"""Filing a report: sections, attachments, last year's copy, the check before submitting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from reporting.models import (
    EDITABLE_STATUSES,
    SECTION_FIELDS,
    SECTION_TEXT_FIELDS,
    Indicator,
    Report,
    ReportSection,
    ReportStatus,
    SectionAttachment,
    Visibility,
)
from reporting.services.common import (
    MAX_FIELD_LENGTH,
    ReportingError,
    ReportLockedError,
    StaleSectionError,
    _bump,
    _expect,
    _locked,
    ensure_cycle_open,
    notify_staff,
    request_report_pdfs,
)
from reporting.services.overdue import clear_overdue


def clean_section_data(data: dict) -> dict:
    """Keep the known section fields, checked; raise ValueError naming a bad field."""
    cleaned: dict = {}
    for name in SECTION_TEXT_FIELDS + ("good_practice_summary",):
        if name in data:
            value = str(data[name] or "").replace("\r\n", "\n")
            if len(value) > MAX_FIELD_LENGTH:
                raise ValueError(name)
            cleaned[name] = value
    if "good_practice_title" in data:
        value = str(data["good_practice_title"] or "").strip()
        if len(value) > 200:
            raise ValueError("good_practice_title")
        cleaned["good_practice_title"] = value
    if "good_practice" in data:
        cleaned["good_practice"] = str(data["good_practice"]).lower() in {"1", "true", "on", "yes"}
    if "visibility" in data:
        if data["visibility"] not in Visibility.values:
            raise ValueError("visibility")
        cleaned["visibility"] = data["visibility"]
    return cleaned


@transaction.atomic
def save_section(*, actor, section: ReportSection, expected_version: int, data: dict):
    """Save a section if nobody saved it since `expected_version`; never overwrite silently.

    The compare-and-set is one UPDATE ... WHERE version = expected, so two editors
    racing cannot both win. Raises StaleSectionError (with the stored text) or
    ReportLockedError.
    """
    report = Report.objects.select_for_update().get(pk=section.report_id)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
    ensure_cycle_open(report)
    changes = {k: v for k, v in data.items() if k in SECTION_FIELDS}
    now = timezone.now()
    # Every write to the report's sections holds the report's lock: what is read here is
    # what the UPDATE below changes.
    stored = ReportSection.objects.get(pk=section.pk)
    sent_back = approval_lapses(stored, changes)
    if sent_back:
        changes.update(good_practice_approved_at=None, good_practice_approved_by=None)
    updated = ReportSection.objects.filter(pk=section.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    if not updated:
        raise StaleSectionError(
            ReportSection.objects.select_related("updated_by").get(pk=section.pk)
        )
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=now)
    _audit_section_save(actor=actor, report=report, section=section)
    if sent_back:
        _audit_sent_back(actor=actor, report=report, section=stored)
    return ReportSection.objects.select_related("commitment").get(pk=section.pk)


#: The text of a good practice, as the secretariat approves it.
GOOD_PRACTICE_TEXT = ("good_practice_title", "good_practice_summary")


def approval_lapses(section: ReportSection, changes: dict) -> bool:
    """Whether these changes withdraw the section's good-practice approval.

    An approval belongs to the text that was approved: a new title or summary, or a
    withdrawn proposal, goes back to the secretariat, who approves it again or not.
    """
    if section.good_practice_approved_at is None:
        return False
    if "good_practice" in changes and not changes["good_practice"]:
        return True
    return any(
        name in changes and changes[name] != getattr(section, name) for name in GOOD_PRACTICE_TEXT
    )


def _audit_sent_back(*, actor, report: Report, section: ReportSection) -> None:
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.good_practice_sent_back",
        message=section.good_practice_title,
        data={
            "section": section.pk,
            "commitment": section.commitment_id,
            "approved_title": section.good_practice_title,
            "approved_by": section.good_practice_approved_by_id,
        },
    )


def _audit_section_save(*, actor, report: Report, section: ReportSection) -> None:
    """One audit line per editing session, not per keystroke-driven autosave."""
    recent = (
        audit.events_for(report)
        .filter(verb="reporting.section_saved", actor=actor)
        .filter(created_at__gte=timezone.now() - dt.timedelta(minutes=15))
        .filter(data__section=section.pk)
    )
    if recent.exists():
        return
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.section_saved",
        data={"section": section.pk, "commitment": section.commitment_id},
    )


#: What an indicator holds, as services.save_indicators takes it.
INDICATOR_VALUES = ("name", "unit", "baseline", "target", "value", "source")


@transaction.atomic
def save_indicators(*, actor, section: ReportSection, rows: list[dict]) -> list[Indicator]:
    """Replace what a section's indicators say: change, add and remove rows in one step.

    Each row has the INDICATOR_VALUES, `id` (None for a new one) and `delete`. Rows of
    another section are refused. Returns the section's indicators in their order.
    """
    report = _locked(section.report)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
    ensure_cycle_open(report)
    existing = {i.pk: i for i in section.indicators.all()}
    position = max((i.position for i in existing.values()), default=0)
    changed = 0
    for row in rows:
        indicator = existing.get(row["id"]) if row.get("id") else None
        if row.get("id") and indicator is None:
            raise ReportingError(_("This indicator belongs to another section."))
        if row.get("delete"):
            if indicator is not None:
                indicator.delete()
                changed += 1
            continue
        if not str(row.get("name") or "").strip():
            raise ReportingError(_("Every indicator needs a name."))
        values = {name: row.get(name) for name in INDICATOR_VALUES}
        values["name"] = (values["name"] or "").strip()
        for name in ("unit", "source"):
            values[name] = str(values[name] or "").strip()
        if indicator is None:
            position += 1
            Indicator.objects.create(section=section, position=position, **values)
        else:
            model_update(indicator, fields=values, actor=actor)
        changed += 1
    if changed:
        _bump(report)
        audit.record(
            actor=actor,
            target=report,
            verb="reporting.indicators_saved",
            data={"section": section.pk, "rows": changed},
        )
    return list(section.indicators.order_by("position", "id"))


@transaction.atomic
def add_attachment(*, actor, section: ReportSection, upload, content_type: str):
    report = _locked(section.report)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
    ensure_cycle_open(report)
    attachment = SectionAttachment(
        section=section,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _bump(report)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.attachment_added",
        message=attachment.original_name,
        data={"section": section.pk},
    )
    return attachment


@transaction.atomic
def delete_attachment(*, actor, attachment: SectionAttachment) -> None:
    report = _locked(attachment.section.report)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
    ensure_cycle_open(report)
    name = attachment.original_name
    stored = str(attachment.file.name)
    storage = attachment.file.storage
    attachment.delete()
    _bump(report)
    audit.record(actor=actor, target=report, verb="reporting.attachment_removed", message=name)
    transaction.on_commit(lambda: storage.delete(stored))


def previous_report(report: Report) -> Report | None:
    return (
        Report.objects.filter(
            city_id=report.city_id,
            cycle__coalition_id=report.cycle.coalition_id,
            cycle__year__lt=report.cycle.year,
        )
        .order_by("-cycle__year")
        .first()
    )


@transaction.atomic
def copy_previous_year(*, actor, report: Report) -> int:
    """Copy last year's text into the sections still empty; return how many were filled."""
    report = _locked(report)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
    ensure_cycle_open(report)
    previous = previous_report(report)
    if previous is None:
        raise ReportingError(_("There is no earlier report of your city to start from."))
    old = {s.commitment.number: s for s in previous.sections.select_related("commitment")}
    filled = 0
    for section in report.sections.select_related("commitment").select_for_update(of=("self",)):
        source = old.get(section.commitment.number)
        if source is None or not section.is_empty or source.is_empty:
            continue
        copied = {name: getattr(source, name) for name in SECTION_FIELDS}
        if approval_lapses(section, copied):
            _audit_sent_back(actor=actor, report=report, section=section)
            copied |= {"good_practice_approved_at": None, "good_practice_approved_by": None}
        # version + 1 differs, so it is always written (and updated_at, auto_now, with it).
        model_update(
            section,
            fields={**copied, "version": section.version + 1, "updated_by": actor},
            actor=actor,
        )
        filled += 1
    if filled:
        _bump(report)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.copied_previous_year",
        data={"from_report": previous.pk, "sections": filled},
    )
    return filled


@dataclass(frozen=True)
class CheckItem:
    message: str
    blocking: bool
    section_id: int | None = None


def pre_submit_check(report: Report, sections=None) -> list[CheckItem]:
    """What is missing before submitting. A commitment without action is allowed but flagged."""
    items: list[CheckItem] = []
    sections = sections if sections is not None else report.sections.select_related("commitment")
    for section in sections:
        label = f"{section.commitment.number}. {section.commitment.title}"
        if not section.has_actions:
            items.append(
                CheckItem(
                    _("%(commitment)s: no action is reported.") % {"commitment": label},
                    blocking=False,
                    section_id=section.pk,
                )
            )
        if section.good_practice and not (
            section.good_practice_title.strip() and section.good_practice_summary.strip()
        ):
            items.append(
                CheckItem(
                    _("%(commitment)s: a proposed good practice needs a title and a summary.")
                    % {"commitment": label},
                    blocking=True,
                    section_id=section.pk,
                )
            )
    return items


@transaction.atomic
def submit_report(*, actor, report: Report, answer: str = "") -> Report:
    """Hand the report in (or, after questions, answer and send it back). Locks it."""
    report = _locked(report)
    _expect(report, *EDITABLE_STATUSES)
    ensure_cycle_open(report)
    blocking = [i for i in pre_submit_check(report) if i.blocking]
    if blocking:
        raise ReportingError(" ".join(i.message for i in blocking))
    from_status = report.status
    now = timezone.now()
    if from_status == ReportStatus.QUESTIONS:
        if not answer.strip():
            raise ReportingError(_("Please answer the secretariat's questions."))
        _bump(report, status=ReportStatus.UNDER_EVALUATION, city_answer=answer.strip())
        # The round being answered keeps the answer: earlier rounds stay as they were.
        current = (
            report.question_rounds.filter(answered_at__isnull=True).order_by("-number").first()
        )
        if current is not None:
            model_update(
                current,
                fields={
                    "answer": answer.strip(),
                    "answered_by": actor if getattr(actor, "is_authenticated", False) else None,
                    "answered_at": now,
                },
                actor=actor,
            )
    else:
        _bump(
            report,
            status=ReportStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
            returned_reason="",
        )
    clear_overdue(actor=actor, report=report)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_submitted",
        from_state=from_status,
        to_state=report.status,
    )
    answered = from_status == ReportStatus.QUESTIONS
    notify_staff(report, "answered" if answered else "submitted", actor=actor)
    request_report_pdfs(report)
    return report
