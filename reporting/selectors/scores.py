"""Scores as charts: a coalition's averages (released, or consented for the public), a city's
history and the charts drawn from them.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.db.models import Avg, Count, QuerySet
from django.utils.translation import gettext as _

from members.models import Commitment
from reporting import charts
from reporting.models import (
    Report,
    ReportingCycle,
    ReportStatus,
    SectionScore,
    Visibility,
)
from reporting.selectors.cycles import commitment_averages, released_scores


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
        base = released_scores().filter(section__report__cycle__coalition_id=coalition_id)
        coalition = _yearly_averages(base)
        city = _yearly_averages(base.filter(section__report__city_id=city_id))
        years = sorted(coalition)
    else:
        published = _consented_scores().filter(section__report__cycle__coalition_id=coalition_id)
        coalition = _yearly_averages(published, min_cities=public_min_cities())
        own = released_scores() if own_released else published
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
