"""static/js/confirm.js: a step asked about again at once after Escape is still sent when confirmed.

The dialog's close event is queued. Before, each ask added its own close listener: the close
of an Escape that arrived after the next ask had opened the dialog again ran both listeners,
which removed themselves, and the next "Close" then sent nothing (CI: the chair's keyboard
journey waited 30 s for a page that never came).
"""

from __future__ import annotations

from pathlib import Path

import pytest

CONFIRM_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "confirm.js"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE = """<main><form method="get" action="{action}"><button type="submit" data-confirm="Close the
poll?" data-confirm-yes="Close" data-confirm-no="Not yet">Close the poll</button></form></main>"""


def open_page(page, live_server) -> None:
    page.goto(live_server.url + "/healthz")
    page.set_content(PAGE.format(action=live_server.url + "/healthz"))
    page.add_script_tag(path=str(CONFIRM_JS))


def test_asked_again_before_the_escape_closed_the_dialog_the_confirmation_still_sends(
    page, live_server
):
    open_page(page, live_server)
    page.evaluate(
        """() => {
          const button = document.querySelector("button[data-confirm]");
          button.click();                            // asks
          document.querySelector("dialog").close();  // Escape: its close event is queued
          button.click();                            // asks again before that event ran
        }"""
    )
    assert page.locator("dialog").evaluate("d => d.open")
    with page.expect_navigation(timeout=5_000):
        page.get_by_role("button", name="Close", exact=True).click()
    assert "confirmed=1" in page.url


def test_not_yet_sends_nothing_and_gives_the_focus_back(page, live_server):
    open_page(page, live_server)
    page.get_by_role("button", name="Close the poll").click()
    page.get_by_role("button", name="Not yet").click()
    page.wait_for_function("() => !document.querySelector('dialog').open")
    assert page.evaluate("() => document.activeElement.textContent") == "Close the poll"
    assert "confirmed" not in page.url
