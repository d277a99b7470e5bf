"""The reporting content that is translated (django-modeltranslation, ADR 0014)."""

from modeltranslation.translator import TranslationOptions, register

from reporting.models import RubricLevel


@register(RubricLevel)
class RubricLevelTranslation(TranslationOptions):
    fields = ("label", "description")
    required_languages = ()
