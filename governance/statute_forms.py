"""Forms of the statute profile and fees pages. Each error is tied to its field."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.models import SOURCED_VALUES, VALUE_FIELDS, FeeStatus, StatuteProfile
from governance.models.fee_bands import format_fee_bands, parse_fee_bands
from members.models import Coalition

#: Values typed in the form as something else than their model field.
_TYPED_APART = ("fee_bands",)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatuteProfileForm(forms.Form):
    """Every value of the profile with its source; saving it makes the next version."""

    valid_from = forms.DateField(
        label=_("Valid from"),
        widget=_date_input(),
        help_text=_("Sessions and polls opened from this day follow the new version."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted by the assembly on"), required=False, widget=_date_input()
    )
    note = forms.CharField(label=_("What changed and why"), max_length=500, required=False)
    fee_bands = forms.CharField(
        label=_("Fees by population"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One band per line: the largest population of the band, then the yearly fee; "
            "* for every larger city, e.g. “50000 500” then “* 1000”. A single “* 800” is a "
            "flat fee."
        ),
    )
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirm = forms.BooleanField(
        label=_("I confirm: these cities lose their voting rights"), required=False
    )

    def __init__(self, data=None, *, coalition: Coalition, profile: StatuteProfile):
        self.coalition = coalition
        initial = {
            **profile.values(),
            "fee_bands": format_fee_bands(profile.fee_bands),
            "valid_from": timezone.localdate(),
            "based_on_version": profile.version,
            **{f"source_{v.key}": profile.source_of(v.key) for v in SOURCED_VALUES},
        }
        super().__init__(data, initial=initial)
        model_fields = fields_for_model(
            StatuteProfile, fields=[f for f in VALUE_FIELDS if f not in _TYPED_APART]
        )
        for name, field in model_fields.items():
            self.fields[name] = field
        for value in SOURCED_VALUES:
            self.fields[f"source_{value.key}"] = forms.CharField(
                label=_("Source"),
                max_length=200,
                required=False,
                help_text=_("e.g. Statute 2019 §7(3), or BGB §32"),
            )
        for name in ("adopted_on",):
            self.fields[name].widget = _date_input()

    def clean_fee_bands(self):
        try:
            return parse_fee_bands(self.cleaned_data.get("fee_bands") or "")
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The model's own checks (a share is a fraction, a chosen quorum has its figure).
            profile = self.proposed_profile()
            others = [f.name for f in StatuteProfile._meta.fields if f.name not in VALUE_FIELDS]
            for check in (lambda: profile.clean_fields(exclude=others), profile.clean):
                try:
                    check()
                except ValidationError as exc:
                    for field, messages in exc.message_dict.items():
                        self.add_error(field if field in self.fields else None, messages)
        return cleaned

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in VALUE_FIELDS}

    def sources(self) -> dict[str, str]:
        return {v.key: self.cleaned_data.get(f"source_{v.key}", "") for v in SOURCED_VALUES}

    def proposed_profile(self) -> StatuteProfile:
        return StatuteProfile(
            coalition=self.coalition,
            version=(self.cleaned_data.get("based_on_version") or 0) + 1,
            valid_from=self.cleaned_data.get("valid_from") or timezone.localdate(),
            adopted_on=self.cleaned_data.get("adopted_on"),
            sources=self.sources(),
            **self.values(),
        )

    def groups(self):
        """(value, its bound fields, its source field) in page order, for the template."""
        return [
            (value, [self[name] for name in value.fields], self[f"source_{value.key}"])
            for value in SOURCED_VALUES
        ]


def year_choices(today: dt.date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year + 1, today.year - 6, -1))


class FeeRecordForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FeeStatus.choices)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=10, decimal_places=2)
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        widget=_date_input(),
        help_text=_("For a payment; today when left empty."),
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_paid_on(self):
        paid_on = self.cleaned_data.get("paid_on")
        if paid_on and paid_on > timezone.localdate():
            raise ValidationError(_("A payment cannot be dated in the future."))
        return paid_on


class FeeGenerationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2200)
    flat_amount = forms.DecimalField(
        label=_("Flat amount"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("Leave empty to use the fees by population of the statute profile."),
    )
