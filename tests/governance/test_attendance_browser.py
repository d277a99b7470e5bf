"""Attendance as people do it, in real Chromium: the bureau accredits, the delegate joins
online and hands the card to the substitute; axe on every page, in English and French."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coalition.models import User
from governance import selectors_attendance as reads
from governance.demo import NEXT_ASSEMBLY_TITLE
from governance.models import AssemblySession, Registration
from governance.services import attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Where to save the pages' screenshots at 390 and 1280 pixels wide, when set.
SHOTS = os.environ.get("ATTENDANCE_SCREENSHOTS")
DELEGATE = "delegate@demo.coalition.example"


def _shoot(page, name: str) -> None:
    if not SHOTS:
        return
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(SHOTS) / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sitting_session() -> AssemblySession:
    """The demo's next assembly moved to today and opened; the delegate's registration waits."""
    session = AssemblySession.objects.get(title=NEXT_ASSEMBLY_TITLE)
    now = timezone.now()
    AssemblySession.objects.filter(pk=session.pk).update(
        status="in_session",
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=6),
    )
    session.refresh_from_db()
    delegate = User.objects.get(email=DELEGATE)
    old = Registration.objects.get(session=session, person=delegate)
    old.delete()
    attendance.register_attendee(
        actor=User.objects.get(email="coordinator@demo.coalition.example"),
        session=session,
        city=old.city,
        person=delegate,
        role="delegate",
        mode="online",
    )
    return session


def test_the_bureau_accredits_the_delegate_joins_online_and_hands_the_card_to_the_substitute(
    browser, browser_context_args, live_server, demo, sign_in, axe
):
    session = _sitting_session()
    substitute = Registration.objects.get(
        session=session, person__email="substitute@demo.coalition.example"
    )

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/bureau/sessions/{session.pk}/registrations/")
    expect(page.get_by_role("button", name="Accredit David Delegate")).to_be_visible()
    axe(page, context="the bureau's registrations")
    page.get_by_role("button", name="Accredit David Delegate").click()
    expect(page.get_by_text("is accredited; the check-in code was emailed")).to_be_visible()
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "delegate", then=f"{live_server.url}/sessions/registrations/")
    page.get_by_role("link", name=NEXT_ASSEMBLY_TITLE, exact=True).click()
    expect(page.get_by_role("button", name="Join the session online")).to_be_visible()
    axe(page, context="the delegate's registration, before joining")
    page.get_by_role("button", name="Join the session online").click()
    expect(page.get_by_text("You have joined the session online.")).to_be_visible()
    expect(page.get_by_text("Held by David Delegate")).to_be_visible()
    attendance.check_in(actor=substitute.person, registration=substitute, channel="online")
    page.reload()
    page.get_by_role("button", name="Show a new check-in code").click()
    expect(page.get_by_role("img", name="QR code of the check-in code")).to_be_visible()
    axe(page, context="the delegate's page with the code shown")
    _shoot(page, "delegate-page")
    page.get_by_label("Hand the card to").select_option(str(substitute.pk))
    page.get_by_role("button", name="Hand the card over").click()
    expect(page.get_by_text("Sami Substitute now holds the card of Potsdam.")).to_be_visible()
    axe(page, context="the delegate's page after the handover")
    page.get_by_role("link", name="Room view: the live quorum").click()
    expect(page.get_by_text("cities with voting rights present")).to_be_visible()
    axe(page, context="the room view")

    own = Registration.objects.get(session=session, person__email=DELEGATE)
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    for path in (f"/sessions/{session.pk}/room/", f"/sessions/registrations/{own.pk}/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        axe(page, context=f"{path} in French")
    context.close()

    holder = reads.card_holder(session, substitute.city)
    assert holder.holder == substitute.person and holder.handed_from.email.startswith("delegate")

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "bureau", then=f"{live_server.url}/sessions/{session.pk}/desk/")
    page.get_by_label("Check-in code").fill("WRONG-CODE-0000")
    page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.get_by_text("This code is not valid for this session.").first).to_be_visible()
    axe(page, context="the desk with a wrong code")
    page.goto(f"{live_server.url}/sessions/{session.pk}/desk/")
    axe(page, context="the desk")
    _shoot(page, "desk")
    page.get_by_role("button", name="Take a roll call").click()
    expect(page.get_by_text("The roll call was recorded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Sami Substitute")).to_be_visible()
    axe(page, context="a roll call")
    graz = Registration.objects.get(session=session, person__email="graz@demo.coalition.example")
    page.goto(f"{live_server.url}/bureau/registrations/{graz.pk}/reject/")
    page.get_by_label("Reason (the city sees it)").fill("Observers' seats are full.")
    axe(page, context="rejecting a registration")
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("The registration was rejected; the city sees why.")).to_be_visible()
    context.add_cookies([{"name": "django_language", "value": "fr", "url": live_server.url}])
    page.goto(f"{live_server.url}/sessions/{session.pk}/desk/")
    axe(page, context="the desk in French")
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    sign_in(page, "coordinator", then=f"{live_server.url}/sessions/{session.pk}/")
    page.get_by_role("link", name="Register the people of Potsdam").click()
    expect(page.get_by_role("cell", name="Accredited").first).to_be_visible()
    axe(page, context="the city's registrations")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    axe(page, context="the city's registration form with errors")
    context.close()
