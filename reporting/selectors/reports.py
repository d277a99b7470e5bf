"""A report's own reads: the reports a person may open, its sections, indicators, question rounds
and the actions chosen at accession.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Prefetch

from members.models import ChosenAction, Membership
from members.selectors import roles_for
from reporting.models import (
    HANDED_IN_STATUSES,
    Evaluation,
    Indicator,
    QuestionRound,
    Report,
    ReportingCycle,
    ReportSection,
    RubricLevel,
    SectionAttachment,
)


def my_reports(user) -> list[Report]:
    """Reports of the cities this person coordinates, newest cycle first."""
    cities = roles_for(user).coordinator_of
    if not cities:
        return []
    return list(
        Report.objects.with_context()
        .filter(city_id__in=cities)
        .order_by("-cycle__year", "city__name")
    )


def sections_for(report: Report, visibilities) -> list[ReportSection]:
    """The sections this reader may see, with commitment, score, attachments and indicators
    (4 queries)."""
    return list(
        report.sections.filter(visibility__in=visibilities)
        .select_related("commitment", "score", "updated_by")
        .prefetch_related(
            Prefetch("attachments", queryset=SectionAttachment.objects.order_by("uploaded_at")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("position", "id")),
        )
        .order_by("commitment__number")
    )


def indicator_counts(report: Report) -> dict[int, int]:
    """How many indicators each section of a report has, by section id (1 query)."""
    return dict(
        Indicator.objects.filter(section__report=report)
        .values("section_id")
        .annotate(n=Count("id"))
        .values_list("section_id", "n")
    )


def indicators_by_commitment(cycle: ReportingCycle, visibilities) -> dict[int, dict]:
    """For each commitment number: how many indicators the handed-in reports of the cycle
    give, and how many cities give at least one (one query), in sections these readers may
    see (the secretariat's only ones count for the secretariat alone)."""
    rows = (
        Indicator.objects.filter(
            section__report__cycle=cycle,
            section__report__status__in=HANDED_IN_STATUSES,
            section__visibility__in=visibilities,
        )
        .values("section__commitment__number")
        .annotate(indicators=Count("id"), cities=Count("section__report__city", distinct=True))
        .values_list("section__commitment__number", "indicators", "cities")
    )
    return {number: {"indicators": n, "cities": cities} for number, n, cities in rows}


def question_rounds_for(report: Report) -> list[QuestionRound]:
    """Every round of questions and answers, oldest first, with who asked and answered (1 query)."""
    return list(
        QuestionRound.objects.filter(report=report)
        .select_related("asked_by", "answered_by")
        .order_by("number")
    )


def chosen_actions_for(report: Report) -> dict[int, list[str]]:
    """The actions the city chose at accession, by commitment number (one query)."""
    membership = Membership.objects.filter(
        city_id=report.city_id, coalition_id=report.cycle.coalition_id
    ).order_by("-signed_on")
    actions: dict[int, list[str]] = defaultdict(list)
    for number, text in ChosenAction.objects.filter(
        membership__in=membership.values("pk")
    ).values_list("commitment__number", "description"):
        actions[number].append(text)
    return dict(actions)


def rubric() -> list[RubricLevel]:
    return list(RubricLevel.objects.order_by("score"))


def evaluation_for(report: Report):
    return Evaluation.objects.filter(report=report).first()
