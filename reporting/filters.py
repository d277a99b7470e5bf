"""The good-practice library's criteria, one filter set for the page (and any export of it)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reporting import selectors
from reporting.models import ReportSection

CRITERIA = ("q", "commitment", "city", "country", "year")


def _no_op(queryset: QuerySet, name: str, value: str) -> QuerySet:
    # Every criterion is applied together by selectors.search_good_practices (filter_queryset).
    return queryset


class GoodPracticeFilter(django_filters.FilterSet):
    """The choices shown are what is published; the values typed filter as they are.

    An unknown city or year finds nothing: it is neither an error page nor silently ignored
    (the selector checks the values). NUL characters are dropped: they match nothing, and
    PostgreSQL refuses them in a query.
    """

    q = django_filters.CharFilter(label=_("Search"), max_length=100, method=_no_op)
    commitment = django_filters.ChoiceFilter(
        label=_("Commitment"), empty_label=_("All"), method=_no_op
    )
    city = django_filters.ChoiceFilter(label=_("City"), empty_label=_("All"), method=_no_op)
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All"), method=_no_op)
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All"), method=_no_op)

    class Meta:
        model = ReportSection  # a good practice is a report's section
        form = forms.Form
        fields: list[str] = []

    def __init__(self, data=None, *args, options: dict | None = None, **kwargs):
        super().__init__(data or None, *args, **kwargs)
        options = options if options is not None else selectors.good_practice_filter_options()
        choices = {
            "commitment": [(str(n), f"{n}. {t}") for n, t in options["commitments"]],
            "city": list(options["cities"]),
            "country": [(c, n) for c, n in options["countries"]],
            "year": [(str(y), str(y)) for y in options["years"]],
        }
        for name, values in choices.items():
            self.filters[name].extra["choices"] = values

    @property
    def criteria(self) -> dict[str, str]:
        raw = self.data if self.is_bound else {}
        return {name: str(raw.get(name, "")).replace("\x00", "").strip()[:100] for name in CRITERIA}

    @property
    def qs(self) -> QuerySet:
        return selectors.search_good_practices(**self.criteria)
