"""Forms of the portal-wide pages, and the form renderer every form of the portal uses."""

from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy


class PortalBoundField(BoundField):
    """Django 5.2's field, pointing aria-describedby at the portal's error ids (`<id>_errors`).

    Django itself sets aria-invalid and aria-describedby (help text, then errors); the portal's
    error lists (templates/django/forms/errors/list/ul.html) are named `<id>_errors`.
    """

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        ids = []
        if self.auto_id and not self.is_hidden:
            if self.help_text:
                ids.append(f"{self.auto_id}_helptext")
            if self.errors:
                ids.append(f"{self.auto_id}_errors")
        return " ".join(ids)


class PortalFormRenderer(TemplatesSetting):
    """Every form renders through the project's templates: includes/field.html for a field."""

    bound_field_class = PortalBoundField
    field_template_name = "includes/field.html"


def date_input() -> forms.DateInput:
    """The browser's date picker, with the ISO value it expects."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CloseAccountForm(forms.Form):
    """The explicit confirmation of closing one's account (the password is asked by allauth)."""

    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that closing my account cannot be undone."),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that you want to close your account.")
        },
    )


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
