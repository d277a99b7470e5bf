"""Every catalogue is complete, and the interface really switches language.

Every language in LANGUAGES but English (the msgids) has a catalogue in which no entry is
untranslated or fuzzy, and each plural entry has as many forms as its language needs
(Arabic: six).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLURAL_FORMS = {"fr": 2, "de": 2, "es": 2, "ar": 6}


def po_entries(language: str) -> list[str]:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block][1:]  # skip the header


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists(), f"no {language} catalogue"
    untranslated, fuzzy, short_plurals = [], [], []
    for block in po_entries(language):
        if block.lstrip().startswith("#~"):
            continue  # obsolete entries are not used
        msgid = re.search(r'^msgid "(.*)"', block, re.M).group(1)
        if "#, fuzzy" in block or "#| msgid" in block:
            fuzzy.append(msgid)
        for match in re.finditer(r'^(msgstr(?:\[\d\])?) ""\n(?!")', block + "\n", re.M):
            untranslated.append(f"{msgid} ({match.group(1)})")
        if "msgid_plural" in block:
            forms = len(re.findall(r"^msgstr\[\d\]", block, re.M))
            if forms != PLURAL_FORMS[language]:
                short_plurals.append(f"{msgid} ({forms} forms)")
    assert not fuzzy, f"{language}: fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"{language}: untranslated entries: {untranslated[:10]}"
    assert not short_plurals, f"{language}: plural forms: {short_plurals[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_there(language):
    assert (LOCALE / language / "LC_MESSAGES" / "django.mo").exists(), f"no {language} .mo"


def test_the_compiled_catalogue_is_used():
    with translation.override("fr"):
        assert translation.gettext("Skip to main content") == "Aller au contenu principal"
        assert translation.gettext("Member cities") == "Villes membres"
