"""The governance content that is translated (django-modeltranslation, ADR 0014)."""

from modeltranslation.translator import TranslationOptions, register

from governance.models import AgendaItem, CommitteeVote, Minutes


@register(CommitteeVote)
class CommitteeVoteTranslation(TranslationOptions):
    fields = ("question",)
    required_languages = ()


@register(AgendaItem)
class AgendaItemTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


@register(Minutes)
class MinutesTranslation(TranslationOptions):
    """The minute-taker's text; `source_language` says which column is authoritative."""

    fields = ("narrative", "remarks")
    required_languages = ()
