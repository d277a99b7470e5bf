"""Cycles and the secretariat's dashboard: the cycles a person sees, their counts, the released
averages and the score table.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from members.selectors import roles_for
from reporting.access import committee_coalition_ids
from reporting.models import (
    RELEASED_STATUSES,
    ReportingCycle,
    ReportStatus,
    SectionScore,
)


def cycles_for(user) -> list[ReportingCycle]:
    """Cycles of the coalitions this person staffs or sits on the committee of, with counts."""
    roles = roles_for(user)
    qs = ReportingCycle.objects.select_related("coalition", "plan")
    if not roles.is_admin:
        coalitions = roles.bureau_of | roles.secretariat_of | committee_coalition_ids(user)
        qs = qs.filter(coalition_id__in=coalitions)
    return list(
        qs.annotate(
            report_count=Count("reports"),
            handed_in_count=Count("reports", filter=~Q(reports__status=ReportStatus.DRAFT)),
            to_evaluate_count=Count(
                "reports",
                filter=Q(
                    reports__status__in=[ReportStatus.TRANSMITTED, ReportStatus.UNDER_EVALUATION]
                ),
            ),
            evaluated_count=Count("reports", filter=Q(reports__status__in=RELEASED_STATUSES)),
        ).order_by("-year", "coalition__short_name")
    )


def cycle_counts(cycle: ReportingCycle) -> dict[str, int]:
    today = timezone.localdate()
    by_status = dict(
        cycle.reports.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    drafts = by_status.get(ReportStatus.DRAFT, 0)
    return {
        "total": sum(by_status.values()),
        "handed_in": sum(by_status.values()) - drafts,
        "draft": drafts,
        "overdue": drafts if today > cycle.due_on else 0,
        "submitted": by_status.get(ReportStatus.SUBMITTED, 0),
        "transmitted": by_status.get(ReportStatus.TRANSMITTED, 0),
        "under_evaluation": by_status.get(ReportStatus.UNDER_EVALUATION, 0),
        "questions": by_status.get(ReportStatus.QUESTIONS, 0),
        "evaluated": by_status.get(ReportStatus.RELEASED, 0)
        + by_status.get(ReportStatus.PUBLISHED, 0),
        "published": by_status.get(ReportStatus.PUBLISHED, 0),
    }


def released_scores() -> QuerySet:
    return SectionScore.objects.filter(
        section__report__status__in=RELEASED_STATUSES, score__isnull=False
    )


def commitment_averages(cycle: ReportingCycle) -> dict[int, float]:
    """Average released score per commitment number in the cycle."""
    rows = (
        released_scores()
        .filter(section__report__cycle=cycle)
        .values("section__commitment__number")
        .annotate(avg=Avg("score"))
    )
    return {r["section__commitment__number"]: float(r["avg"]) for r in rows}


def city_score_table(cycle: ReportingCycle) -> list[dict]:
    """Every report of the cycle with its released scores by commitment number (two queries)."""
    reports = list(cycle.reports.select_related("city").order_by("city__name"))
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for report_id, number, score in (
        released_scores()
        .filter(section__report__cycle=cycle)
        .values_list("section__report_id", "section__commitment__number", "score")
    ):
        scores[report_id][number] = score
    rows = []
    for report in reports:
        values = scores.get(report.pk, {})
        rows.append(
            {
                "report": report,
                "scores": values,
                "average": (sum(values.values()) / len(values)) if values else None,
            }
        )
    return rows
