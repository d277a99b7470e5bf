"""Names of languages, said in the reader's language, as a heading shows them or a sentence does.

Django's `name_translated` is the name as a heading or a label shows it alone: "Anglais",
"Inglés", "Englisch". Inside a sentence, French and Spanish write it in lower case ("le texte
en anglais fait foi", "mostrado en inglés"); German capitalises every noun ("Englisch"),
English capitalises the names of languages, and Arabic has no case. Both are computed when
called, in the language active then (a page's reader, a PDF's language): never store them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

#: The portal's languages that write the name of a language in lower case inside a sentence.
LOWER_CASE_LANGUAGE_NAMES = frozenset({"fr", "es"})


def language_name(code: str) -> str:
    """The language's name in the active language, capitalised as when shown alone."""
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return str(dict(settings.LANGUAGES).get(code, code))


def language_in_sentence(code: str) -> str:
    """The language's name in the active language as a sentence writes it ("anglais" in
    French, "Englisch" in German, "English" in English)."""
    name = language_name(code)
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return name.lower() if active in LOWER_CASE_LANGUAGE_NAMES else name
