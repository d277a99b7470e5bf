"""Translated content: each object's text in the reader's language, or in its own, marked.

django-modeltranslation (ADR 0014) keeps one column per language (`title_en`, `title_fr`, ...)
in the object's own row. Every translated model has a `source_language`: the language its
text was written and adopted in, which is authoritative. `translated(obj, "title")` gives the
reader's language when someone translated it, else the authoritative text with its language,
so that a page can mark it (`lang`, "(in German)") instead of showing an empty string.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname


def source_language_field() -> models.CharField:
    """The authoritative language of an object's text (a field each translated model adds)."""
    return models.CharField(
        _("authoritative language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_(
            "The language the text was written and adopted in; the other languages are "
            "translations of it."
        ),
    )


@dataclass(frozen=True)
class Translated:
    text: str
    language: str
    is_translation_missing: bool

    def __str__(self) -> str:
        return self.text


def translated(obj, field: str, language: str | None = None) -> Translated:
    """The field in `language` (the active one by default), else in the authoritative one."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    language = language.split("-")[0]
    own = getattr(obj, build_localized_fieldname(field, language), None)
    if own:
        return Translated(own, language, False)
    source = getattr(obj, "source_language", "") or settings.LANGUAGE_CODE
    order = [source, *(code for code, _name in settings.LANGUAGES if code != source)]
    for code in order:
        value = getattr(obj, build_localized_fieldname(field, code), None)
        if value:
            return Translated(value, code, code != language)
    return Translated(getattr(obj, field, "") or "", language, False)


def fill_every_language(obj, field: str, make_text) -> None:
    """Set the field in every language from `make_text()` run under each language.

    For text the portal itself writes (a vote's question built from a translatable
    sentence): each reader gets it in their language, none is a fallback.
    """
    with translation.override(settings.LANGUAGE_CODE):
        default = str(make_text())
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            text = str(make_text())
        # An untranslated sentence stays empty: the page then marks the fallback.
        if code == settings.LANGUAGE_CODE or text != default:
            setattr(obj, build_localized_fieldname(field, code), text)


def written_language() -> str:
    """The language a person writes in now (the page's): the authoritative one of their text."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
