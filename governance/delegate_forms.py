"""Forms of the delegate pages: certifying, validating, revoking, appointing city roles.

Each error is tied to its field. A valid mandate letter sent with a form that
failed elsewhere is kept server-side (LetterUpload), so it need not be sent again;
a wrong letter leaves every other field as typed.
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.models import User
from governance.forms import KeptLetterMixin
from governance.letters import MAX_LETTER_BYTES, validate_letter
from governance.models import CertificationRole, CertificationScope
from governance.services.delegates import CertificationDetails
from members.models import PUBLIC_STATUSES, City, Coalition, RoleKind

KEPT_MANDATE_SALT = "governance.kept-mandate"


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _person(email: str):
    return User.objects.filter(email__iexact=(email or "").strip()).first()


class CertificationForm(KeptLetterMixin, forms.Form):
    kept_letter_salt = KEPT_MANDATE_SALT

    coalition: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Coalition"), queryset=Coalition.objects.none(), empty_label=None
    )
    person_email = forms.EmailField(
        label=gettext_lazy("Email of the person certified"),
        help_text=gettext_lazy("The person needs an account on the portal with this address."),
    )
    role = forms.ChoiceField(label=gettext_lazy("Certified as"), choices=CertificationRole.choices)
    scope = forms.ChoiceField(
        label=gettext_lazy("Scope"),
        choices=CertificationScope.choices,
        initial=CertificationScope.STANDING,
        help_text=gettext_lazy(
            "For one session, give the session's dates; the bureau confirms them."
        ),
    )
    valid_from = forms.DateField(label=gettext_lazy("Valid from"), widget=_date_input())
    valid_until = forms.DateField(
        label=gettext_lazy("Valid until"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Leave empty for a standing certification until revoked."),
    )
    signed_by_name = forms.CharField(label=gettext_lazy("Mandate letter signed by"), max_length=200)
    signed_by_office = forms.CharField(
        label=gettext_lazy("Office of the signatory"),
        max_length=200,
        help_text=gettext_lazy("The mayor, or the mayor's office acting for the mayor."),
    )
    letter = forms.FileField(
        label=gettext_lazy("Mandate letter signed for the mayor (PDF)"),
        required=False,
        help_text=gettext_lazy("A PDF file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    kept_letter = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, city: City, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.city = city
        self.user = user
        self.person = None
        cast(forms.ModelChoiceField, self.fields["coalition"]).queryset = Coalition.objects.filter(
            memberships__city=city, memberships__status__in=PUBLIC_STATUSES
        ).order_by("name")
        self.kept_upload = self._resolve_kept_upload()
        if self.kept_upload is not None:
            self.fields["letter"].help_text = _(
                "%(name)s is kept from your last attempt; choose another file only to replace it."
            ) % {"name": self.kept_upload.original_name}

    def new_valid_letter(self):
        if "letter" in self.errors:
            return None
        return (getattr(self, "cleaned_data", {}) or {}).get("letter")

    def clean_person_email(self):
        email = self.cleaned_data["person_email"]
        self.person = _person(email)
        if self.person is None:
            raise forms.ValidationError(
                _("No account uses this address: ask the person to sign up on the portal first.")
            )
        return email

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            validate_letter(letter)
            return letter
        if self.kept_upload is not None:
            return None
        raise forms.ValidationError(
            _("Attach the mandate letter (a PDF of at most %(mb)s MB).")
            % {"mb": MAX_LETTER_BYTES // (1024 * 1024)},
            code="required",
        )

    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        if valid_from < timezone.localdate():
            raise forms.ValidationError(_("The certification cannot start in the past."))
        return valid_from

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The certification cannot end before it starts."))
        if data.get("scope") == CertificationScope.SESSION and not end:
            self.add_error(
                "valid_until", _("A certification for one session needs the session's last day.")
            )
        return data

    def details(self) -> CertificationDetails:
        data = self.cleaned_data
        return CertificationDetails(
            city=self.city,
            coalition=data["coalition"],
            person=self.person,
            role=data["role"],
            scope=data["scope"],
            valid_from=data["valid_from"],
            valid_until=data.get("valid_until"),
            signed_by_name=data["signed_by_name"],
            signed_by_office=data["signed_by_office"],
        )

    def letter_for_service(self):
        return self.cleaned_data.get("letter") or self.kept_upload


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class SessionDatesForm(forms.Form):
    """The session's dates, which the bureau sets when it validates a one-session certification."""

    valid_from = forms.DateField(
        label=gettext_lazy("First day of the session"), widget=_date_input()
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Last day of the session"), widget=_date_input()
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The certification cannot end before it starts."))
        return data


CITY_ROLE_CHOICES = [
    (RoleKind.COORDINATOR, RoleKind.COORDINATOR.label),
    (RoleKind.DELEGATE, RoleKind.DELEGATE.label),
]


class AppointRoleForm(forms.Form):
    city = forms.ModelChoiceField(label=gettext_lazy("City"), queryset=City.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Role"), choices=CITY_ROLE_CHOICES)
    email = forms.EmailField(
        label=gettext_lazy("Email of the person"),
        help_text=gettext_lazy("The person needs an account on the portal with this address."),
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=_date_input())
    ends_on = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=_date_input(),
        help_text=gettext_lazy("Leave empty for no end date."),
    )

    def __init__(self, *args, coalitions, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("starts_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.person = None
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = (
            City.objects.filter(
                memberships__coalition__in=coalitions, memberships__status__in=PUBLIC_STATUSES
            )
            .distinct()
            .order_by("name")
        )
        self.fields["city"].label_from_instance = lambda c: f"{c.name} ({c.country.name})"

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.person = _person(email)
        if self.person is None:
            raise forms.ValidationError(
                _("No account uses this address: ask the person to sign up on the portal first.")
            )
        return email

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The role cannot end before it starts."))
        return data


class EndRoleForm(forms.Form):
    ends_on = forms.DateField(label=gettext_lazy("Last day of the role"), widget=_date_input())
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, role, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("ends_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.role = role

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < self.role.starts_on:
            raise forms.ValidationError(_("The role cannot end before it starts."))
        return ends_on
