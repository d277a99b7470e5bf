"""What the reporting app holds about a person. Called by coalition.privacy.

Reports and their sections are the city's: closing an account keeps them, with the
pseudonymised account as their author. Nothing here needs ending on closure.
"""

from __future__ import annotations

from django.db.models import Q

from reporting.models import (
    SECTION_FIELDS,
    Evaluation,
    QuestionRound,
    Report,
    ReportSection,
    SectionAttachment,
)


def _iso(value):
    return value.isoformat() if value else None


def _report_label(report: Report) -> dict:
    return {
        "city": report.city.name,
        "coalition": report.cycle.coalition.short_name,
        "year": report.cycle.year,
    }


def personal_data(user) -> dict[str, list[dict]]:
    sections = (
        ReportSection.objects.filter(updated_by=user)
        .select_related("report__city", "report__cycle__coalition", "commitment")
        .order_by("report__cycle__year", "report__pk", "commitment__number")
    )
    return {
        "report_sections_last_edited": [
            {
                **_report_label(section.report),
                "commitment": section.commitment.number,
                "updated_at": _iso(section.updated_at),
                **{name: getattr(section, name) for name in SECTION_FIELDS},
            }
            for section in sections
        ],
        "reports_submitted": [
            {
                **_report_label(report),
                "status": report.status,
                "submitted_at": _iso(report.submitted_at),
            }
            for report in Report.objects.filter(submitted_by=user)
            .select_related("city", "cycle__coalition")
            .order_by("cycle__year", "pk")
        ],
        "attachments_uploaded": [
            {
                **_report_label(a.section.report),
                "file_name": a.original_name,
                "size": a.size,
                "uploaded_at": _iso(a.uploaded_at),
            }
            for a in SectionAttachment.objects.filter(uploaded_by=user)
            .select_related("section__report__city", "section__report__cycle__coalition")
            .order_by("uploaded_at", "pk")
        ],
        "evaluations": [
            {**_report_label(e.report), "updated_at": _iso(e.updated_at)}
            for e in Evaluation.objects.filter(evaluator=user)
            .select_related("report__city", "report__cycle__coalition")
            .order_by("updated_at", "pk")
        ],
        "questions_asked_or_answered": [
            {
                **_report_label(r.report),
                "round": r.number,
                "asked_at": _iso(r.asked_at) if r.asked_by_id == user.pk else None,
                "questions": r.questions if r.asked_by_id == user.pk else None,
                "answered_at": _iso(r.answered_at) if r.answered_by_id == user.pk else None,
                "answer": r.answer if r.answered_by_id == user.pk else None,
            }
            for r in QuestionRound.objects.filter(Q(asked_by=user) | Q(answered_by=user))
            .select_related("report__city", "report__cycle__coalition")
            .order_by("asked_at", "pk")
        ],
    }
