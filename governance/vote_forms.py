"""Forms of the steering committee's votes and of the decisions on a membership."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.forms import date_input as _date_input
from governance.models import (
    DecidingBody,
)
from governance.models.votes import Choice
from members.models import Membership, MembershipStatus


class OpenVoteForm(forms.Form):
    closes_on = forms.DateField(
        label=gettext_lazy("Closing date"),
        widget=_date_input(),
        help_text=gettext_lazy("The vote closes at the end of this day (portal time)."),
    )

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on <= today:
            raise forms.ValidationError(_("The closing date must be after today."))
        if closes_on > today + dt.timedelta(days=180):
            raise forms.ValidationError(_("A vote cannot stay open for more than 180 days."))
        return closes_on

    def closes_at(self) -> dt.datetime:
        day = self.cleaned_data["closes_on"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=gettext_lazy("Your vote"), choices=Choice.choices, widget=forms.RadioSelect
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ExclusionProposalForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=gettext_lazy("Member city"), queryset=Membership.objects.none()
    )
    grounds = forms.CharField(
        label=gettext_lazy("Grounds for the exclusion"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=gettext_lazy("The facts and the provisions of the plan or statutes concerned."),
    )

    def __init__(self, *args, coalition_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = (
            Membership.objects.filter(
                coalition_id__in=coalition_ids,
                status__in=[MembershipStatus.MEMBER, MembershipStatus.SUSPENDED],
            )
            .select_related("city", "coalition")
            .order_by("coalition__short_name", "city__name")
        )
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.city.name} ({m.coalition.short_name})"
        )


class AssemblyDecisionForm(forms.Form):
    exclude = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("yes", gettext_lazy("The city is excluded")),
            ("no", gettext_lazy("The city stays a member")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    body = forms.ChoiceField(
        label=gettext_lazy("Decided by"),
        choices=[
            (DecidingBody.GENERAL_CONFERENCE, DecidingBody.GENERAL_CONFERENCE.label),
            (DecidingBody.GENERAL_ASSEMBLY, DecidingBody.GENERAL_ASSEMBLY.label),
        ],
    )
    decided_on = forms.DateField(label=gettext_lazy("Date of the decision"), widget=_date_input())
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "The meeting or resolution, e.g. “General Conference 2026, resolution 4”."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason as recorded"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class MembershipDecisionForm(forms.Form):
    KINDS = [
        ("suspension", gettext_lazy("Suspension")),
        ("reinstatement", gettext_lazy("End of suspension")),
        ("withdrawal", gettext_lazy("Withdrawal")),
    ]
    kind = forms.ChoiceField(label=gettext_lazy("What is recorded"), choices=KINDS)
    body = forms.ChoiceField(label=gettext_lazy("Decided by"), choices=DecidingBody.choices)
    decided_on = forms.DateField(label=gettext_lazy("Date of the decision"), widget=_date_input())
    reference = forms.CharField(label=gettext_lazy("Reference"), max_length=200, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
