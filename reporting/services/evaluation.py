"""The scientific secretariat's evaluation: scores, questions, release to the city."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalition import audit
from coalition.services import model_update
from reporting.models import (
    Evaluation,
    QuestionRound,
    Report,
    ReportSection,
    ReportStatus,
    SectionScore,
)
from reporting.services.common import (
    ReportingError,
    _bump,
    _expect,
    _locked,
    notify_city,
    request_cycle_pdf,
    request_report_pdfs,
)

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
    # updated_at given: the evaluation was saved now, even when only its scores changed.
    model_update(
        evaluation,
        fields={
            "overall_assessment": overall.strip(),
            "evaluator": actor,
            "updated_at": timezone.now(),
        },
        actor=actor,
    )
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
            model_update(
                section,
                fields={"good_practice_approved_at": now, "good_practice_approved_by": actor},
                actor=actor,
                # The city's "saved at" stays the time of its last edit.
                touch=False,
            )
        elif not approve and section.good_practice_approved_at is not None:
            model_update(
                section,
                fields={"good_practice_approved_at": None, "good_practice_approved_by": None},
                actor=actor,
                # The city's "saved at" stays the time of its last edit.
                touch=False,
            )
    if report.status == ReportStatus.TRANSMITTED:
        model_update(report, fields={"status": ReportStatus.UNDER_EVALUATION}, actor=actor)
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
    last = report.question_rounds.order_by("-number").values_list("number", flat=True).first()
    QuestionRound.objects.create(
        report=report,
        number=(last or 0) + 1,
        questions=questions.strip(),
        asked_by=actor if getattr(actor, "is_authenticated", False) else None,
        asked_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        target=report,
        verb="reporting.questions_asked",
        from_state=from_status,
        to_state=ReportStatus.QUESTIONS,
        message=questions.strip(),
    )
    notify_city(report, "questions")
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
    notify_city(report, "released")
    request_report_pdfs(report)
    request_cycle_pdf(report.cycle)
    return report
