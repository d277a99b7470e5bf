"""The keyboard journeys' focus check (tests/keyboard.py) can fail: on a page whose focus is
invisible, lost to <body>, or on an element off screen."""

from __future__ import annotations

import pytest

from tests.keyboard import focus_kept, tab_to

pytestmark = pytest.mark.browser

PAGE = """<html><head><style>
  :focus-visible { outline: 3px solid #ffbf47; }
  .bare:focus, .bare:focus-visible { outline: none; box-shadow: none; }
  .away { position: absolute; top: -100px; }
</style></head><body>
  <a href="#one" id="one">Marked</a>
  <button class="bare">No ring</button>
  <a href="#two" class="away">Off screen</a>
  <button id="gone" onclick="this.remove()">Removes itself</button>
</body></html>"""


def test_the_focus_check_passes_a_marked_stop_and_fails_the_others(page):
    page.set_content(PAGE)
    assert tab_to(page, lambda f: f["id"] == "one", limit=1)["text"] == "Marked"
    with pytest.raises(AssertionError, match="no visible focus indicator"):
        tab_to(page, lambda f: False, limit=1)
    with pytest.raises(AssertionError, match="not on screen"):
        tab_to(page, lambda f: False, limit=1)
    tab_to(page, lambda f: f["id"] == "gone", limit=1)
    page.keyboard.press("Enter")
    with pytest.raises(AssertionError, match="lost"):
        focus_kept(page)
