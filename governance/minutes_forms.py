"""Forms of the minutes pages: the narrative, the circulation, an objection, the assembly item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from governance.models import AgendaItem, Minutes
from members.models import City


class NarrativeForm(forms.Form):
    """One text per agenda item of the record, and the general remarks."""

    remarks = forms.CharField(
        label=_("General remarks"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, minutes: Minutes, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_fields: list[tuple[dict, str]] = []
        for item in (minutes.record or {}).get("items", []):
            name = f"item_{item['id']}"
            self.fields[name] = forms.CharField(
                label=_("Narrative: %(position)s. %(title)s")
                % {"position": item["position"], "title": item["title"]},
                required=False,
                max_length=20000,
                initial=minutes.narrative_for(item["id"]),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.item_fields.append((item, name))
        self.fields["remarks"].initial = minutes.remarks
        # the remarks after the items
        self.order_fields([name for _item, name in self.item_fields] + ["remarks"])

    def narrative(self) -> dict[int, str]:
        return {item["id"]: self.cleaned_data.get(name, "") for item, name in self.item_fields}

    def bound_items(self):
        return [(item, self[name]) for item, name in self.item_fields]


class CirculateForm(forms.Form):
    objections_from = forms.DateField(
        label=_("Objections from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    objections_until = forms.DateField(
        label=_("Objections until"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Cities that attended may object until the end of this day."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("objections_from"), data.get("objections_until")
        if start and end and end < start:
            self.add_error("objections_until", _("The window must end on or after its first day."))
        return data


class ReopenForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the objections"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the cities that objected."),
    )


class ObjectionForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City objecting"), queryset=City.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, city_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["city"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = City.objects.filter(pk__in=city_ids).order_by("name")
        if len(city_ids) == 1:
            field.initial = city_ids[0]


class ApprovalItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.session.title}: {obj.position}. {obj.title}"


class AssemblyItemForm(forms.Form):
    item: ApprovalItemField = ApprovalItemField(
        label=_("Approval item of a later session"), queryset=AgendaItem.objects.none()
    )

    def __init__(self, *args, items: list[AgendaItem], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = AgendaItem.objects.filter(pk__in=[i.pk for i in items]).select_related(
            "session"
        )
