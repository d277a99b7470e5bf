"""Reads of the reporting app. Each owns its joins, so a page costs a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from members.models import ChosenAction, City, Commitment, Membership
from members.selectors import roles_for
from reporting import charts
from reporting.access import committee_coalition_ids
from reporting.models import (
    HANDED_IN_STATUSES,
    RELEASED_STATUSES,
    Evaluation,
    Indicator,
    QuestionRound,
    Report,
    ReportingCycle,
    ReportSection,
    ReportStatus,
    RubricLevel,
    SectionAttachment,
    SectionScore,
    Visibility,
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


# --- Cycles and the secretariat dashboard ------------------------------------


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


def _released_scores() -> QuerySet:
    return SectionScore.objects.filter(
        section__report__status__in=RELEASED_STATUSES, score__isnull=False
    )


def commitment_averages(cycle: ReportingCycle) -> dict[int, float]:
    """Average released score per commitment number in the cycle."""
    rows = (
        _released_scores()
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
        _released_scores()
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


def commitments_of(cycle: ReportingCycle) -> list[Commitment]:
    return list(cycle.plan.commitments.order_by("number"))


def _consented_scores() -> QuerySet:
    """The scores cities agreed to publish: those of the public sections of a published
    report whose city chose to publish its scores (see reporting/publish.html)."""
    return SectionScore.objects.filter(
        score__isnull=False,
        section__visibility=Visibility.PUBLIC,
        section__report__status=ReportStatus.PUBLISHED,
        section__report__publish_scores=True,
    )


def public_min_cities() -> int:
    return settings.PUBLIC_AGGREGATE_MIN_CITIES


def public_commitment_averages(cycle: ReportingCycle) -> dict[int, float]:
    """Per commitment number, the average of the published scores of the cycle: only where
    at least PUBLIC_AGGREGATE_MIN_CITIES cities published one (one query)."""
    rows = (
        _consented_scores()
        .filter(section__report__cycle=cycle)
        .values("section__commitment__number")
        .annotate(avg=Avg("score"), cities=Count("section__report__city", distinct=True))
    )
    minimum = public_min_cities()
    return {
        r["section__commitment__number"]: float(r["avg"]) for r in rows if r["cities"] >= minimum
    }


def _yearly_averages(scores: QuerySet, *, min_cities: int = 1) -> dict[int, float]:
    rows = (
        scores.values("section__report__cycle__year")
        .annotate(avg=Avg("score"), cities=Count("section__report__city", distinct=True))
        .values_list("section__report__cycle__year", "avg", "cities")
    )
    return {year: float(avg) for year, avg, cities in rows if cities >= min_cities}


def city_history(
    *, coalition_id: int, city_id: int, public: bool = False, own_released: bool = True
) -> list[dict]:
    """Per year: the city's average score and the coalition's (two queries).

    Not public (the staff's pages): every released evaluation. Public (a report's page and
    PDFs): the coalition's average of the scores its cities published, in the years at
    least PUBLIC_AGGREGATE_MIN_CITIES cities did; the city's own released scores where
    `own_released` (the city and the staff may read them all), else only those it published.
    """
    if not public:
        base = _released_scores().filter(section__report__cycle__coalition_id=coalition_id)
        coalition = _yearly_averages(base)
        city = _yearly_averages(base.filter(section__report__city_id=city_id))
        years = sorted(coalition)
    else:
        published = _consented_scores().filter(section__report__cycle__coalition_id=coalition_id)
        coalition = _yearly_averages(published, min_cities=public_min_cities())
        own = _released_scores() if own_released else published
        city = _yearly_averages(
            own.filter(
                section__report__cycle__coalition_id=coalition_id,
                section__report__city_id=city_id,
            )
        )
        years = sorted(set(coalition) | set(city))
    return [
        {"year": year, "city": city.get(year), "coalition": coalition.get(year)} for year in years
    ]


def report_scores(report: Report) -> dict[int, int]:
    scored = SectionScore.objects.filter(section__report=report, score__isnull=False)
    return cast(dict[int, int], dict(scored.values_list("section__commitment__number", "score")))


def published_report_scores(report: Report) -> dict[int, int]:
    """The scores of the report its city agreed to publish (none unless it did)."""
    return dict(
        _consented_scores()
        .filter(section__report=report)
        .values_list("section__commitment__number", "score")
    )


def city_charts(
    report: Report, *, public: bool, own_released: bool, commitments=None, averages=None
):
    """The city's scores against the coalition average, and against its own past.

    public: the charts of a report's page and PDFs, whoever reads them: every coalition
      figure comes from the scores cities agreed to publish, from at least
      PUBLIC_AGGREGATE_MIN_CITIES cities (a note below the chart says why one is missing).
      Not public: the staff's cycle dashboard, from every released evaluation.
    own_released: the reader may see the city's whole released evaluation (the city,
      the secretariat, the committee); otherwise only the scores the city published.
    """
    commitments = commitments if commitments is not None else commitments_of(report.cycle)
    if averages is None:
        averages = (
            public_commitment_averages(report.cycle)
            if public
            else commitment_averages(report.cycle)
        )
    if own_released:
        own = report_scores(report) if report.is_released else {}
    else:
        own = published_report_scores(report)
    city = report.city.name
    note = ""
    if public:
        note = _(
            "A coalition average is drawn only from the scores cities chose to publish, and "
            "shown only where at least %(n)s cities published theirs."
        ) % {"n": public_min_cities()}
    comparison = charts.bar_chart(
        chart_id=f"city-{report.pk}-vs-coalition",
        title=_("%(city)s's scores against the %(coalition)s average, %(year)s")
        % {"city": city, "coalition": report.cycle.coalition.short_name, "year": report.cycle.year},
        description=_(
            "Score from 0 to 4 for each commitment: the city's score and the average of the "
            "scores the coalition's cities published in the cycle."
        )
        if public
        else _(
            "Score from 0 to 4 for each commitment: the city's score and the average of every "
            "released evaluation in the cycle."
        ),
        categories=[(f"{c.number}. {c.title}", f"{c.number}. {c.title}") for c in commitments],
        series=[
            (city, [own.get(c.number) for c in commitments]),
            (_("Coalition average"), [averages.get(c.number) for c in commitments]),
        ],
        value_header=_("Commitment"),
        note=note if any(c.number not in averages for c in commitments) else "",
    )
    history = city_history(
        coalition_id=report.cycle.coalition_id,
        city_id=report.city_id,
        public=public,
        own_released=own_released,
    )
    trend = charts.line_chart(
        chart_id=f"city-{report.pk}-history",
        title=_("%(city)s's average score by year") % {"city": city},
        description=_(
            "The city's average score over all commitments in each year, beside the "
            "average of the scores the coalition's cities published."
        )
        if public
        else _(
            "The city's average score over all commitments in each year, beside the "
            "coalition's average."
        ),
        x_labels=[str(row["year"]) for row in history],
        series=[
            (city, [row["city"] for row in history]),
            (_("Coalition average"), [row["coalition"] for row in history]),
        ],
        x_header=_("Year"),
        note=note if any(row["coalition"] is None for row in history) else "",
    )
    return comparison, trend


def averages_chart(cycle: ReportingCycle, *, commitments=None, averages=None):
    commitments = commitments if commitments is not None else commitments_of(cycle)
    averages = averages if averages is not None else commitment_averages(cycle)
    return charts.bar_chart(
        chart_id=f"cycle-{cycle.pk}-averages",
        title=_("Average score per commitment, %(cycle)s") % {"cycle": cycle},
        description=_(
            "The average of the released evaluations for each commitment, on the 0 to 4 rubric."
        ),
        categories=[(f"{c.number}. {c.title}", f"{c.number}. {c.title}") for c in commitments],
        series=[(_("Average score"), [averages.get(c.number) for c in commitments])],
        value_header=_("Commitment"),
    )


# --- Public: published reports and good practices ----------------------------


def published_reports_for_city(city: City, *, limit: int = 20) -> list[Report]:
    """Published reports with their public sections and approved good practices (2 queries)."""
    public_sections = (
        ReportSection.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("commitment", "score")
        .order_by("commitment__number")
    )
    return list(
        Report.objects.published()
        .filter(city=city)
        .select_related("cycle__coalition")
        .prefetch_related(Prefetch("sections", queryset=public_sections, to_attr="public_sections"))
        .order_by("-cycle__year", "cycle__coalition__short_name")[:limit]
    )


def approved_good_practices() -> QuerySet:
    """Good practices the secretariat approved, in public sections of published reports."""
    return (
        ReportSection.objects.filter(
            good_practice=True,
            good_practice_approved_at__isnull=False,
            visibility=Visibility.PUBLIC,
            report__status=ReportStatus.PUBLISHED,
        )
        .select_related("commitment", "report__city", "report__cycle__coalition")
        .order_by("-report__cycle__year", "report__city__name", "commitment__number")
    )


def search_good_practices(
    *, q: str = "", commitment: str = "", city: str = "", country: str = "", year: str = ""
) -> QuerySet:
    qs = approved_good_practices()
    if q:
        qs = qs.filter(
            Q(good_practice_title__icontains=q)
            | Q(good_practice_summary__icontains=q)
            | Q(report__city__name__icontains=q)
        )
    if commitment.isdigit():
        qs = qs.filter(commitment__number=int(commitment))
    if city:
        qs = qs.filter(report__city__slug=city)
    if country:
        qs = qs.filter(report__city__country=country.upper()[:2])
    if year.isdigit():
        qs = qs.filter(report__cycle__year=int(year))
    return qs


def good_practice_filter_options() -> dict:
    """Choices for the library's filters, drawn from what is published (three queries)."""
    base = approved_good_practices()
    commitments = (
        base.order_by("commitment__number")
        .values_list("commitment__number", "commitment__title")
        .distinct()
    )
    cities = (
        base.order_by("report__city__name")
        .values_list("report__city__slug", "report__city__name", "report__city__country")
        .distinct()
    )
    years = base.order_by("-report__cycle__year").values_list("report__cycle__year").distinct()

    city_rows = list(cities)
    seen_numbers: dict[int, str] = {}
    for number, title in commitments:
        seen_numbers.setdefault(number, title)
    return {
        "commitments": sorted(seen_numbers.items()),
        "cities": [(slug, name) for slug, name, _c in city_rows],
        "countries": sorted(
            {(c, countries.name(c)) for _s, _n, c in city_rows}, key=lambda x: x[1]
        ),
        "years": [y for (y,) in years],
    }


