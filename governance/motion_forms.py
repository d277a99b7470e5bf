"""Forms of the motion pages: a motion, an amendment, a recommendation and its answer,
attaching a motion to an item, a translation. Each error is tied to its field."""

from __future__ import annotations

from typing import cast

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance import motion_text as mt
from governance.models import (
    AgendaItem,
    AgendaItemStatus,
    AmendmentOperation,
    AssemblySession,
    MotionKind,
    Recommendation,
    Submitter,
)

MAX_TEXT = 50000


def _textarea(rows: int = 8):
    return forms.Textarea(attrs={"rows": rows})


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AgendaItem) -> str:
        return f"{obj.position}. {obj.title}"


def agenda_items(session: AssemblySession):
    return (
        AgendaItem.objects.filter(session=session)
        .exclude(status__in=[AgendaItemStatus.WITHDRAWN, AgendaItemStatus.REFUSED])
        .order_by("position", "id")
    )


class TextFieldsMixin:
    """A body, or (a declaration) a preamble and operative clauses: one line per line break."""

    cleaned_data: dict  # the form's, which this is mixed into

    def lines(self, *, declaration: bool) -> list[mt.Line]:
        data = self.cleaned_data
        if declaration:
            return mt.build(preamble=data.get("preamble", ""), operative=data.get("operative", ""))
        return mt.build(body=data.get("body", ""))


class MotionForm(TextFieldsMixin, forms.Form):
    item = ItemChoiceField(label=gettext_lazy("Agenda item"), queryset=AgendaItem.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MotionKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    submitter = forms.ChoiceField(label=gettext_lazy("Submitted by"))
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the text"), choices=settings.LANGUAGES
    )
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(12),
        help_text=gettext_lazy("One line per paragraph: the lines are numbered for amendments."),
    )
    preamble = forms.CharField(
        label=gettext_lazy("Preamble (declaration)"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(),
        help_text=gettext_lazy('One clause per line: "Concerned with ...", "Convinced ..."'),
    )
    operative = forms.CharField(
        label=gettext_lazy("Operative clauses (declaration)"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(),
        help_text=gettext_lazy('One clause per line: "Call upon ...", "Invite ..."'),
    )

    def __init__(self, *args, session, cities, committee: bool, bureau: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        self.cities = {str(c.pk): c for c in cities}
        item = cast(forms.ModelChoiceField, self.fields["item"])
        item.queryset = agenda_items(session)
        if bureau and session.is_draft:
            item.required = False
            item.empty_label = _("A new item on the draft agenda")
        choices = [(f"city:{c.pk}", c.name) for c in cities]
        if committee:
            choices.append((Submitter.COMMITTEE, Submitter.COMMITTEE.label))
        if bureau:
            choices.append((Submitter.BUREAU, Submitter.BUREAU.label))
        cast(forms.ChoiceField, self.fields["submitter"]).choices = choices
        self.fields["language"].initial = settings.LANGUAGE_CODE

    def clean(self):
        data = super().clean()
        declaration = data.get("kind") == MotionKind.DECLARATION
        if declaration:
            if not mt.split_lines(data.get("preamble", "")):
                self.add_error("preamble", _("Write the preamble of the declaration."))
            if not mt.split_lines(data.get("operative", "")):
                self.add_error("operative", _("Write the operative clauses of the declaration."))
        elif data.get("kind") and not mt.split_lines(data.get("body", "")):
            self.add_error("body", _("Write the text of the motion."))
        return data

    def submitter_and_city(self):
        value = self.cleaned_data["submitter"]
        if value.startswith("city:"):
            return Submitter.CITY, self.cities[value.removeprefix("city:")]
        return value, None


class AmendmentForm(forms.Form):
    city = forms.ChoiceField(label=gettext_lazy("On behalf of"))
    operation = forms.ChoiceField(
        label=gettext_lazy("Change"), choices=AmendmentOperation.choices, widget=forms.RadioSelect
    )
    first_line = forms.IntegerField(
        label=gettext_lazy("From line"),
        min_value=0,
        help_text=gettext_lazy("For an insertion: the line the new text follows (0: the start)."),
    )
    last_line = forms.IntegerField(
        label=gettext_lazy("To line"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("The last line deleted or replaced (empty: the same line)."),
    )
    new_text = forms.CharField(
        label=gettext_lazy("New text"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(6),
        help_text=gettext_lazy("One line per paragraph. Empty for a deletion."),
    )
    justification = forms.CharField(
        label=gettext_lazy("Justification"), max_length=MAX_TEXT, widget=_textarea(4)
    )

    def __init__(self, *args, cities, line_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = {str(c.pk): c for c in cities}
        cast(forms.ChoiceField, self.fields["city"]).choices = [(str(c.pk), c.name) for c in cities]
        for name in ("first_line", "last_line"):
            field = cast(forms.IntegerField, self.fields[name])
            field.max_value = line_count
            field.validators.append(MaxValueValidator(line_count))
            field.widget.attrs["max"] = line_count

    def clean(self):
        data = super().clean()
        operation = data.get("operation")
        first, last = data.get("first_line"), data.get("last_line")
        if operation in (AmendmentOperation.DELETE, AmendmentOperation.REPLACE):
            if first == 0:
                self.add_error("first_line", _("Lines are numbered from 1."))
            if first and last and last < first:
                self.add_error("last_line", _("The last line comes after the first."))
        if operation in (
            AmendmentOperation.REPLACE,
            AmendmentOperation.INSERT_AFTER,
        ) and not mt.split_lines(data.get("new_text", "")):
            self.add_error("new_text", _("Write the new text."))
        return data

    def amendment_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "city": self.cities[data["city"]],
            "operation": data["operation"],
            "first_line": data["first_line"],
            "last_line": data["last_line"],
            "new_text": mt.split_lines(data["new_text"]),
            "justification": data["justification"],
        }


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label=gettext_lazy("Recommendation"),
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=gettext_lazy("Modified text (adopt as modified)"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(5),
    )
    note = forms.CharField(
        label=gettext_lazy("Reasons"), required=False, max_length=MAX_TEXT, widget=_textarea(3)
    )

    def clean(self):
        data = super().clean()
        if data.get("recommendation") == Recommendation.ADOPT_MODIFIED and not mt.split_lines(
            data.get("text", "")
        ):
            self.add_error("text", _("Write the modified text."))
        return data


class AttachForm(forms.Form):
    item = ItemChoiceField(
        label=gettext_lazy("Move to the agenda item"), queryset=AgendaItem.objects.none()
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = agenda_items(session)


class TranslationForm(TextFieldsMixin, forms.Form):
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=settings.LANGUAGES)
    body = forms.CharField(
        label=gettext_lazy("Translated text"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(12),
        help_text=gettext_lazy("Line for line: the same number of lines as the text."),
    )
    preamble = forms.CharField(
        label=gettext_lazy("Preamble"), required=False, max_length=MAX_TEXT, widget=_textarea()
    )
    operative = forms.CharField(
        label=gettext_lazy("Operative clauses"),
        required=False,
        max_length=MAX_TEXT,
        widget=_textarea(),
    )
