"""Forms of the portal-wide pages."""

from __future__ import annotations

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
