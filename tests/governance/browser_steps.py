"""Steps the governance browser journeys share: the bureau's application check and the
confirmed opening of the committee's vote."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect


def tick_the_application_check(page, *, notes: dict[str, str] | None = None) -> None:
    """On the review page: tick every item that applies, with its notes, and save."""
    check = page.locator("#application-check")
    for box in check.locator("input[type=checkbox]").all():
        box.check()
    for item, text in (notes or {}).items():
        check.locator(f"textarea[name='{item}_note']").fill(text)
    check.get_by_role("button", name="Save the check").click()
    expect(page.get_by_text("The application check was saved.")).to_be_visible()


def open_the_vote_confirming(page, *, days: int = 14) -> None:
    """On the review page: choose the closing date, open the vote and confirm in the dialog."""
    closes_on = timezone.localdate() + dt.timedelta(days=days)
    # By role: the dialog's question also speaks of the closing date.
    page.get_by_role("textbox", name=re.compile("^Closing date")).fill(closes_on.isoformat())
    page.get_by_role("button", name="Open the vote…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Open the committee's vote on the admission of")
    dialog.get_by_role("button", name="Open the vote", exact=True).click()
