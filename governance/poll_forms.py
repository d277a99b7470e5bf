"""Forms of the assembly polls: opening one, a city's ballot, a vote given by hand, a reply."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.letters import validate_letter
from governance.models import Choice, PollKind


class OpenPollForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of poll"))
    question = forms.CharField(label=gettext_lazy("Question put to the vote"), max_length=300)
    options = forms.CharField(
        label=gettext_lazy("Options (one a line; for a choice only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    named = forms.BooleanField(
        label=gettext_lazy("Named (roll-call) poll: the result lists each city's vote"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, PollKind(k).label) for k in kinds]

    def option_list(self) -> tuple[str, ...]:
        return tuple(
            line.strip()
            for line in self.cleaned_data.get("options", "").splitlines()
            if line.strip()
        )


def _choices(poll) -> list[tuple[str, str]]:
    if poll.is_choice:
        options = [(f"option:{o.pk}", o.label) for o in poll.options.all()]
        return [*options, (str(Choice.ABSTAIN), _("Abstain"))]
    return [(str(value), str(label)) for value, label in Choice.choices]


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=gettext_lazy("Your city's vote"), widget=forms.RadioSelect)

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.fields["choice"].choices = _choices(poll)

    def vote(self) -> dict:
        """The service's arguments: `choice`, or `option` for a choice among options."""
        value = self.cleaned_data["choice"]
        if value.startswith("option:"):
            option = self.poll.options.get(pk=int(value.split(":", 1)[1]))
            return {"option": option}
        return {"choice": value}


class HandVoteForm(BallotForm):
    city = forms.ChoiceField(label=gettext_lazy("City"))

    field_order = ["city", "choice"]

    def __init__(self, *args, cities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["choice"].label = _("The city's vote, given by hand")
        self.fields["city"].choices = [(str(c.pk), c.name) for c in cities]


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your city's reply"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    file = forms.FileField(
        label=gettext_lazy("Or the reply as a PDF"),
        required=False,
        validators=[validate_letter],
    )

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("file") and not self.errors:
            self.add_error("text", _("Write the reply or attach it as a PDF."))
        return data
