"""Helpers for data migrations (no app imports: migrations get models from `apps`)."""

from __future__ import annotations


def copy_into_default_language(app_label: str, fields_by_model: dict[str, tuple[str, ...]]):
    """A RunPython step copying each field's existing value into its `_en` column.

    Added with django-modeltranslation (ADR 0014): the text written before had no
    language column; it is English, the default language and each row's authoritative one.
    """

    def forwards(apps, schema_editor):
        for model_name, fields in fields_by_model.items():
            model = apps.get_model(app_label, model_name)
            for row in model.objects.all().iterator():
                for field in fields:
                    setattr(row, f"{field}_en", getattr(row, field))
                row.save(update_fields=[f"{field}_en" for field in fields])

    return forwards
