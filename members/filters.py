"""The directory's criteria, parsed and validated once for the page, the API and the exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from members import selectors
from members.models import PUBLIC_STATUSES, Coalition, MembershipStatus

SORT_CHOICES = [
    ("name", _("Name")),
    ("country", _("Country")),
    ("joined", _("Joining date (earliest first)")),
    ("-joined", _("Joining date (latest first)")),
]
PUBLIC_STATUS_CHOICES = [(s.value, s.label) for s in map(MembershipStatus, PUBLIC_STATUSES)]


def _no_op(queryset: QuerySet, name: str, value: str) -> QuerySet:
    # Every criterion is applied together by selectors.directory_cities (see filter_queryset).
    return queryset


class CityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"),
        method=_no_op,
        max_length=100,
        help_text=_("Accents and capitals do not matter; local names count too."),
    )
    coalition = django_filters.ModelChoiceFilter(
        label=_("Coalition"),
        queryset=Coalition.objects.all(),
        to_field_name="slug",
        method=_no_op,
        help_text=_("Short name slug of a coalition, e.g. eccar."),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=lambda: list(countries),
        method=_no_op,
        help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."),
    )
    region = django_filters.CharFilter(label=_("Region or state"), method=_no_op, max_length=200)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PUBLIC_STATUS_CHOICES, method=_no_op
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method=_no_op, empty_label=None
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and "country" in data:
            # Codes are accepted in any case: ?country=de is ?country=DE.
            data = data.copy()
            data["country"] = str(data.get("country", "")).upper()
        super().__init__(data, *args, **kwargs)

    @property
    def criteria(self) -> dict:
        """The valid criteria (an invalid one is reported on the form and ignored)."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "coalition": data.get("coalition"),
            "country": data.get("country") or "",
            "region": data.get("region") or "",
            "status": data.get("status") or "",
        }

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        sort = self.form.cleaned_data.get("sort") or "name"
        return selectors.directory_cities(queryset, **self.criteria, sort=sort)

    class Meta:
        form = forms.Form
        fields: list[str] = []
