"""A coordinator files and submits a report with the keyboard only, in real Chromium.

At every Tab the focus must be on an element of the page (never lost to <body>) and visibly
marked (the stylesheet's :focus-visible outline); the report editor's contents list skips to
each section and to "Check and submit".
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reporting.models import ReportStatus
from tests.reporting.helpers import report_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
          text: (el.innerText || el.value || '').trim().slice(0, 80),
          visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
          focusVisible: el.matches(':focus-visible')};
}"""


def tab_to(page, matches, *, limit: int = 120, backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; check each stop keeps a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, "the focus was lost (on <body>)"
        if focused["focusVisible"]:
            assert focused["visible"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"never reached the element in {limit} presses of Tab")


def test_the_coordinator_files_and_submits_a_report_with_the_keyboard_only(
    page, live_server, demo, sign_in, axe
):
    report = report_of("Potsdam", 2025)
    three = report.sections.get(commitment__number=3)
    sign_in(page, "coordinator")
    page.goto(f"{live_server.url}/reports/")
    tab_to(page, lambda f: f["text"] == "Edit the ECCAR 2025 report")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/reports/{report.pk}/edit/$"))

    # The contents list skips to the section; the next Tab lands in its first field.
    tab_to(page, lambda f: f["tag"] == "a" and "Better support for the victims" in f["text"])
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["id"] == f"id_s{three.pk}-actions", limit=5)
    page.keyboard.type("A counselling office for victims opened in March.")
    expect(page.locator(f"#section-{three.pk} [data-autosave-status]")).to_have_text(
        re.compile(r"Saved at \d\d:\d\d"), timeout=10_000
    )

    # Back to the contents list, then "Check and submit" without passing every field.
    page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    tab_to(page, lambda f: f["text"] == "Go to “Check and submit”")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["text"] == "Check and submit the report", limit=3)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/submit/$"))
    axe(page, context="submit page, reached with the keyboard")
    tab_to(page, lambda f: f["tag"] == "input" and f["name"] == "confirm")
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["text"] == "Submit the report", limit=10)
    page.keyboard.press("Enter")
    expect(page.locator(".report-steps [aria-current='step']")).to_contain_text(
        "Submitted", timeout=20_000
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
