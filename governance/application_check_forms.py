"""The bureau's application check as a form: a tick and an optional note per applicable item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from governance.selectors_application_checks import Checklist
from governance.services.application_checks import NOTE_LENGTH, Tick


class ApplicationCheckForm(forms.Form):
    """One checkbox `<item>` and one note `<item>_note` for each item that applies to the city."""

    def __init__(self, *args, checklist: Checklist, **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for row in checklist.applicable:
            record = row.record
            self.fields[row.item] = forms.BooleanField(
                label=row.label,
                required=False,
                initial=bool(record and record.checked),
                # The portal's evidence, beside the box, is read with it.
                widget=forms.CheckboxInput(
                    attrs={"aria-describedby": f"check-{row.item}-evidence"}
                ),
            )
            self.fields[f"{row.item}_note"] = forms.CharField(
                label=gettext_lazy("Note (optional)"),
                required=False,
                max_length=NOTE_LENGTH,
                initial=record.note if record else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def full_clean(self):
        super().full_clean()
        for name in self.fields:
            widget = self.fields[name].widget
            if self.is_bound and name in self.errors:
                widget.attrs["aria-invalid"] = "true"
                described = widget.attrs.get("aria-describedby", "")
                errors = f"{self[name].auto_id}_errors"
                widget.attrs["aria-describedby"] = f"{described} {errors}".strip()

    def rows(self):
        """(checklist row, tick field, note field) for the template; None fields when n/a."""
        for row in self.checklist.rows:
            if row.applies:
                yield row, self[row.item], self[f"{row.item}_note"]
            else:
                yield row, None, None

    def ticks(self) -> dict[str, Tick]:
        return {
            row.item: Tick(
                checked=self.cleaned_data[row.item],
                note=self.cleaned_data[f"{row.item}_note"],
            )
            for row in self.checklist.applicable
        }
