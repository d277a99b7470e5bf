"""Forms of a challenge: a city files it, the bureau records the committee's decision."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from governance.letters import validate_letter


class ChallengeForm(forms.Form):
    grounds = forms.CharField(
        label=gettext_lazy("Grounds of the challenge"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "What the city contests in the election and why. Seen by the bureau and the"
            " steering committee, not published."
        ),
    )
    evidence = forms.FileField(
        label=gettext_lazy("Evidence (PDF, optional)"),
        required=False,
        validators=[validate_letter],
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class ChallengeDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("The steering committee's decision"),
        choices=[
            ("rejected", gettext_lazy("Rejected: the result stands")),
            ("upheld", gettext_lazy("Upheld: the election is void, no seat is created")),
        ],
        widget=forms.RadioSelect,
    )
    committee_decided_on = forms.DateField(
        label=gettext_lazy("Date of the committee's decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reasons of the decision"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Sent to the city; published on the election's page if upheld."),
    )
