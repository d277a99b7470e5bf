"""Issue 14 in real Chromium: every page right to left in Arabic, none too wide in any language.

The Arabic screenshots (every public page and each main role's pages, at 1280 and 390 px) are
taken when SCREENSHOTS_DIR names a folder (`SCREENSHOTS_DIR=var/screenshots make test`), for
a person to look at; CI checks the layout without them (a full-page screenshot of every page
at two widths costs minutes of the run).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.coalition.pages import pages_of
from tests.coalition.test_accessibility import use_language
from tests.coalition.test_issue12_browser import _public_pages, at_each_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ["SCREENSHOTS_DIR"]) if os.environ.get("SCREENSHOTS_DIR") else None
WIDTHS = (1280, 390)
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _name(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


#: As tests/coalition/test_issue12_browser.py's, on both sides: right to left, a page
#: overflows past its left edge.
MEASURE = """() => {
  const inner = window.innerWidth;
  let worst = null, over = 0;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (!r.width) continue;
    const beyond = Math.max(r.right - inner, -r.left);
    if (beyond > over) { over = beyond; worst = el; }
  }
  const describe = (el) => el ? el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '') : '';
  return {scroll: document.documentElement.scrollWidth, inner, widest: describe(worst),
          over: Math.round(over), text: worst ? worst.textContent.trim().slice(0, 60) : ''};
}"""


def _too_wide(page, label: str) -> str | None:
    m = page.evaluate(MEASURE)
    if m["scroll"] > m["inner"]:
        return (
            f"{label}: {m['scroll']}px wide in {m['inner']}px; element furthest out {m['widest']} "
            f"({m['over']}px beyond the edge, “{m['text']}”)"
        )
    return None


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_public_page_scrolls_sideways_in_any_language(page, live_server, demo, language):
    use_language(page, live_server, language)
    too_wide = []
    for url, width in at_each_width(page, live_server, _public_pages(), WIDTHS):
        if problem := _too_wide(page, f"{url} at {width}px in {language}"):
            too_wide.append(problem)
    assert not too_wide, "\n".join(too_wide)


ROLES = ["anonymous", "coordinator", "committee", "bureau", "secretariat"]


@pytest.mark.parametrize("account", ROLES)
def test_every_page_in_arabic_reads_right_to_left_within_the_screen(
    page, live_server, demo, sign_in, account
):
    if account != "anonymous":
        sign_in(page, account)
        page.wait_for_url(f"{live_server.url}/dashboard/")
    use_language(page, live_server, "ar")
    paths = pages_of(account) + (_public_pages() if account == "anonymous" else [])
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
    too_wide = []
    for path, width in at_each_width(page, live_server, paths, WIDTHS):
        if path != reverse("members:api_docs"):  # Swagger UI's own page (docs/accessibility.md)
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        if problem := _too_wide(page, f"{path} at {width}px in Arabic as {account}"):
            too_wide.append(problem)
        if SHOTS is not None:
            shot = SHOTS / f"ar-{account}-{_name(path)}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
    assert not too_wide, "\n".join(too_wide)


def test_the_navigation_starts_on_the_right_in_arabic(page, live_server, demo):
    page.set_viewport_size({"width": 1280, "height": 900})
    use_language(page, live_server, "ar")
    page.goto(live_server.url + "/")
    items = page.locator(".main-nav__list > li")
    first, second = items.nth(0).bounding_box(), items.nth(1).bounding_box()
    assert first["x"] > second["x"], "the first menu item should be the rightmost"
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > 1280 / 2, "the portal's name should sit on the right"
