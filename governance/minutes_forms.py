"""Forms of the minutes pages: the narrative, the circulation, an objection, the assembly item."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coalition.languages import language_in_sentence
from governance.models import AgendaItem, Minutes
from members.models import City


class NarrativeForm(forms.Form):
    """One text per agenda item of the record, and the general remarks, in one language.

    In the authoritative language (`language` is the minutes' source language) while a draft,
    with the choice of that language; in another language, a translation, each field beside
    the authoritative text it translates.
    """

    source_language = forms.ChoiceField(
        label=_("Language the minutes are written in"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_(
            "The authoritative text: what is circulated, approved and published. The other "
            "languages are translations of it."
        ),
    )
    remarks = forms.CharField(
        label=_("General remarks"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, minutes: Minutes, language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language or minutes.source_language
        self.is_translation = self.language != minutes.source_language
        # Said inside sentences only (labels, the saved message): "(traduction : français)".
        self.language_name = language_in_sentence(self.language)
        direction = "rtl" if self.language in settings.LANGUAGES_BIDI else "ltr"
        text_attrs = {"lang": self.language, "dir": direction}
        source = minutes.source_language
        self.item_fields: list[tuple[dict, str]] = []
        for item in (minutes.record or {}).get("items", []):
            name = f"item_{item['id']}"
            label = _("Narrative: %(position)s. %(title)s") % {
                "position": item["position"],
                "title": item["title"],
            }
            if self.is_translation:
                label = _("%(label)s (%(language)s translation)") % {
                    "label": label,
                    "language": self.language_name,
                }
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                initial=minutes.narrative_for(item["id"], self.language),
                widget=forms.Textarea(attrs={"rows": 4, **text_attrs}),
            )
            self.fields[name].source_text = minutes.narrative_for(item["id"], source)  # type: ignore[attr-defined]
            self.item_fields.append((item, name))
        remarks = self.fields["remarks"]
        remarks.initial = minutes.remarks_in(self.language)
        remarks.widget.attrs.update(text_attrs)
        remarks.source_text = minutes.remarks_in(source)  # type: ignore[attr-defined]
        if self.is_translation:
            remarks.label = _("General remarks (%(language)s translation)") % {
                "language": self.language_name
            }
            del self.fields["source_language"]
        else:
            self.fields["source_language"].initial = source
        # the remarks after the items
        self.order_fields(
            ["source_language", *[name for _item, name in self.item_fields], "remarks"]
        )

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
