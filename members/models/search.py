"""Search keys: names folded to ASCII so that "Zürich", "Zurich" and "Zuerich" find one city."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii


def search_key(text: str) -> str:
    """Lower-case ASCII folding used for accent-insensitive search: 'Köln' -> 'koln'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# German spells a missing umlaut with an e (München, Muenchen): both are stored.
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_UMLAUTS.update(str.maketrans({"ß": "ss", "ẞ": "SS"}))
SEARCH_NAME_LENGTH = 1000
SEARCH_NAME_DELIMITER = " | "


def search_fold(text: str, *, umlauts: bool = False) -> str:
    """A name as the directory's search compares it: 'Esch-sur-Alzette' -> 'esch sur alzette',
    'Wrocław' -> 'wroclaw', 'Москва' -> 'moskva', '北京' -> 'beijing'.

    Transliterated to ASCII (anyascii), lower-cased, every run of anything but letters and
    digits made one space. With `umlauts`, ä, ö, ü and ß are first spelled ae, oe, ue, ss.
    The result never holds the delimiter of `City.search_name`, so a query cannot match
    across two stored spellings.
    """
    text = unicodedata.normalize("NFC", text or "")
    if umlauts:
        text = text.translate(_UMLAUTS)
    return _NOT_ALPHANUMERIC.sub(" ", anyascii(text).lower()).strip()


def search_spellings(*names: str) -> str:
    """Every folded spelling of the names, once each, joined for City.search_name."""
    spellings: list[str] = []
    for name in names:
        for umlauts in (False, True):
            folded = search_fold(name, umlauts=umlauts)
            if folded and folded not in spellings:
                spellings.append(folded)
    return SEARCH_NAME_DELIMITER.join(spellings)[:SEARCH_NAME_LENGTH]