# --- The personal dashboard --------------------------------------------------


def dashboard_panels(user) -> list[dict]:
    """Panels for the personal dashboard: my report, cycles to evaluate, cycle status."""
    panels: list[dict] = []
    roles = roles_for(user)
    today = timezone.localdate()
    if roles.coordinator_of:
        reports = [r for r in my_reports(user) if r.cycle.opens_on <= today]
        current: dict[int, Report] = {}
        for report in reports:  # newest first: keep each city's latest report
            current.setdefault(report.city_id, report)
        for report in current.values():
            panels.append(
                {
                    "title": _("Annual report %(cycle)s: %(city)s")
                    % {"cycle": report.cycle, "city": report.city},
                    "body": _("Status: %(status)s. Due on %(due)s.")
                    % {
                        "status": report.get_status_display(),
                        "due": date_format(report.cycle.due_on, "DATE_FORMAT"),
                    },
                    "items": [
                        {
                            "label": _("Edit the report")
                            if report.is_editable
                            else _("Open the report"),
                            "url": reverse(
                                "reporting:report_edit"
                                if report.is_editable
                                else "reporting:report_detail",
                                kwargs={"pk": report.pk},
                            ),
                        },
                        {"label": _("All my reports"), "url": reverse("reporting:my_reports")},
                    ],
                }
            )
    # Annotated with their counts by cycles_for.
    cycles: list[Any] = (
        cycles_for(user) if (roles.is_staff_role or committee_coalition_ids(user)) else []
    )
    for cycle in cycles[:4]:
        access_secretariat = roles.is_admin or cycle.coalition_id in roles.secretariat_of
        if access_secretariat:
            body = ngettext(
                "%(n)s report to evaluate, %(done)s evaluated of %(total)s.",
                "%(n)s reports to evaluate, %(done)s evaluated of %(total)s.",
                cycle.to_evaluate_count,
            ) % {
                "n": cycle.to_evaluate_count,
                "done": cycle.evaluated_count,
                "total": cycle.report_count,
            }
        else:
            body = _("%(n)s of %(total)s reports handed in; due on %(due)s.") % {
                "n": cycle.handed_in_count,
                "total": cycle.report_count,
                "due": date_format(cycle.due_on, "DATE_FORMAT"),
            }
        panels.append(
            {
                "title": _("Reporting cycle %(cycle)s") % {"cycle": cycle},
                "body": body,
                "items": [
                    {"label": _("Cycle dashboard"), "url": cycle.get_absolute_url()},
                    {
                        "label": _("Review submitted reports"),
                        "url": reverse("reporting:cycle_review", kwargs={"pk": cycle.pk}),
                    },
                ],
            }
        )
    return panels
