"""The bureau's audit log criteria, parsed and validated once for the page and the CSV."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coalition import audit_log
from coalition.models import AuditEvent
from governance import access
from members.models import City, Coalition


def _no_op(queryset: QuerySet, name: str, value: object) -> QuerySet:
    # Every criterion is applied together by coalition.audit_log.audit_events.
    return queryset


class AuditLogFilter(django_filters.FilterSet):
    coalition = django_filters.ModelChoiceFilter(
        label=_("Coalition"), queryset=Coalition.objects.none(), method=_no_op
    )
    city = django_filters.ModelChoiceFilter(
        label=_("City"), queryset=City.objects.none(), method=_no_op
    )
    person = django_filters.CharFilter(
        label=_("Person"),
        method=_no_op,
        max_length=254,
        help_text=_("Part of the email address of the person who acted."),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=[], method=_no_op)
    since = django_filters.DateFilter(
        label=_("From"),
        method=_no_op,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        method=_no_op,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, data=None, *args, user, **kwargs):
        super().__init__(data, *args, queryset=AuditEvent.objects.none(), **kwargs)
        #: The coalitions whose log this person reads (None: all, for administrators).
        self.scope = access.bureau_coalition_ids(user)
        coalitions = Coalition.objects.order_by("name")
        cities = City.objects.order_by("name", "pk")
        if self.scope is not None:
            coalitions = coalitions.filter(pk__in=self.scope)
            cities = cities.filter(memberships__coalition__in=self.scope).distinct()
        self.form.fields["coalition"].queryset = coalitions
        self.form.fields["city"].queryset = cities
        self.form.fields["kind"].choices = [
            ("", _("Any kind")),
            *audit_log.verb_choices(
                audit_log.verbs_in(audit_log.audit_events(coalition_ids=self.scope))
            ),
        ]

    @property
    def criteria(self) -> dict:
        """The valid criteria (an invalid one is reported on the form and ignored)."""
        data = {}
        if self.is_bound:
            self.form.is_valid()
            data = self.form.cleaned_data
        coalition = data.get("coalition")
        city = data.get("city")
        return {
            "coalition_ids": [coalition.pk] if coalition else self.scope,
            "city_id": city.pk if city else None,
            "actor_email": data.get("person") or "",
            "verb": data.get("kind") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }

    def events(self) -> QuerySet:
        return audit_log.audit_events(**self.criteria)

    class Meta:
        form = forms.Form
        fields: list[str] = []
