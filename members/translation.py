"""The members' content that is translated (django-modeltranslation, ADR 0014)."""

from modeltranslation.translator import TranslationOptions, register

from members.models import Coalition, Commitment, PlanOfAction


@register(Coalition)
class CoalitionTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ()


@register(PlanOfAction)
class PlanOfActionTranslation(TranslationOptions):
    fields = ("title", "introduction")
    required_languages = ()


@register(Commitment)
class CommitmentTranslation(TranslationOptions):
    fields = ("heading", "title", "summary", "example_actions")
    required_languages = ()
