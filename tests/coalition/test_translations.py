"""The French catalogue is complete, and the interface really switches language."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def po_entries() -> list[str]:
    text = PO.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block][1:]  # skip the header


def test_every_french_entry_is_translated_and_none_is_fuzzy():
    untranslated, fuzzy = [], []
    for block in po_entries():
        if block.lstrip().startswith("#~"):
            continue  # obsolete entries are not used
        msgid = re.search(r'^msgid "(.*)"', block, re.M).group(1)
        if "#, fuzzy" in block or "#| msgid" in block:
            fuzzy.append(msgid)
        for match in re.finditer(r'^(msgstr(?:\[\d\])?) ""\n(?!")', block + "\n", re.M):
            untranslated.append(f"{msgid} ({match.group(1)})")
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not untranslated, f"untranslated entries: {untranslated[:10]}"


def test_the_compiled_catalogue_is_used():
    with translation.override("fr"):
        assert translation.gettext("Skip to main content") == "Aller au contenu principal"
        assert translation.gettext("Member cities") == "Villes membres"
