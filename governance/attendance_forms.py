"""Forms of the registration and attendance pages; each error is tied to its field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.models import User
from governance.models import AttendanceMode, AttendeeRole, Registration, SessionMode


class RegistrationForm(forms.Form):
    person_email = forms.EmailField(
        label=gettext_lazy("Email of the person"),
        help_text=gettext_lazy("The person needs an account on the portal."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Takes part as"), choices=AttendeeRole.choices)
    mode = forms.ChoiceField(label=gettext_lazy("Takes part"), choices=AttendanceMode.choices)

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        if session.mode == SessionMode.IN_PERSON:
            self.fields["mode"].choices = [c for c in AttendanceMode.choices if c[0] == "in_person"]
        elif session.mode == SessionMode.ONLINE:
            self.fields["mode"].choices = [c for c in AttendanceMode.choices if c[0] == "online"]

    def clean_person_email(self):
        email = self.cleaned_data["person_email"].strip().lower()
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No account has this email address."))
        self.cleaned_data["person"] = person
        return email


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (the city sees it)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Check-in code"),
        max_length=40,
        help_text=gettext_lazy("Type the code or scan the QR code into this field."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class HandCardForm(forms.Form):
    to = forms.ModelChoiceField(
        label=gettext_lazy("Hand the card to"), queryset=Registration.objects.none()
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = Registration.objects.filter(pk__in=[r.pk for r in choices])
        self.fields["to"].label_from_instance = lambda r: f"{r.person} ({r.get_role_display()})"
