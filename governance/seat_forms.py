"""Forms of the committee's seats: adding one, changing its representative or end, ending it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.forms import date_input as _date_input
from coalition.models import User
from governance.models import (
    CommitteeSeat,
    SeatKind,
)
from members.models import City, Coalition


class SeatForm(forms.Form):
    coalition: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Coalition"), queryset=Coalition.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of seat"), choices=SeatKind.choices)
    city = forms.ModelChoiceField(
        label=gettext_lazy("City"),
        queryset=City.objects.order_by("name"),
        required=False,
        help_text=gettext_lazy("A member city; leave empty for a partner institution."),
    )
    institution = forms.CharField(
        label=gettext_lazy("Partner institution"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For an observer or adviser seat held by a partner, e.g. UNESCO."),
    )
    representative_email = forms.EmailField(
        label=gettext_lazy("Representative's email"),
        required=False,
        help_text=gettext_lazy("The account of the person who sits for the city (optional)."),
    )
    starts_on = forms.DateField(label=gettext_lazy("Term starts"), widget=_date_input())
    ends_on = forms.DateField(label=gettext_lazy("Term ends"), widget=_date_input(), required=False)

    def __init__(self, *args, coalitions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coalition"].queryset = coalitions
        only = list(coalitions[:2])
        if len(only) == 1:
            self.fields["coalition"].initial = only[0].pk

    def clean_representative_email(self):
        return account_by_email(self.cleaned_data.get("representative_email"))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The term cannot end before it starts."))
        return data


def account_by_email(email: str | None):
    """The account of a representative named by email; None when left empty."""
    email = (email or "").strip()
    if not email:
        return None
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise forms.ValidationError(
            _("No account uses this address. Ask the person to create an account first.")
        )
    return user


def term_end_of(seat: CommitteeSeat, ends_on):
    """A new end of the seat's term (None: not decided), refused before the term starts."""
    if ends_on is not None and ends_on < seat.starts_on:
        raise forms.ValidationError(_("The term cannot end before it starts."))
    return ends_on


class ChangeSeatForm(forms.Form):
    """Who sits for the seat, and until when: the holder and kind of a seat never change."""

    representative_email = forms.EmailField(
        label=gettext_lazy("Representative's email"),
        required=False,
        help_text=gettext_lazy(
            "The account of the person who now sits for the seat; leave empty if nobody does."
        ),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Term ends"),
        widget=_date_input(),
        required=False,
        help_text=gettext_lazy("Leave empty while the end of the term is not decided."),
    )

    def __init__(self, *args, seat: CommitteeSeat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["representative_email"].initial = getattr(seat.representative, "email", "")
        self.fields["ends_on"].initial = seat.ends_on

    def clean_representative_email(self):
        return account_by_email(self.cleaned_data.get("representative_email"))

    def clean_ends_on(self):
        return term_end_of(self.seat, self.cleaned_data.get("ends_on"))

    def changes(self) -> dict:
        """Only what differs from the seat, in the names update_seat takes."""
        changes = {}
        if self.cleaned_data["representative_email"] != self.seat.representative:
            changes["representative"] = self.cleaned_data["representative_email"]
        if self.cleaned_data["ends_on"] != self.seat.ends_on:
            changes["ends_on"] = self.cleaned_data["ends_on"]
        return changes


class EndSeatForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Term ends on"), widget=_date_input())

    def __init__(self, *args, seat: CommitteeSeat, **kwargs):
        super().__init__(*args, **kwargs)
        self.seat = seat
        self.fields["ends_on"].initial = timezone.localdate()

    def clean_ends_on(self):
        return term_end_of(self.seat, self.cleaned_data.get("ends_on"))
