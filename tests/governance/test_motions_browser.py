"""An amendment as people make it, in real Chromium: the city proposes, the committee
recommends a modified text, the city accepts; axe on every page, in English and French."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from governance.demo import MOTION_TITLE
from governance.models import Amendment, Motion

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _screenshots(page, name: str) -> None:
    """Where MOTION_SCREENSHOTS names a directory, the page at a phone's and a laptop's width."""
    target = os.environ.get("MOTION_SCREENSHOTS")
    if not target:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(target) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_city_amends_the_committee_recommends_the_city_accepts(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    motion = Motion.objects.get(title=MOTION_TITLE)

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "coordinator", then=f"{live_server.url}/sessions/{motion.session_id}/")
    page.get_by_role("link", name="Motions and amendments").click()
    axe(page, context="the session's motions")
    _screenshots(page, "motion-list")
    page.get_by_role("link", name=MOTION_TITLE).click()
    expect(page.get_by_role("heading", name="Voting order")).to_be_visible()
    axe(page, context="the motion's page")
    page.get_by_role("link", name="Propose an amendment").click()
    page.get_by_role("radio", name="Insert after the line").check()
    page.get_by_label("From line").fill("3")
    page.get_by_label("New text").fill("Recalling the Ten-Point Plan's second commitment,")
    page.get_by_label("Justification").fill("The plan already asks cities to assess racism.")
    axe(page, context="the amendment form, filled")
    _screenshots(page, "amendment-form")
    page.get_by_role("button", name="Submit the amendment").click()
    expect(page.get_by_text("The amendment was submitted.")).to_be_visible()
    context.close()

    amendment = Amendment.objects.get(motion=motion, operation="insert_after", first_line=3)
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "committee", then=f"{live_server.url}{motion.get_absolute_url()}")
    page.locator(f"#amendment-{amendment.pk}").get_by_role("link", name="Recommend").click()
    page.get_by_role("radio", name="Adopt as modified").check()
    page.get_by_label("Modified text (adopt as modified)").fill(
        "Recalling the second commitment of the Ten-Point Plan of Action,"
    )
    page.get_by_label("Reasons").fill("The plan's own words.")
    axe(page, context="the recommendation form, filled")
    page.get_by_role("button", name="Record the recommendation").click()
    expect(page.get_by_text("The recommendation was recorded.")).to_be_visible()
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "coordinator", then=f"{live_server.url}{motion.get_absolute_url()}")
    card = page.locator(f"#amendment-{amendment.pk}")
    card.get_by_role("button", name="Accept the recommendation").click()
    expect(page.get_by_text("You accepted the recommendation.")).to_be_visible()
    expect(page.locator(f"#amendment-{amendment.pk}")).to_contain_text("Accepted by the submitter")
    axe(page, context="the motion's page, recommendation accepted (en)")
    _screenshots(page, "motion-detail")
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe(page, context="the motion's page (fr)")
    page.goto(f"{live_server.url}/sessions/{motion.session_id}/motions/")
    axe(page, context="the session's motions (fr)")
    page.goto(f"{live_server.url}{motion.get_absolute_url()}amend/")
    axe(page, context="the amendment form (fr)")
    context.close()

    amendment.refresh_from_db()
    assert amendment.response == "accepted"
    assert amendment.text_put_to_vote == [
        "Recalling the second commitment of the Ten-Point Plan of Action,"
    ]


def test_the_published_declaration_passes_axe_in_english_and_french(page, live_server, demo, axe):
    declaration = Motion.objects.exclude(published_at=None).get()
    page.goto(f"{live_server.url}/declarations/{declaration.slug}/")
    expect(page.get_by_text("Translation; the English text is authoritative.")).to_be_visible()
    axe(page, context="the declaration (en)")
    _screenshots(page, "declaration")
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.reload()
    axe(page, context="the declaration (fr)")
