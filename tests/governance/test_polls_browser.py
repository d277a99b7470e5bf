"""A poll as the room runs it, in real Chromium: the chair opens it on an item, the delegate
(the card holder) votes from their page, the projector shows progress without totals, the chair
closes and releases, a teller confirms, the result appears. axe on every page, English and French.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coalition.models import User
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.models import AssemblyPoll, AssemblySession, Registration
from governance.services import attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where to save the pages' screenshots at 390 and 1280 pixels wide, when set.
SHOTS = os.environ.get("POLL_SCREENSHOTS")


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sitting() -> AssemblySession:
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    teller = User.objects.get(email="committee@demo.coalition.example")
    AssemblySession.objects.filter(pk=session.pk).update(
        status="in_session",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
        teller_1=teller,
        statute_snapshot={**session.statute_snapshot, "quorum_kind": "none"},
    )
    session.refresh_from_db()
    bureau = User.objects.get(email="bureau@demo.coalition.example")
    delegate = Registration.objects.get(
        session=session, person__email="delegate@demo.coalition.example"
    )
    attendance.check_in(actor=bureau, registration=delegate, channel="desk")
    return session


def _new(browser, browser_context_args, sign_in, account):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, account)
    return context, page


def test_the_chair_opens_the_delegate_votes_the_teller_confirms_and_the_result_appears(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    session = _sitting()
    base = live_server.url

    chair_ctx, chair = _new(browser, browser_context_args, sign_in, "bureau")
    chair.goto(f"{base}/sessions/{session.pk}/chair/")
    axe(chair, context="the chair's page")
    motion = chair.locator("details", has_text="Motion: a common data standard")
    motion.get_by_text("Motion: a common data standard").click()
    motion.get_by_label("Kind of poll").select_option(label="Amendment")  # amendments come first
    motion.get_by_label("Question put to the vote").fill("Adopt the data standard?")
    motion.get_by_role("button", name="Open the poll").click()
    expect(chair.get_by_text("The poll is open")).to_be_visible()
    expect(chair.get_by_text("0 of 1 cities have voted").first).to_be_visible()
    axe(chair, context="the chair's page with an open poll")
    _shoot(chair, "chair-open")
    poll = AssemblyPoll.objects.get(session=session)

    delegate_ctx, delegate = _new(browser, browser_context_args, sign_in, "delegate")
    delegate.goto(f"{base}/sessions/polls/{poll.pk}/")
    axe(delegate, context="the poll page with the ballot")
    _shoot(delegate, "poll-ballot")
    delegate.get_by_label("Yes").check()
    delegate.get_by_role("button", name="Cast the city's vote").click()
    expect(delegate.get_by_text("Your city's vote is recorded.")).to_be_visible()
    expect(delegate.get_by_text("1 of 1 cities have voted").first).to_be_visible()

    projector = chair_ctx.new_page()
    projector.goto(f"{base}/sessions/{session.pk}/projector/")
    expect(projector.get_by_text("1 of 1 cities have voted")).to_be_visible()
    expect(projector.get_by_text("Yes 1")).to_have_count(0)
    axe(projector, context="the projector during the poll")
    _shoot(projector, "projector-open")

    chair.reload()
    chair.get_by_role("button", name="Close the poll").click()
    chair.get_by_role("button", name="Close", exact=True).click()  # the confirmation dialog
    expect(chair.get_by_text("The poll is closed")).to_be_visible()
    chair.get_by_role("button", name="Release the result").click()
    chair.get_by_role("button", name="Release", exact=True).click()
    expect(chair.get_by_text("The result is released")).to_be_visible()
    projector.reload()
    expect(projector.get_by_text("Yes 1")).to_have_count(0)

    teller_ctx, teller = _new(browser, browser_context_args, sign_in, "committee")
    teller.goto(f"{base}/sessions/{session.pk}/chair/")
    axe(teller, context="the teller's page")
    teller.get_by_role("button", name="Confirm the result").click()
    teller.get_by_role("button", name="Confirm", exact=True).click()
    expect(teller.get_by_text("The result is confirmed and public.")).to_be_visible()

    result = "Yes 1, No 0, Abstain 0; a simple majority of 1 vote cast needs more yes than no"
    expect(projector.get_by_text(result)).to_be_visible(timeout=10_000)  # htmx, no reload
    axe(projector, context="the projector with the result")
    _shoot(projector, "projector-result")
    delegate.goto(f"{base}/sessions/polls/{poll.pk}/")
    expect(delegate.get_by_text(result)).to_be_visible()

    chair_ctx.add_cookies([{"name": "django_language", "value": "fr", "url": base}])
    for path in (f"/sessions/{session.pk}/chair/", f"/sessions/{session.pk}/projector/"):
        chair.goto(base + path)
        expect(chair.locator("html")).to_have_attribute("lang", "fr")
        axe(chair, context=f"{path} in French")
    for ctx in (chair_ctx, delegate_ctx, teller_ctx):
        ctx.close()
