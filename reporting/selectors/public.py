"""Public reads: a city's published reports and the good-practice library with its filters."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django_countries import countries

from members.models import City
from reporting.models import (
    Report,
    ReportSection,
    ReportStatus,
    Visibility,
)


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
