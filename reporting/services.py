"""State changes of the reporting app: cycles, filing, review, evaluation, publication.

Every function runs in a transaction, takes the acting user and writes an
audit record. A change to what a handed-in report shows bumps Report.version
and (after commit) asks for its PDFs to be rendered again.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from members.models import Coalition, Membership, MembershipStatus, PlanOfAction
from reporting.models import (
    EDITABLE_STATUSES,
    SECTION_FIELDS,
    SECTION_TEXT_FIELDS,
    Evaluation,
    Report,
    ReportingCycle,
    ReportSection,
    ReportStatus,
    SectionAttachment,
    SectionScore,
    Visibility,
)

#: Longest text accepted in one field of a section (a generous page count, not a style rule).
MAX_FIELD_LENGTH = 20_000


class ReportingError(Exception):
    """A reporting step the rules do not allow now; the message is for the user."""


class ReportLockedError(ReportingError):
    """The report is not open for editing (submitted, under evaluation...)."""


class StaleSectionError(ReportingError):
    """The section changed since the editor loaded it: nothing was overwritten."""

    def __init__(self, current: ReportSection):
        super().__init__(_("Another coordinator changed this section since you opened it."))
        self.current = current


# --- PDF rendering requests -------------------------------------------------

_quiet: contextvars.ContextVar[bool] = contextvars.ContextVar("reporting_quiet", default=False)


@contextlib.contextmanager
def quietly():
    """Inside the block, request no PDF rendering and send no email (the demo loader).

    PDFs are then rendered when first downloaded.
    """
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def is_quiet() -> bool:
    return _quiet.get()


def request_report_pdfs(report: Report) -> None:
    """Queue the report's PDFs for rendering once the current transaction commits."""
    if _quiet.get():
        return
    from reporting import pdfs, tasks  # noqa: PLC0415

    pdfs.mark_queued(report)
    pk = report.pk
    transaction.on_commit(lambda: tasks.render_report_pdf.delay(pk))


def request_cycle_pdf(cycle: ReportingCycle) -> None:
    if _quiet.get():
        return
    from reporting import tasks  # noqa: PLC0415

    pk = cycle.pk
    transaction.on_commit(lambda: tasks.render_cycle_pdf.delay(pk))


def _bump(report: Report, **changes) -> None:
    """Save status fields and bump the version in one UPDATE (the row is locked by the caller)."""
    for name, value in changes.items():
        setattr(report, name, value)
    report.version += 1
    report.updated_at = timezone.now()
    report.save(update_fields=[*changes, "version", "updated_at"])


def _locked(report: Report) -> Report:
    return (
        Report.objects.select_for_update()
        .select_related("cycle__coalition", "city")
        .get(pk=report.pk)
    )


def _expect(report: Report, *statuses: str) -> None:
    if report.status not in statuses:
        raise ReportingError(
            _("This cannot be done while the report is “%(status)s”.")
            % {"status": report.get_status_display()}
        )


# --- Cycles -----------------------------------------------------------------


