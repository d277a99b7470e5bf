"""`{% translated obj "field" %}`: content in the reader's language, or marked as not."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _

from coalition.translated import translated as translated_value

register = template.Library()

#: "(in German)": said in the reader's language, about the language the text is in.
IN_LANGUAGE = {
    "en": lambda: _("(in English)"),
    "fr": lambda: _("(in French)"),
    "de": lambda: _("(in German)"),
    "es": lambda: _("(in Spanish)"),
    "ar": lambda: _("(in Arabic)"),
}


@register.simple_tag
def translated(obj, field: str):
    """The text, isolated for bidi; a fallback carries its `lang` and a visible note."""
    value = translated_value(obj, field)
    if not value.is_translation_missing:
        return format_html("<bdi>{}</bdi>", value.text)
    direction = "rtl" if value.language in settings.LANGUAGES_BIDI else "ltr"
    note = IN_LANGUAGE.get(value.language, lambda: f"({value.language})")()
    return format_html(
        '<bdi lang="{}" dir="{}">{}</bdi> <small class="translation-note">{}</small>',
        value.language,
        direction,
        value.text,
        note,
    )


@register.filter
def translated_text(obj, field: str) -> str:
    """The plain text (for attributes and titles), with the same fallback."""
    return translated_value(obj, field).text


@register.simple_tag
def translated_lang(obj, field: str):
    """` lang=".." dir=".."` for an element holding a fallback (a list, a paragraph), else ""."""
    value = translated_value(obj, field)
    if not value.is_translation_missing:
        return ""
    direction = "rtl" if value.language in settings.LANGUAGES_BIDI else "ltr"
    return format_html(' lang="{}" dir="{}"', value.language, direction)
