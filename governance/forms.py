"""Forms of an application to join: the application, a kept letter, the bureau's return.

The committee's votes and decisions are in vote_forms.py, seats in seat_forms.py, delegates,
sessions and the statute in their own modules. Nothing typed is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.forms import date_input as _date_input
from governance.letters import MAX_LETTER_BYTES, validate_letter
from governance.models import (
    AdmissionApplication,
    LetterUpload,
)
from governance.services import ApplicationDetails
from members.models import CURRENT_STATUSES, City, Coalition, Membership

KEPT_LETTER_SALT = "governance.kept-letter"


class KeptLetterMixin:
    """A form whose uploaded PDF is kept server-side while the person corrects other fields.

    The kept `LetterUpload` travels in a signed hidden field, `kept_letter` (a day at most,
    and only for the person who uploaded it); each form names its own `kept_letter_salt`.
    """

    kept_letter_salt = KEPT_LETTER_SALT
    # Provided by the form this is mixed into.
    data: Any
    is_bound: bool
    user: Any
    kept_upload: LetterUpload | None

    def _resolve_kept_upload(self) -> LetterUpload | None:
        token = (self.data.get("kept_letter") if self.is_bound else "") or ""
        if not token:
            return None
        try:
            pk = signing.loads(token, salt=self.kept_letter_salt, max_age=60 * 60 * 24)
        except signing.BadSignature:
            return None
        return LetterUpload.objects.filter(pk=pk, uploaded_by=self.user).first()

    def keep(self, upload: LetterUpload) -> None:
        """Remember a valid letter kept server-side while the person corrects other fields."""
        self.kept_upload = upload
        self.data = self.data.copy()
        self.data["kept_letter"] = signing.dumps(upload.pk, salt=self.kept_letter_salt)


class ApplicationForm(KeptLetterMixin, forms.Form):
    """The application to join a coalition: the city, the people, the letter, the actions."""

    city = forms.ModelChoiceField(
        label=gettext_lazy("City already in the directory"),
        queryset=City.objects.none(),
        required=False,
        empty_label=gettext_lazy("— My city is not listed: I describe it below —"),
        help_text=gettext_lazy(
            "Choose your city if it is listed; otherwise leave this and fill in below."
        ),
    )
    city_name = forms.CharField(label=gettext_lazy("City name"), max_length=200, required=False)
    city_local_name = forms.CharField(
        label=gettext_lazy("Name in the local language"), max_length=200, required=False
    )
    country = AdmissionApplication._meta.get_field("country").formfield(
        label=gettext_lazy("Country"), required=False
    )
    region = forms.CharField(label=gettext_lazy("Region or state"), max_length=200, required=False)
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        help_text=gettext_lazy("Optional, in decimal degrees, e.g. 45.764043."),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        help_text=gettext_lazy("Optional, in decimal degrees, e.g. 4.835659."),
    )
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=200)
    contact_position = forms.CharField(
        label=gettext_lazy("Position in the city administration"), max_length=200, required=False
    )
    contact_email = forms.EmailField(label=gettext_lazy("Contact email"))
    contact_phone = forms.CharField(
        label=gettext_lazy("Contact telephone"), max_length=50, required=False
    )
    focal_point_name = forms.CharField(
        label=gettext_lazy("Focal point (future city coordinator)"),
        max_length=200,
        help_text=gettext_lazy(
            "The person who will coordinate the plan of action and file the reports."
        ),
    )
    focal_point_email = forms.EmailField(
        label=gettext_lazy("Focal point email"),
        help_text=gettext_lazy(
            "When the city is admitted, the portal account with this address becomes the "
            "city's coordinator account. It can be yours."
        ),
    )
    letter = forms.FileField(
        label=gettext_lazy("Mayor's signed letter of commitment (PDF)"),
        required=False,
        help_text=gettext_lazy("A PDF file of at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    letter_signed_on = forms.DateField(
        label=gettext_lazy("Date the mayor signed the letter"), widget=_date_input()
    )
    kept_letter = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        coalition: Coalition,
        user,
        application=None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.coalition = coalition
        self.user = user
        self.application = application
        self.plan = application.plan if application else coalition.plan_in_force()
        self.commitments = list(self.plan.commitments.order_by("number")) if self.plan else []
        city = cast(forms.ModelChoiceField, self.fields["city"])
        city.queryset = City.objects.order_by("name", "country")
        city.label_from_instance = lambda c: f"{c.name} ({c.country.name})"  # type: ignore[assignment]
        for commitment in self.commitments:
            self.fields[self.action_field_name(commitment)] = forms.CharField(
                label=f"{commitment.number}. {commitment.title}",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=" ".join(
                    filter(None, [commitment.summary, _("One action per line; at least one.")])
                ),
                max_length=5000,
                error_messages={
                    "required": gettext_lazy("Name at least one action under this commitment.")
                },
            )
        if application is not None:
            self.fields["letter"].help_text = gettext_lazy(
                "Leave empty to keep the letter already sent. A PDF file of at most 10 MB."
            )
        self.kept_upload = self._resolve_kept_upload()

    @staticmethod
    def action_field_name(commitment) -> str:
        return f"actions_{commitment.pk}"

    def action_fields(self):
        return [(c, self[self.action_field_name(c)]) for c in self.commitments]

    # --- The letter ---------------------------------------------------------------

    def clean_letter(self):
        letter = self.cleaned_data.get("letter")
        if letter:
            validate_letter(letter)
            return letter
        if self.kept_upload is not None or self.application is not None:
            return None
        raise forms.ValidationError(
            _("Attach the mayor's signed letter of commitment (a PDF of at most %(mb)s MB).")
            % {"mb": MAX_LETTER_BYTES // (1024 * 1024)},
            code="required",
        )

    def new_valid_letter(self):
        """The letter uploaded with this request, if it passed its checks."""
        if "letter" in self.errors:
            return None
        return (getattr(self, "cleaned_data", {}) or {}).get("letter")

    def letter_for_service(self):
        return self.cleaned_data.get("letter") or self.kept_upload

    # --- The rest ------------------------------------------------------------------

    def clean_letter_signed_on(self):
        signed_on = self.cleaned_data["letter_signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The signature date cannot be in the future."))
        if signed_on < dt.date(2004, 1, 1):
            raise forms.ValidationError(_("The signature date is before the coalitions existed."))
        return signed_on

    def clean(self):
        data = super().clean()
        city = data.get("city")
        name = (data.get("city_name") or "").strip()
        if city is not None and name:
            self.add_error(
                "city_name",
                _("You chose %(city)s from the list: leave the new city's name empty.")
                % {"city": city.name},
            )
        elif city is None and not name:
            self.add_error(
                "city", _("Choose your city from the list, or give the name of a new city below.")
            )
        elif city is None:
            if not data.get("country"):
                self.add_error("country", _("Give the new city's country."))
            elif City.objects.filter(name__iexact=name, country=data["country"]).exists():
                self.add_error(
                    "city_name",
                    _("%(city)s is already in the directory: choose it from the list above.")
                    % {"city": name},
                )
            if (data.get("latitude") is None) != (data.get("longitude") is None):
                self.add_error(
                    "longitude", _("Give both the latitude and the longitude, or neither.")
                )
        else:
            if Membership.objects.filter(
                city=city, coalition=self.coalition, status__in=CURRENT_STATUSES
            ).exists():
                self.add_error(
                    "city",
                    _("%(city)s is already a member of %(coalition)s.")
                    % {"city": city.name, "coalition": self.coalition.short_name},
                )
        return data

    def details(self) -> ApplicationDetails:
        data = self.cleaned_data
        actions = {
            c.pk: [line.strip() for line in data[self.action_field_name(c)].splitlines()]
            for c in self.commitments
        }
        return ApplicationDetails(
            coalition=self.coalition,
            city=data.get("city"),
            city_name=(data.get("city_name") or "").strip(),
            city_local_name=(data.get("city_local_name") or "").strip(),
            country=data.get("country") or "",
            region=(data.get("region") or "").strip(),
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            contact_name=data["contact_name"].strip(),
            contact_position=(data.get("contact_position") or "").strip(),
            contact_email=data["contact_email"],
            contact_phone=(data.get("contact_phone") or "").strip(),
            focal_point_name=data["focal_point_name"].strip(),
            focal_point_email=data["focal_point_email"],
            letter_signed_on=data["letter_signed_on"],
            actions=actions,
        )

    @classmethod
    def initial_from(cls, application) -> dict:
        initial = {
            name: getattr(application, name)
            for name in ApplicationDetails.APPLICATION_FIELDS
            if name != "city"
        }
        initial["city"] = application.city_id
        initial["country"] = str(application.country or "")
        for commitment, texts in application.actions_by_commitment():
            initial[cls.action_field_name(commitment)] = "\n".join(texts)
        return initial


class ReturnForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("What information is needed?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=gettext_lazy(
            "The applicant receives this by email and sees it on the application."
        ),
    )