@transaction.atomic
def open_cycle(
    *,
    actor,
    coalition: Coalition,
    year: int,
    opens_on: dt.date,
    due_on: dt.date,
    grace_days: int = 14,
    plan: PlanOfAction | None = None,
) -> ReportingCycle:
    """Open a coalition's cycle for a year, with a draft report for every member city."""
    if due_on < opens_on:
        raise ReportingError(_("The due date must not be before the opening date."))
    plan = plan or coalition.plan_in_force(opens_on) or coalition.plan_in_force()
    if plan is None:
        raise ReportingError(_("The coalition has no plan of action to report on."))
    if ReportingCycle.objects.filter(coalition=coalition, year=year).exists():
        raise ReportingError(
            _("A %(year)s cycle already exists for %(coalition)s.")
            % {"year": year, "coalition": coalition.short_name}
        )
    try:
        with transaction.atomic():
            cycle = ReportingCycle.objects.create(
                coalition=coalition,
                year=year,
                plan=plan,
                opens_on=opens_on,
                due_on=due_on,
                grace_days=grace_days,
                opened_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # a concurrent request opened it first
        raise ReportingError(_("This cycle already exists.")) from exc
    created = add_missing_reports(actor=actor, cycle=cycle)
    audit.record(
        actor=actor,
        target=cycle,
        verb="reporting.cycle_opened",
        to_state="open",
        data={"reports": created, "due_on": due_on.isoformat()},
    )
    return cycle


@transaction.atomic
def add_missing_reports(*, actor, cycle: ReportingCycle) -> int:
    """A draft report (one section per commitment) for each member city that has none yet."""
    commitments = list(cycle.plan.commitments.order_by("number"))
    have = set(cycle.reports.values_list("city_id", flat=True))
    city_ids = (
        Membership.objects.filter(coalition=cycle.coalition, status=MembershipStatus.MEMBER)
        .exclude(city_id__in=have)
        .values_list("city_id", flat=True)
    )
    reports = Report.objects.bulk_create(Report(cycle=cycle, city_id=cid) for cid in city_ids)
    if not reports:
        return 0
    # bulk_create sets primary keys on PostgreSQL and SQLite alike.
    ReportSection.objects.bulk_create(
        ReportSection(
            report=report,
            commitment=commitment,
            visibility=Visibility.SECRETARIAT if commitment.sensitive else Visibility.COALITION,
        )
        for report in reports
        for commitment in commitments
    )
    return len(reports)


# --- Filing -----------------------------------------------------------------


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
    changes = {k: v for k, v in data.items() if k in SECTION_FIELDS}
    now = timezone.now()
    updated = ReportSection.objects.filter(pk=section.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    if not updated:
        raise StaleSectionError(
            ReportSection.objects.select_related("updated_by").get(pk=section.pk)
        )
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=now)
    _audit_section_save(actor=actor, report=report, section=section)
    return ReportSection.objects.select_related("commitment").get(pk=section.pk)


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


@transaction.atomic
def add_attachment(*, actor, section: ReportSection, upload, content_type: str):
    report = _locked(section.report)
    if report.status not in EDITABLE_STATUSES:
        raise ReportLockedError(_("The report has been submitted and can no longer be edited."))
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
    name = attachment.original_name
    stored = attachment.file.name
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
    previous = previous_report(report)
    if previous is None:
        raise ReportingError(_("There is no earlier report of your city to start from."))
    old = {s.commitment.number: s for s in previous.sections.select_related("commitment")}
    filled = 0
    for section in report.sections.select_related("commitment").select_for_update(of=("self",)):
        source = old.get(section.commitment.number)
        if source is None or not section.is_empty or source.is_empty:
            continue
        for name in SECTION_FIELDS:
            setattr(section, name, getattr(source, name))
        section.version += 1
        section.updated_by = actor
        section.save(update_fields=[*SECTION_FIELDS, "version", "updated_by", "updated_at"])
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
    blocking = [i for i in pre_submit_check(report) if i.blocking]
    if blocking:
        raise ReportingError(" ".join(i.message for i in blocking))
    from_status = report.status
    now = timezone.now()
    if from_status == ReportStatus.QUESTIONS:
        if not answer.strip():
            raise ReportingError(_("Please answer the secretariat's questions."))
        _bump(report, status=ReportStatus.UNDER_EVALUATION, city_answer=answer.strip())
    else:
        _bump(
            report,
            status=ReportStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=actor,
            returned_reason="",
        )
    _clear_overdue(report)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_submitted",
        from_state=from_status,
        to_state=report.status,
    )
    request_report_pdfs(report)
    return report


def _clear_overdue(report: Report) -> None:
    still_overdue = (
        Report.objects.filter(
            city_id=report.city_id,
            cycle__coalition_id=report.cycle.coalition_id,
            status=ReportStatus.DRAFT,
            cycle__due_on__lt=timezone.localdate(),
        )
        .exclude(pk=report.pk)
        .exists()
    )
    if not still_overdue:
        Membership.objects.current().filter(
            city_id=report.city_id, coalition_id=report.cycle.coalition_id
        ).exclude(report_overdue_since=None).update(report_overdue_since=None)


# --- Review -----------------------------------------------------------------


@transaction.atomic
def transmit_report(*, actor, report: Report) -> Report:
    report = _locked(report)
    _expect(report, ReportStatus.SUBMITTED)
    _bump(report, status=ReportStatus.TRANSMITTED, transmitted_at=timezone.now())
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_transmitted",
        from_state=ReportStatus.SUBMITTED,
        to_state=ReportStatus.TRANSMITTED,
    )
    request_report_pdfs(report)
    return report


@transaction.atomic
def transmit_all(*, actor, cycle: ReportingCycle) -> int:
    reports = list(cycle.reports.filter(status=ReportStatus.SUBMITTED).select_for_update())
    for report in reports:
        transmit_report(actor=actor, report=report)
    return len(reports)


@transaction.atomic
def return_report(*, actor, report: Report, reason: str) -> Report:
    """Send a submitted report back to the city with a reason; it unlocks."""
    if not reason.strip():
        raise ReportingError(_("Please give the city a reason."))
    report = _locked(report)
    _expect(report, ReportStatus.SUBMITTED, ReportStatus.TRANSMITTED)
    from_status = report.status
    _bump(report, status=ReportStatus.DRAFT, returned_reason=reason.strip())
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_returned",
        from_state=from_status,
        to_state=ReportStatus.DRAFT,
        message=reason.strip(),
    )
    from reporting import notifications  # noqa: PLC0415

    notifications.notify_city(report, "returned")
    return report


# --- Evaluation -------------------------------------------------------------

