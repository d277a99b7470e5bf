"""`{{ code|language_in_sentence }}`: a language's name inside a sentence, in the reader's
language (coalition.languages), computed when the template renders."""

from __future__ import annotations

from django import template

from coalition import languages

register = template.Library()


@register.filter
def language_in_sentence(code: str) -> str:
    """The name of the language `code` as a sentence writes it: "anglais", "Englisch"."""
    return languages.language_in_sentence(code)
