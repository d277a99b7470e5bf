"""CSV cells a spreadsheet would run as formulas are neutralised on export, restored on import.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``,
``+cmd|' /C calc'!A0``, DDE). As OWASP advises ("CSV Injection"), every CSV the
portal exports puts a single quote before such a cell: the spreadsheet then
shows the text as it is. A plain number (``-0.1278``) is left alone: it is no
formula, and a longitude must stay a number.

The rule is reversible, so an export re-imported gives back the same values: a
cell gets a quote when it starts with one of those characters, or when it
already starts with quotes followed by one (``'=x`` becomes ``''=x``); the
import takes one quote off exactly those cells and no others.
"""

from __future__ import annotations

import re

#: First characters a spreadsheet treats as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _needs_quote(value: str) -> bool:
    rest = value.lstrip("'")
    return rest.startswith(FORMULA_STARTS) and _PLAIN_NUMBER.fullmatch(rest) is None


def neutralise(value: object) -> object:
    """The cell to write: text that would start a formula gets a leading single quote."""
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The value a cell of an exported file stands for: the quote the export added is removed."""
    if value.startswith("'") and _needs_quote(value[1:]):
        return value[1:]
    return value