EVALUABLE_STATUSES = (
    ReportStatus.TRANSMITTED,
    ReportStatus.UNDER_EVALUATION,
    ReportStatus.QUESTIONS,
)


@transaction.atomic
def save_evaluation(
    *,
    actor,
    report: Report,
    scores: dict[int, tuple[int | None, str]],
    overall: str,
    approved_good_practices: set[int] | frozenset[int] = frozenset(),
) -> Evaluation:
    """Record scores (section id -> (score or None, feedback)), the overall assessment and
    which proposed good practices are approved for the public library."""
    report = _locked(report)
    _expect(report, *EVALUABLE_STATUSES)
    evaluation, _created = Evaluation.objects.get_or_create(
        report=report, defaults={"evaluator": actor}
    )
    evaluation.overall_assessment = overall.strip()
    evaluation.evaluator = actor
    evaluation.save(update_fields=["overall_assessment", "evaluator", "updated_at"])
    sections = {s.pk: s for s in report.sections.all()}
    now = timezone.now()
    for section_id, (score, feedback) in scores.items():
        section = sections.get(section_id)
        if section is None:
            continue
        if score is not None and not 0 <= score <= 4:
            raise ReportingError(_("A score must be between 0 and 4."))
        SectionScore.objects.update_or_create(
            section=section,
            defaults={"evaluation": evaluation, "score": score, "feedback": feedback.strip()},
        )
        approve = section_id in approved_good_practices and section.good_practice
        if approve and section.good_practice_approved_at is None:
            section.good_practice_approved_at = now
            section.good_practice_approved_by = actor
            section.save(update_fields=["good_practice_approved_at", "good_practice_approved_by"])
        elif not approve and section.good_practice_approved_at is not None:
            section.good_practice_approved_at = None
            section.good_practice_approved_by = None
            section.save(update_fields=["good_practice_approved_at", "good_practice_approved_by"])
    if report.status == ReportStatus.TRANSMITTED:
        report.status = ReportStatus.UNDER_EVALUATION
        report.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, target=report, verb="reporting.evaluation_saved", to_state=report.status
    )
    return evaluation


def missing_scores(report: Report) -> list[ReportSection]:
    return [
        s
        for s in report.sections.select_related("commitment", "score")
        if getattr(getattr(s, "score", None), "score", None) is None
    ]


@transaction.atomic
def ask_questions(*, actor, report: Report, questions: str) -> Report:
    """Return the report to the city with questions; it unlocks until the city answers."""
    if not questions.strip():
        raise ReportingError(_("Please write the questions for the city."))
    report = _locked(report)
    _expect(report, ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION)
    from_status = report.status
    _bump(report, status=ReportStatus.QUESTIONS, questions=questions.strip(), city_answer="")
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.questions_asked",
        from_state=from_status,
        to_state=ReportStatus.QUESTIONS,
        message=questions.strip(),
    )
    from reporting import notifications  # noqa: PLC0415

    notifications.notify_city(report, "questions")
    return report


@transaction.atomic
def release_evaluation(*, actor, report: Report) -> Report:
    """Release a complete evaluation to the city."""
    report = _locked(report)
    _expect(report, ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION)
    evaluation = Evaluation.objects.filter(report=report).first()
    if missing_scores(report):
        raise ReportingError(_("Every commitment needs a score before the evaluation is released."))
    if evaluation is None or not evaluation.overall_assessment.strip():
        raise ReportingError(_("Please write the overall assessment before releasing."))
    from_status = report.status
    _bump(report, status=ReportStatus.RELEASED, released_at=timezone.now())
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.evaluation_released",
        from_state=from_status,
        to_state=ReportStatus.RELEASED,
    )
    from reporting import notifications  # noqa: PLC0415

    notifications.notify_city(report, "released")
    request_report_pdfs(report)
    request_cycle_pdf(report.cycle)
    return report


# --- Publication ------------------------------------------------------------


@transaction.atomic
def publish_report(*, actor, report: Report, publish_scores: bool) -> Report:
    """Publish the public sections (and, with the city's consent, the scores)."""
    report = _locked(report)
    _expect(report, ReportStatus.RELEASED, ReportStatus.PUBLISHED)
    from_status = report.status
    _bump(
        report,
        status=ReportStatus.PUBLISHED,
        publish_scores=bool(publish_scores),
        published_at=report.published_at or timezone.now(),
    )
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_published",
        from_state=from_status,
        to_state=ReportStatus.PUBLISHED,
        data={"scores": bool(publish_scores)},
    )
    request_report_pdfs(report)
    return report


@transaction.atomic
def unpublish_report(*, actor, report: Report) -> Report:
    report = _locked(report)
    _expect(report, ReportStatus.PUBLISHED)
    _bump(report, status=ReportStatus.RELEASED, published_at=None)
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.report_unpublished",
        from_state=ReportStatus.PUBLISHED,
        to_state=ReportStatus.RELEASED,
    )
    return report
