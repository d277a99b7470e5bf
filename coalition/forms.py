"""Forms of the portal-wide pages."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy


class CloseAccountForm(forms.Form):
    """The explicit confirmation of closing one's account (the password is asked by allauth)."""

    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that closing my account cannot be undone."),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that you want to close your account.")
        },
    )

    def full_clean(self):
        super().full_clean()
        widget = self.fields["confirm"].widget
        if self.is_bound and "confirm" in self.errors:
            widget.attrs.update({"aria-invalid": "true", "aria-describedby": "id_confirm_errors"})


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form, asking first for the person's name (stored by the adapter)."""

    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        help_text=gettext_lazy(
            "As colleagues in the coalition know you: it is shown beside your work."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["full_name", "email", "password1", "password2"]

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(gettext_lazy("Enter your name."))
        return name
