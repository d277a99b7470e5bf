"""Forms of the reporting app. Errors are tied to their fields (aria-invalid, aria-describedby)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Coalition, PlanOfAction
from reporting.models import SECTION_FIELDS, Indicator, ReportSection, Visibility
from reporting.services import MAX_FIELD_LENGTH
from reporting.uploads import check_attachment


class SectionForm(forms.ModelForm):
    """One commitment's section. Prefixed per section so ten of them share a page."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = ReportSection
        fields = SECTION_FIELDS
        widgets = {
            "actions": forms.Textarea(attrs={"rows": 6}),
            "resources_human": forms.Textarea(attrs={"rows": 2}),
            "resources_financial": forms.Textarea(attrs={"rows": 2}),
            "resources_material": forms.Textarea(attrs={"rows": 2}),
            "partners": forms.Textarea(attrs={"rows": 2}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
            "good_practice_summary": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "actions": _("What the city did this year under this commitment."),
            "resources_human": _("Staff, volunteers, time."),
            "resources_financial": _("Budget spent or committed, with its source."),
            "resources_material": _("Premises, equipment, publications."),
            "results": _("What changed, and the indicators you measure it with."),
            "good_practice_summary": _("A few sentences other cities can learn from."),
        }

    def __init__(self, *args, section: ReportSection, **kwargs):
        kwargs.setdefault("prefix", f"s{section.pk}")
        kwargs["instance"] = section
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = section.version
        cast(forms.ChoiceField, self.fields["visibility"]).choices = Visibility.choices
        for name in SECTION_FIELDS:
            self.fields[name].widget.attrs.setdefault("data-autosave-field", name)

        for name in self.fields:
            if isinstance(self.fields[name].widget, forms.Textarea):
                cast(forms.CharField, self.fields[name]).max_length = MAX_FIELD_LENGTH
                self.fields[name].widget.attrs["maxlength"] = MAX_FIELD_LENGTH


#: The fields of an indicator, in the order of the form and of the tables that show them.
INDICATOR_FIELDS = ("name", "unit", "baseline", "target", "value", "source")


class IndicatorForm(forms.ModelForm):
    """One indicator of a section. Numbers in the reader's own notation (1,5 or 1.5)."""

    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS
        localized_fields = ("baseline", "target", "value")
        help_texts = {
            "unit": _("For example: people, %, EUR, complaints."),
            "baseline": _("Where the city started."),
            "source": _("Where the figure comes from (survey, register, study)."),
        }


class BaseIndicatorFormSet(forms.BaseModelFormSet):
    def __init__(self, *args, section: ReportSection, **kwargs):
        kwargs.setdefault("prefix", f"i{section.pk}")
        kwargs.setdefault("queryset", section.indicators.order_by("position", "id"))
        super().__init__(*args, **kwargs)
        self.section = section

    def rows(self) -> list[dict]:
        """What to save, for services.save_indicators: kept, changed, new and removed rows."""
        rows = []
        for form in self.forms:
            if not form.has_changed() and form.instance.pk is None:
                continue
            row = {name: form.cleaned_data.get(name) for name in INDICATOR_FIELDS}
            row["id"] = form.instance.pk
            row["delete"] = bool(form.cleaned_data.get("DELETE"))
            rows.append(row)
        return rows


IndicatorFormSet = forms.modelformset_factory(
    Indicator,
    form=IndicatorForm,
    formset=BaseIndicatorFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attach a file"),
        help_text=_("PDF, image (PNG, JPEG, GIF, WebP) or office document; 10 MB at most."),
    )

    def __init__(self, *args, section: ReportSection, **kwargs):
        kwargs.setdefault("prefix", f"a{section.pk}")
        super().__init__(*args, **kwargs)
        self.content_type = ""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = check_attachment(upload)
        return upload


class SubmitForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer to the secretariat's questions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("I have checked the report; submit it now (it will be locked)."), required=True
    )

    def __init__(self, *args, needs_answer: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_answer:
            self.fields["answer"].required = True
        else:
            del self.fields["answer"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the report returned?"),
        help_text=_("The city's coordinators receive this by email."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class QuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions for the city"),
        help_text=_("The report unlocks so the city can answer and resubmit."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
    )


class PublishForm(forms.Form):
    publish_scores = forms.BooleanField(
        label=_("Also publish the scores of the evaluation"), required=False
    )


class EvaluationForm(forms.Form):
    """Scores and feedback for every section, the overall assessment, good-practice approval."""

    overall = forms.CharField(
        label=_("Overall assessment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args, sections, rubric, evaluation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        choices = [("", _("Not scored yet"))] + [
            (str(level.score), f"{level.score} — {level.label}") for level in rubric
        ]
        if evaluation is not None:
            self.fields["overall"].initial = evaluation.overall_assessment
        for section in self.sections:
            score = getattr(section, "score", None)
            number = section.commitment.number
            self.fields[f"score_{section.pk}"] = forms.TypedChoiceField(
                label=_("Score for commitment %(n)s") % {"n": number},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                initial="" if score is None or score.score is None else str(score.score),
            )
            self.fields[f"feedback_{section.pk}"] = forms.CharField(
                label=_("Feedback on commitment %(n)s") % {"n": number},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=10000,
                initial=score.feedback if score else "",
            )
            if section.good_practice:
                self.fields[f"approve_{section.pk}"] = forms.BooleanField(
                    label=_("Approve “%(title)s” for the good-practice library")
                    % {"title": section.good_practice_title or _("untitled")},
                    help_text=_("Shown publicly once the city publishes the report.")
                    if section.visibility == Visibility.PUBLIC
                    else _(
                        "This section is not public: the practice stays out of the library "
                        "unless the city makes the section public."
                    ),
                    required=False,
                    initial=section.good_practice_approved_at is not None,
                )

    def bound_rows(self):
        """(section, score field, feedback field, approve field or None) for the template."""
        for section in self.sections:
            approve = f"approve_{section.pk}"
            yield (
                section,
                self[f"score_{section.pk}"],
                self[f"feedback_{section.pk}"],
                self[approve] if approve in self.fields else None,
            )

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            s.pk: (self.cleaned_data[f"score_{s.pk}"], self.cleaned_data[f"feedback_{s.pk}"])
            for s in self.sections
        }

    def approvals(self) -> set[int]:
        return {s.pk for s in self.sections if self.cleaned_data.get(f"approve_{s.pk}")}


class CycleForm(forms.Form):
    coalition: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Coalition.objects.none(), label=_("Coalition")
    )
    year = forms.IntegerField(label=_("Year reported on"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(
        label=_("Opening date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    grace_days = forms.IntegerField(
        label=_("Grace period (days)"),
        min_value=0,
        max_value=365,
        initial=14,
        help_text=_(
            "Cities that have not submitted this many days after the due date are "
            "marked overdue in the directory."
        ),
    )
    plan: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=PlanOfAction.objects.none(),
        label=_("Plan version"),
        required=False,
        help_text=_("Leave empty for the version in force on the opening date."),
    )

    def __init__(self, *args, coalitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coalition"].queryset = coalitions
        self.fields["plan"].queryset = PlanOfAction.objects.filter(
            coalition__in=coalitions
        ).select_related("coalition")
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["opens_on"].initial = today

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_on"), data.get("due_on")
        if opens and due and due < opens:
            self.add_error("due_on", _("The due date must not be before the opening date."))
        plan, coalition = data.get("plan"), data.get("coalition")
        if plan and coalition and plan.coalition_id != coalition.pk:
            self.add_error("plan", _("This plan belongs to another coalition."))
        return data
